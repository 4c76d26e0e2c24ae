"""Files that hold community data (SQLite databases, backups) are readable by their owner only."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE = 0o600


def create_private(path: Path) -> None:
    """Create ``path`` empty and private to this user unless it exists.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's permissions, so creating
    the database this way keeps them private too.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def make_private(path: Path) -> None:
    """Create ``path`` private to this user, or take group and others' access off it."""
    create_private(path)
    os.chmod(path, PRIVATE)
