"""The lock that keeps a second Staffroom process away from the same SQLite file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.storage.errors import StartupError


class SingleProcessLock:
    """An exclusive ``flock`` on ``<database>.lock``, held for the life of the store."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StartupError(
                f"Another Staffroom process is already using {self.path.with_suffix('')}: "
                "SQLite allows one process, so stop the other one or use PostgreSQL "
                "(STAFFROOM_DATABASE_URL) to run several."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
