"""A skill installed as a package of its own (tests/sample_skill: a table, its own Alembic
branch, a command, a scheduled job) is found through its entry point and works in the
console, without anything in Staffroom naming it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.adapters.console.session import ConsoleSession
from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from bot.storage.schema import SCHEMA_HEAD
from tests.support.console import Chat
from tests.test_cli import staffroom

SAMPLE = Path(__file__).resolve().parents[1] / "sample_skill"


@pytest.fixture
def kudos_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pip install staffroom-kudos``, as far as Python can tell: the package and its
    dist-info on ``sys.path``."""
    monkeypatch.syspath_prepend(str(SAMPLE))


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def revisions(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {rev for (rev,) in connection.execute("SELECT version_num FROM alembic_version")}


async def test_a_third_party_skill_works_in_the_console(
    kudos_installed: None, tmp_path: Path, clock: ManualClock
) -> None:
    db = tmp_path / "staffroom.db"
    app = await start_app(Settings(database_url=f"sqlite+aiosqlite:///{db}"), clock=clock)
    try:
        assert "kudos" in app.registry.skills()
        assert "kudos_0001" in revisions(db) and "kudos" in tables(db)
        session = ConsoleSession(
            app.dispatcher, clock=clock, exports_dir=tmp_path, scheduler=app.scheduler
        )
        chat = Chat(session)
        await chat("/as bea", "help")
        out = await chat("/as ana", "kudos @bea for the lab safety slides")
        assert "Kudos sent to @bea." in out
        assert "── DM to @bea ──" in out and "@ana thanks you: the lab safety slides" in out
        assert "• @bea — the lab safety slides (from @ana)" in await chat("kudos board")
        assert "Kudos are for someone else" in await chat("kudos @ana for me")
        assert "Usage: `kudos @member <reason>`" in await chat("help kudos")
        out = await chat("/as mo moderator", "admin channel kudos #staff", "kudos weekly")
        assert "Every Friday at 15:00 (UTC) I'll post the week's kudos." in out
        week = await chat("/clock +7d")
        assert "── in #staff ──" in week
        assert "Kudos this week" in week and "• @bea — the lab safety slides" in week
        assert "reason: the lab safety slides" in await chat("/as ana", "privacy show")
    finally:
        await app.close()


def test_db_upgrade_applies_the_skills_own_branch(kudos_installed: None, tmp_path: Path) -> None:
    result = staffroom(["db", "upgrade"], tmp_path, PYTHONPATH=str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "kudos" in tables(tmp_path / "staffroom.db")
    assert "kudos_0001" in revisions(tmp_path / "staffroom.db")
    again = staffroom(["db", "upgrade"], tmp_path, PYTHONPATH=str(SAMPLE))
    assert "Schema already at" in again.stdout
    doctor = staffroom(["doctor"], tmp_path, PYTHONPATH=str(SAMPLE))
    assert f"[  ok] schema: at {SCHEMA_HEAD}" in doctor.stdout


def test_a_skill_that_cannot_load_stops_staffroom_with_one_sentence(tmp_path: Path) -> None:
    site = tmp_path / "site"
    info = site / "staffroom_broken-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: staffroom-broken\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[staffroom.skills]\nbroken = no_such_module:SKILL\n")
    result = staffroom(["chat"], tmp_path, "help\n", PYTHONPATH=str(site))
    assert result.returncode == 2
    assert result.stderr.startswith(
        "staffroom: The installed skill 'broken' (no_such_module:SKILL) cannot be loaded "
        "(ModuleNotFoundError: No module named 'no_such_module'); fix or uninstall it."
    )
