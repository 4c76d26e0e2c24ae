from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import start_app
from bot.community.models import Profile
from bot.core.clock import ManualClock
from bot.settings import Settings
from bot.storage.backup import backup, pg_command, restore
from bot.storage.engine import parse_database_url
from bot.storage.errors import StartupError
from tests.support.events import message
from tests.support.stores import PG_SKIP_REASON, migrate, postgres_url, worker_schema


async def region(settings: Settings) -> str | None:
    app = await start_app(settings, clock=ManualClock())
    try:
        async with app.store.transaction() as session:
            return await session.scalar(select(Profile.region))
    finally:
        await app.close()


async def test_sqlite_backup_while_running_and_restore(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    app = await start_app(settings, clock=ManualClock())
    await app.dispatcher.handle(message("intro set region Lisbon"))
    # The bot is still running (and holds the file) while the backup is taken.
    print(backup(settings.database_url, tmp_path / "backup.db"))
    with pytest.raises(StartupError, match="Another Staffroom process"):
        restore(settings.database_url, tmp_path / "backup.db")
    await app.dispatcher.handle(message("intro set region Porto"))
    await app.close()
    assert await region(settings) == "Porto"
    restore(settings.database_url, tmp_path / "backup.db")
    assert await region(settings) == "Lisbon"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
async def test_the_database_and_its_backups_are_private(tmp_path: Path) -> None:
    umask = os.umask(0o022)  # what most systems default to: new files readable by everyone
    try:
        await _create_database_and_backups(tmp_path)
    finally:
        os.umask(umask)
    for name in ("live.db", "live.db-wal", "live.db.lock", "backup.db", "old-backup.db"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


async def _create_database_and_backups(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    app = await start_app(settings, clock=ManualClock())
    await app.dispatcher.handle(message("intro set region Lisbon"))
    (tmp_path / "old-backup.db").write_text("")
    backup(settings.database_url, tmp_path / "backup.db")
    backup(settings.database_url, tmp_path / "old-backup.db")
    await app.close()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.db'}"
    with pytest.raises(StartupError, match="There is no backup file"):
        restore(url, tmp_path / "missing.db")
    (tmp_path / "junk.db").write_text("not a database")
    with pytest.raises(StartupError, match="is not a Staffroom SQLite backup"):
        restore(url, tmp_path / "junk.db")
    with pytest.raises(StartupError, match="There is no database"):
        backup(url, tmp_path / "out.db")


def test_pg_commands_keep_the_password_out_of_argv() -> None:
    url = parse_database_url("postgresql+asyncpg://staff:s3cret@db.example:6543/network")
    dump = pg_command(url, "backup", Path("/b/staffroom.dump"), "staffroom")
    assert dump.argv == [
        "pg_dump",
        "--host",
        "db.example",
        "--port",
        "6543",
        "--username",
        "staff",
        "--format=custom",
        "--file",
        "/b/staffroom.dump",
        "--schema",
        "staffroom",
        "network",
    ]
    assert dump.env == {"PGPASSWORD": "s3cret"}
    assert "s3cret" not in dump.shown()
    load = pg_command(url, "restore", Path("/b/staffroom.dump"), None)
    assert load.argv[0] == "pg_restore" and "--clean" in load.argv


def test_postgres_backup_and_restore(tmp_path: Path) -> None:
    url = postgres_url()
    if url is None:
        pytest.skip(PG_SKIP_REASON)
    schema = worker_schema("_backup")
    settings = Settings(database_url=url, database_schema=schema)

    async def write(value: str) -> None:
        app = await start_app(settings, clock=ManualClock())
        try:
            await app.dispatcher.handle(message(f"intro set region {value}"))
        finally:
            await app.close()

    asyncio.run(migrate(url, schema, fresh=True))
    asyncio.run(write("Lisbon"))
    backup(url, tmp_path / "pg.dump", schema=schema)
    asyncio.run(write("Porto"))
    restore(url, tmp_path / "pg.dump", schema=schema)
    assert asyncio.run(region(settings)) == "Lisbon"
