"""The real ``staffroom`` command in a subprocess: scripted chat, db upgrade, bad settings."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bot.adapters.slack.setup import BOT_SCOPES
from bot.cli import main
from bot.settings import load_settings
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


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"staffroom {metadata.version('staffroom')}"


def test_init_writes_commented_settings_and_says_what_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "Wrote staffroom.toml" in out
    assert "staffroom chat" in out
    assert "staffroom slack manifest" in out
    written = tmp_path / "staffroom.toml"
    assert written.read_text().startswith("# Staffroom settings")
    if sys.platform != "win32":
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    load_settings()  # the file it wrote is valid as it is
    written.write_text('log_level = "DEBUG"\n')
    assert main(["init"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert written.read_text() == 'log_level = "DEBUG"\n'
    assert main(["init", "--force"]) == 0
    assert written.read_text().startswith("# Staffroom settings")


def test_slack_manifest_is_the_one_doctor_checks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack", "manifest"]) == 0
    manifest = capsys.readouterr().out
    assert "socket_mode_enabled" in manifest
    for scope in BOT_SCOPES:
        assert f"- {scope}\n" in manifest


def test_an_unsupported_system_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", "sunos5")
    assert main(["doctor"]) == 2
    assert capsys.readouterr().err == (
        "staffroom: Staffroom runs on Linux, macOS and Windows; this system (sunos5) is not one "
        "of them. Run it in the Docker image or on one of those.\n"
    )
