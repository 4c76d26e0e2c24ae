"""Opening the store: one async engine and session factory per process.

SQLite (the embedded default) runs with WAL, foreign keys on, a busy timeout and
``BEGIN IMMEDIATE`` transactions behind a single pooled connection, so writers queue in
asyncio instead of failing with "database is locked"; its calls run inline (see
``sqlite_inline``). PostgreSQL uses a normal pool.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.errors import SettingsError
from bot.storage.files import create_private
from bot.storage.locks import SingleProcessLock
from bot.storage.member_cache import SESSION_KEY as MEMBER_CACHE_KEY
from bot.storage.member_cache import MemberCache
from bot.storage.read_cache import SESSION_KEY as READ_CACHES_KEY
from bot.storage.read_cache import ReadCaches
from bot.storage.sqlite_inline import inline_creator
from bot.storage.tracking import TrackedSession

_log = logging.getLogger(__name__)

SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


def parse_database_url(url: str) -> URL:
    """Check a database URL; raises ``SettingsError`` naming the setting when it is unusable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SettingsError(
            "Setting database_url (STAFFROOM_DATABASE_URL) is not a database URL; "
            "use sqlite+aiosqlite:///staffroom.db or postgresql+asyncpg://user@host/db."
        ) from None
    if parsed.drivername not in SUPPORTED_DRIVERS:
        raise SettingsError(
            f"Setting database_url (STAFFROOM_DATABASE_URL) uses {parsed.drivername!r}; "
            f"Staffroom supports {' and '.join(SUPPORTED_DRIVERS)}."
        )
    return parsed


class Store:
    """The engine, its session factory, and (for a SQLite file) the single-process lock.

    ``single_process`` is True for SQLite: this process is the only one writing, so it may
    keep caches of what it stored (see ``member_cache`` and ``read_cache``).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        schema: str | None = None,
        lock: SingleProcessLock | None = None,
    ) -> None:
        self.engine = engine
        self.schema = schema
        self.dialect = engine.dialect.name
        self.single_process = self.dialect == "sqlite"
        self.member_cache = MemberCache() if self.single_process else None
        self.sessions = async_sessionmaker(
            engine,
            expire_on_commit=False,
            sync_session_class=TrackedSession,
            info=(
                {MEMBER_CACHE_KEY: self.member_cache, READ_CACHES_KEY: ReadCaches()}
                if self.member_cache
                else {}
            ),
        )
        self._lock = lock

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        if self.dialect == "sqlite":
            await self.optimize()
        await self.engine.dispose()
        if self._lock is not None:
            self._lock.release()

    async def optimize(self) -> None:
        """Let SQLite refresh the statistics its query planner uses (cheap when current)."""
        async with self.engine.begin() as conn:
            await conn.exec_driver_sql("PRAGMA optimize")


def open_store(
    url: str, *, schema: str | None = None, exclusive: bool = True, **engine_options: Any
) -> Store:
    """Create the engine for ``url``.

    ``exclusive`` takes the SQLite file's process lock: SQLite allows one Staffroom process,
    and a second one is refused with a clear message instead of corrupting work.
    ``schema`` (PostgreSQL) puts every table in that schema, creating it if needed.
    """
    parsed = parse_database_url(url)
    if parsed.drivername.startswith("sqlite"):
        if schema:
            raise SettingsError(
                "Setting database_schema (STAFFROOM_DATABASE_SCHEMA) only applies to PostgreSQL."
            )
        return _open_sqlite(parsed, exclusive=exclusive, **engine_options)
    _require_asyncpg()
    options: dict[str, Any] = {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True}
    if schema:
        options["connect_args"] = {"server_settings": {"search_path": schema}}
    options.update(engine_options)
    return Store(create_async_engine(parsed, **options), schema=schema)


def _require_asyncpg() -> None:
    if importlib.util.find_spec("asyncpg") is None:
        raise SettingsError(
            "Setting database_url (STAFFROOM_DATABASE_URL) asks for PostgreSQL, whose driver "
            "is not installed: pip install 'staffroom[postgres]'."
        )


def _open_sqlite(url: URL, *, exclusive: bool, **engine_options: Any) -> Store:
    database = url.database or ""
    in_memory = database in ("", ":memory:")
    lock = None
    if not in_memory:
        path = Path(database)
        if not path.parent.exists():
            raise SettingsError(
                f"Setting database_url (STAFFROOM_DATABASE_URL) points into {path.parent}, "
                "which does not exist."
            )
        if exclusive:
            lock = SingleProcessLock(path)
            lock.acquire()
        create_private(path)
    # One connection: writers queue for it in asyncio. Every transaction ends in an explicit
    # commit or rollback, so the pool need not roll back again on return.
    options: dict[str, Any] = {
        "pool_size": 1,
        "max_overflow": 0,
        "pool_timeout": 60,
        "pool_reset_on_return": None,
    }
    options.update(engine_options)
    engine = create_async_engine(
        url, async_creator=inline_creator(database or ":memory:", timeout=30), **options
    )
    _configure_sqlite(engine, wal=not in_memory)
    return Store(engine, lock=lock)


def _configure_sqlite(engine: AsyncEngine, *, wal: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
