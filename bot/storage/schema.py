"""Schema upgrades through Alembic, checked cheaply on every start.

``SCHEMA_HEAD`` names the newest migration; a test keeps it equal to Alembic's own head, so
that a start on a current database never has to import Alembic at all.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from bot.core.errors import StartupError
from bot.storage.engine import Store

if TYPE_CHECKING:
    from alembic.config import Config

_log = logging.getLogger(__name__)

SCHEMA_HEAD = "0010_defects"
LIBRARY_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})
"""Tables our migrations create but a platform library describes and uses (slack_sdk's
installation and OAuth state stores), so they have no models here; the Slack adapter's tests
compare them with the library's own definitions."""
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x57AFF400  # any constant shared by every Staffroom process


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    try:
        with connection.begin_nested():
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError:
        return None
    return row[0] if row else None


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _upgrade(connection: Connection, schema: str | None) -> tuple[str | None, bool]:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        if schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    before = current_revision(connection)
    if before == SCHEMA_HEAD:
        return before, False
    if before is not None and before not in known_revisions():
        raise StartupError(
            f"The database is at schema revision {before!r}, which this version of Staffroom "
            "does not know; upgrade Staffroom before starting it on this database."
        )
    from alembic import command

    command.upgrade(alembic_config(connection), "head")
    return before, True


async def is_current(store: Store) -> bool:
    async with store.engine.connect() as conn:
        return await conn.run_sync(current_revision) == SCHEMA_HEAD


async def upgrade_schema(store: Store) -> bool:
    """Bring the schema to ``SCHEMA_HEAD``; returns True when anything was applied.

    Safe with several processes on PostgreSQL: they queue on an advisory lock.
    """
    try:
        async with store.engine.begin() as conn:
            before, changed = await conn.run_sync(_upgrade, store.schema)
    except (OSError, DBAPIError) as exc:
        raise StartupError(
            f"Cannot reach the database ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
            "check STAFFROOM_DATABASE_URL and that the database server is running."
        ) from exc
    if changed:
        _log.info("Upgraded the schema from %s to %s", before or "an empty database", SCHEMA_HEAD)
    return changed
