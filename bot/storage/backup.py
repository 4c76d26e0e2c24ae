"""Backups of the store: SQLite's online backup API, or PostgreSQL's pg_dump/pg_restore.

A SQLite backup is safe while Staffroom runs (WAL lets it read a consistent snapshot while the
bot keeps writing). A restore replaces the database, so it refuses to run while Staffroom
holds the file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from bot.storage.engine import parse_database_url
from bot.storage.errors import StartupError
from bot.storage.files import make_private
from bot.storage.locks import SingleProcessLock


@dataclass(frozen=True, kw_only=True, slots=True)
class PgCommand:
    """A pg_dump/pg_restore invocation; the password travels in the environment."""

    argv: list[str]
    env: dict[str, str]

    def shown(self) -> str:
        return " ".join(self.argv)


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise StartupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


_SQLITE_HEADER = b"SQLite format 3\x00"


def backup_sqlite(database: Path, target: Path) -> None:
    if not database.exists():
        raise StartupError(f"There is no database at {database} to back up.")
    _check_sqlite_target(database, target)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        _private_target(target)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as exc:
        raise StartupError(f"I couldn't write the backup to {target}: {exc}.") from None
    finally:
        source.close()


def _check_sqlite_target(database: Path, target: Path) -> None:
    """One sentence for each target a backup must not go to."""
    live = database.resolve()
    resolved = target.resolve()
    if resolved in {live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")}:
        raise StartupError(
            f"{target} is the live database itself; back up to another file, "
            "like staffroom-backup.db."
        )
    if target.is_dir():
        example = target / "staffroom-backup.db"
        raise StartupError(f"{target} is a folder; name a file in it, like {example}.")
    if not resolved.parent.is_dir():
        raise StartupError(f"There is no folder {target.parent} for the backup; create it first.")
    if target.exists() and target.stat().st_size > 0:
        with target.open("rb") as existing:
            if existing.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                raise StartupError(
                    f"{target} exists and is not a SQLite database; I won't overwrite it."
                )


def _private_target(target: Path) -> None:
    """A backup holds the whole community: only its owner may read it."""
    try:
        make_private(target)
    except OSError as exc:
        raise StartupError(f"Cannot write the backup to {target}: {exc.strerror}.") from None


def restore_sqlite(backup: Path, database: Path) -> None:
    _check_sqlite_backup(backup)
    lock = SingleProcessLock(database)
    lock.acquire()  # refuses while a Staffroom process uses the file
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(database)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
    finally:
        lock.release()


def _check_sqlite_backup(backup: Path) -> None:
    if not backup.is_file():
        raise StartupError(f"There is no backup file at {backup}.")
    try:
        connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise StartupError(f"{backup} is not a Staffroom SQLite backup.") from None


def pg_command(url: URL, action: str, file: Path, schema: str | None) -> PgCommand:
    """The pg_dump (backup) or pg_restore (restore) command for ``url``."""
    target = ["--host", url.host or "localhost", "--port", str(url.port or 5432)]
    if url.username:
        target += ["--username", url.username]
    env = {"PGPASSWORD": url.password} if url.password else {}
    database = url.database or "postgres"
    if action == "backup":
        argv = ["pg_dump", *target, "--format=custom", "--file", str(file)]
        if schema:
            argv += ["--schema", schema]
        return PgCommand(argv=[*argv, database], env=env)
    argv = ["pg_restore", *target, "--clean", "--if-exists", "--no-owner", "--dbname", database]
    return PgCommand(argv=[*argv, str(file)], env=env)


def run_pg(command: PgCommand) -> None:
    if shutil.which(command.argv[0]) is None:
        raise StartupError(
            f"{command.argv[0]} is not installed here; run this where it is: {command.shown()}"
        )
    done = subprocess.run(
        command.argv, env={**os.environ, **command.env}, capture_output=True, text=True
    )
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise StartupError(f"{command.argv[0]} failed: {detail}")


def backup(database_url: str, target: Path, *, schema: str | None = None) -> str:
    url = parse_database_url(database_url)
    if url.drivername.startswith("sqlite"):
        backup_sqlite(sqlite_path(url), target)
        return f"Backed up {sqlite_path(url)} to {target}."
    command = pg_command(url, "backup", target, schema)
    _private_target(target)
    run_pg(command)
    return f"Backed up PostgreSQL database {url.database} to {target} (pg_dump custom format)."


def restore(database_url: str, source: Path, *, schema: str | None = None) -> str:
    url = parse_database_url(database_url)
    if url.drivername.startswith("sqlite"):
        restore_sqlite(source, sqlite_path(url))
        return f"Restored {sqlite_path(url)} from {source}."
    if not source.is_file():
        raise StartupError(f"There is no backup file at {source}.")
    run_pg(pg_command(url, "restore", source, schema))
    return f"Restored PostgreSQL database {url.database} from {source}."
