from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.console.session import ConsoleSession
from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from tests.support.console import Chat
from tests.support.stores import (
    PG_SKIP_REASON,
    copy_sqlite,
    make_sqlite_template,
    migrate,
    postgres_url,
    truncate_all,
    worker_schema,
)

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's staffroom.toml or STAFFROOM_* settings."""
    for name in list(os.environ):
        if name.startswith("STAFFROOM_") and name != "STAFFROOM_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_schema() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip(PG_SKIP_REASON)
    schema = worker_schema()
    asyncio.run(migrate(url, schema, fresh=True))
    return schema


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, migrated, empty store on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        return Settings(database_url=copy_sqlite(template, tmp_path / "staffroom.db"))
    schema: str = request.getfixturevalue("postgres_schema")
    url = postgres_url()
    assert url is not None
    asyncio.run(truncate_all(url, schema))
    return Settings(database_url=url, database_schema=schema)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def app(settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    app = await start_app(settings, clock=clock)
    yield app
    await app.close()


@pytest.fixture
def console(app: App, clock: ManualClock, tmp_path: Path) -> ConsoleSession:
    return ConsoleSession(
        app.dispatcher, clock=clock, exports_dir=tmp_path / "exports", scheduler=app.scheduler
    )


@pytest.fixture
def chat(console: ConsoleSession) -> Chat:
    return Chat(console)
