"""The real ``staffroom`` command in a subprocess: scripted chat, db upgrade, bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.schema import SCHEMA_HEAD
from tests.support.stores import PG_SKIP_REASON, postgres_url, worker_schema


def staffroom(
    args: list[str], cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def test_scripted_chat_prints_a_transcript(tmp_path: Path) -> None:
    script = "help\nintro set tz Lisbon\nwhois me\npeople find subject:math\nhlep\n"
    result = staffroom(["chat", "--as", "ana"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ana@demo #general> help\n== What I can do for you (member) ==" in out
    assert "Updated your time zone: Europe/Lisbon" in out
    assert "Did you mean `help`?" in out
    assert (tmp_path / "staffroom.db").exists()


def test_db_upgrade_then_chat_on_postgres(tmp_path: Path) -> None:
    url = postgres_url()
    if url is None:
        pytest.skip(PG_SKIP_REASON)
    env = {"STAFFROOM_DATABASE_URL": url, "STAFFROOM_DATABASE_SCHEMA": worker_schema("_cli")}
    result = staffroom(["db", "upgrade"], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert "Schema " in result.stdout
    result = staffroom(["chat", "--tenant", f"cli{os.getpid()}"], tmp_path, "whois me\n", **env)
    assert "You haven't introduced yourself yet." in result.stdout


def test_db_upgrade_on_sqlite(tmp_path: Path) -> None:
    first = staffroom(["db", "upgrade"], tmp_path)
    assert first.stdout.strip() == f"Schema upgraded to {SCHEMA_HEAD}."
    again = staffroom(["db", "upgrade"], tmp_path)
    assert again.stdout.strip() == f"Schema already at {SCHEMA_HEAD}."


def test_a_bad_setting_stops_start_up_with_one_sentence(tmp_path: Path) -> None:
    result = staffroom(["chat"], tmp_path, "help\n", STAFFROOM_DATABASE_URL="mysql://db")
    assert result.returncode == 2
    assert result.stderr.startswith("staffroom: Setting database_url (STAFFROOM_DATABASE_URL)")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
