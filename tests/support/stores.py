"""Test databases: a migrated SQLite template copied per test, or one PostgreSQL schema per
test session (per xdist worker) truncated before each test."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import os
import shutil
from pathlib import Path

from sqlalchemy import text

from bot.core.skills import discover_skills
from bot.storage.base import Base
from bot.storage.engine import open_store
from bot.storage.schema import upgrade_schema

PG_URL_VARIABLE = "STAFFROOM_TEST_DATABASE_URL"
PG_SKIP_REASON = (
    f"PostgreSQL tests run when {PG_URL_VARIABLE} is set "
    "(for example postgresql+asyncpg://postgres@127.0.0.1:5432/test)"
)


def postgres_url() -> str | None:
    return os.environ.get(PG_URL_VARIABLE) or None


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def migrate(url: str, schema: str | None = None, *, fresh: bool = False) -> None:
    store = open_store(url, schema=schema, exclusive=False)
    try:
        if fresh and schema:
            async with store.engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await upgrade_schema(store)
    finally:
        await store.close()


def make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    asyncio.run(migrate(sqlite_url(path)))
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return sqlite_url(target)


def worker_schema(suffix: str = "") -> str:
    """A PostgreSQL schema of this checkout's own (and this xdist worker's), so that test runs
    from two checkouts on one machine never share tables."""
    checkout = hashlib.sha1(str(Path(__file__).resolve()).encode()).hexdigest()[:8]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"staffroom_test_{checkout}_{worker}{suffix}"


def load_every_model() -> None:
    """Models live beside their skills and layers: load them all onto ``Base.metadata``."""
    discover_skills()
    for module in ("bot.scheduling.models", "bot.adapters.discord.models"):
        importlib.import_module(module)


async def truncate_all(url: str, schema: str) -> None:
    load_every_model()
    store = open_store(url, schema=schema, exclusive=False)
    try:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        async with store.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await store.close()
