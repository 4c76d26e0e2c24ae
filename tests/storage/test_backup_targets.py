"""``staffroom db backup`` refuses targets that would lose data or can't be written, in one
sentence (the live file was "backed up" onto itself; the rest gave sqlite3 tracebacks)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.backup import backup
from bot.storage.errors import StartupError


@pytest.fixture
def live(tmp_path: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")},
        timeout=60,
        check=True,
    )
    assert "Schema" in result.stdout
    return tmp_path / "staffroom.db"


@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("staffroom.db", "is the live database itself"),
        ("./sub/../staffroom.db", "is the live database itself"),
        ("staffroom.db-wal", "is the live database itself"),
        ("missing/backup.db", "There is no folder .*missing for the backup; create it first"),
        (".", "is a folder; name a file in it"),
        ("notes.txt", "exists and is not a SQLite database; I won't overwrite it"),
    ],
)
def test_bad_backup_targets_are_refused(live: Path, target: str, refusal: str) -> None:
    (live.parent / "sub").mkdir()
    (live.parent / "notes.txt").write_text("my lesson notes")
    before = live.read_bytes()
    with pytest.raises(StartupError, match=refusal):
        backup(f"sqlite+aiosqlite:///{live}", live.parent / target)
    assert live.read_bytes() == before
    assert (live.parent / "notes.txt").read_text() == "my lesson notes"


def test_the_cli_answers_a_bad_target_in_one_sentence(live: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "backup", "staffroom.db"],
        cwd=live.parent,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "staffroom: staffroom.db is the live database itself; back up to another file, "
        "like staffroom-backup.db."
    ]


def test_a_backup_may_replace_an_older_backup(live: Path) -> None:
    target = live.parent / "old-backup.db"
    backup(f"sqlite+aiosqlite:///{live}", target)
    assert "Backed up" in backup(f"sqlite+aiosqlite:///{live}", target)
