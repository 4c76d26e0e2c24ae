"""Schema upgrades through Alembic, checked cheaply on every start.

``SCHEMA_HEAD`` names the newest migration of the one chain built-in skills share; a test
keeps it equal to Alembic's own head, so that a start on a current database never has to
import Alembic at all. A third-party skill ships its own branch (a versions directory, named
in its manifest, whose first revision ``depends_on`` the core revision it needs); ``branches``
adds those directories, and an upgrade then goes to every head.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from bot.storage.engine import Store
from bot.storage.errors import StartupError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

_log = logging.getLogger(__name__)

SCHEMA_HEAD = "0023_events"
LIBRARY_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})
"""Tables our migrations create but a platform library describes and uses (slack_sdk's
installation and OAuth state stores), so they have no models here; the Slack adapter's tests
compare them with the library's own definitions."""
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 0x57AFF400  # any constant shared by every Staffroom process


def alembic_config(connection: Connection | None = None, branches: Sequence[Path] = ()) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    locations = [MIGRATIONS_DIR / "versions", *branches]
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
    config.attributes["connection"] = connection
    return config


def current_revisions(connection: Connection) -> set[str]:
    """The revisions the database is at (one per branch), or none for an empty database."""
    try:
        with connection.begin_nested():
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return set()
    return {row[0] for row in rows}


def current_revision(connection: Connection) -> str | None:
    """The revision of the built-in chain the database is at, or None for an empty database
    (a skill's branch revisions are named after the skill, so the built-in ones sort first;
    a database with a skill's branch may hold only that branch's revision)."""
    revisions = current_revisions(connection)
    if SCHEMA_HEAD in revisions:
        return SCHEMA_HEAD
    return min(revisions, default=None)


def _script(branches: Sequence[Path]) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(branches=branches))


def known_revisions(branches: Sequence[Path] = ()) -> set[str]:
    return {rev.revision for rev in _script(branches).walk_revisions()}


def _at_every_head(revisions: set[str], branches: Sequence[Path]) -> bool:
    """Whether a database at ``revisions`` needs nothing applied. Without branches that is
    ``SCHEMA_HEAD`` among them (no Alembic import); with them, Alembic keeps only the newest
    revision of a branch that ``depends_on`` the core chain, so applied is what those
    revisions reach through their down revisions and dependencies."""
    if not branches:
        return SCHEMA_HEAD in revisions
    script = _script(branches)
    known = {rev.revision for rev in script.walk_revisions()}
    applied: set[str] = set()
    pending = [rev for rev in revisions if rev in known]
    while pending:
        revision = pending.pop()
        if revision in applied:
            continue
        applied.add(revision)
        found = script.get_revision(revision)
        assert found is not None
        pending += [*_ids(found.down_revision), *_ids(found.dependencies)]
    return set(script.get_heads()) <= applied


def _ids(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _upgrade(
    connection: Connection, schema: str | None, branches: Sequence[Path]
) -> tuple[str | None, bool]:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        if schema:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    before = current_revisions(connection)
    was = current_revision(connection)
    if _at_every_head(before, branches):
        return was, False
    unknown = before - known_revisions(branches)
    if unknown:
        raise StartupError(
            f"The database is at schema revision {min(unknown)!r}, which neither this version "
            "of Staffroom nor its installed skills know; upgrade Staffroom (or install the "
            "skill again) before starting it on this database."
        )
    from alembic import command

    command.upgrade(alembic_config(connection, branches), "heads")
    return was, True


def at_every_head(connection: Connection, branches: Sequence[Path] = ()) -> bool:
    """Whether the schema is at every head (the built-in chain's, and ``branches``')."""
    return _at_every_head(current_revisions(connection), branches)


async def is_current(store: Store, branches: Sequence[Path] = ()) -> bool:
    async with store.engine.connect() as conn:
        return await conn.run_sync(at_every_head, branches)


async def upgrade_schema(store: Store, branches: Sequence[Path] = ()) -> bool:
    """Bring the schema to ``SCHEMA_HEAD`` and the heads of ``branches`` (skills' own
    migrations); returns True when anything was applied.

    Safe with several processes on PostgreSQL: they queue on an advisory lock.
    """
    try:
        async with store.engine.begin() as conn:
            before, changed = await conn.run_sync(_upgrade, store.schema, branches)
    except (OSError, DBAPIError) as exc:
        raise StartupError(
            f"Cannot reach the database ({type(exc).__name__}: {str(exc).splitlines()[0]}); "
            "check STAFFROOM_DATABASE_URL and that the database server is running."
        ) from exc
    if changed:
        _log.info("Upgraded the schema from %s to %s", before or "an empty database", SCHEMA_HEAD)
    return changed
