from __future__ import annotations

import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.settings import Settings
from bot.skills.resources.models import SEARCH_INDEX_OBJECTS
from bot.storage.base import Base
from bot.storage.engine import open_store
from bot.storage.errors import SettingsError, StartupError
from bot.storage.schema import (
    LIBRARY_TABLES,
    SCHEMA_HEAD,
    alembic_config,
    is_current,
    upgrade_schema,
)
from tests.support.stores import load_every_model


def test_schema_head_constant_matches_the_migrations() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD]


def _modelled(name: str | None, _type: str, _parents: object) -> bool:
    """Leave out the full-text index objects the ORM cannot describe (FTS5, tsvector), and the
    tables a platform library describes (checked against it in tests/adapters/slack)."""
    return name not in SEARCH_INDEX_OBJECTS and name not in LIBRARY_TABLES


def _differences(connection: Connection) -> list[object]:
    load_every_model()
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "render_as_batch": True, "include_name": _modelled},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_match_the_migrated_schema(settings: Settings) -> None:
    store = open_store(settings.database_url, schema=settings.database_schema, exclusive=False)
    try:
        async with store.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        assert await is_current(store)
        assert await upgrade_schema(store) is False  # already at head: nothing to do
    finally:
        await store.close()


async def test_an_unknown_revision_refuses_to_start(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'future.db'}"
    store = open_store(url)
    try:
        await upgrade_schema(store)
        async with store.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(StartupError, match="schema revision '9999_future'"):
            await upgrade_schema(store)
    finally:
        await store.close()


async def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'one.db'}"
    first = open_store(url)
    try:
        with pytest.raises(StartupError, match="Another Staffroom process is already using"):
            open_store(url)
    finally:
        await first.close()
    open_store(url)  # free again once the first one closed


def test_an_unreachable_database_is_one_clear_sentence() -> None:
    import asyncio

    async def attempt() -> None:
        store = open_store("postgresql+asyncpg://nobody@127.0.0.1:1/none")
        try:
            await upgrade_schema(store)
        finally:
            await store.close()

    with pytest.raises(StartupError, match="Cannot reach the database"):
        asyncio.run(attempt())


def test_postgresql_without_its_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as when staffroom[postgres] is absent
    with pytest.raises(SettingsError, match=r"pip install 'staffroom\[postgres\]'"):
        open_store("postgresql+asyncpg://nobody@127.0.0.1:1/none")
