"""aiosqlite without its worker thread: SQLite calls run right away on the event loop.

aiosqlite sends every call (cursor, execute, fetch, close) to a worker thread and back; on a
local file each SQLite call takes microseconds but each hop about 100 µs, so a handler's
handful of statements cost milliseconds. Staffroom's SQLite mode is one process with one
pooled connection, so running the calls inline is safe and many times faster. The cost: a
slow statement holds the loop while it runs, which is why large networks use PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite


class InlineConnection(aiosqlite.Connection):
    """An ``aiosqlite.Connection`` whose calls run in the caller's thread; no thread is started."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> InlineConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, InlineConnection]:
        return self._connect().__await__()

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def inline_creator(path: str, *, timeout: float) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine`` opening ``path`` in autocommit mode.

    Autocommit (``isolation_level=None``) leaves BEGIN to us, so that writes can take the lock
    up front with ``BEGIN IMMEDIATE``.
    """
    connector = partial(sqlite3.connect, path, timeout=timeout, isolation_level=None)

    async def create() -> InlineConnection:
        return await InlineConnection(connector, iter_chunk_size=64)

    return create
