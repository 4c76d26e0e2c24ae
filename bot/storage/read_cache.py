"""Per-process caches of rows read on the hot path, used only when one process owns the store.

Like ``member_cache``: with SQLite every write goes through this process's sessions, so a
cache that depends on some tables is dropped whenever a transaction that changed one of them
commits or rolls back. A miss reads inside the caller's transaction, which holds the store's
only connection, so no write can slip in between the read and the ``put``. With PostgreSQL
several processes share the tables and ``read_cache`` answers None (no caching).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy.orm import Session

from bot.storage.tracking import UNKNOWN_TABLE, on_transaction_end

SESSION_KEY = "staffroom.read_caches"


class ReadCache:
    """Key → value, emptied when any of ``tables`` changes; emptied too when it grows past
    ``capacity`` (a simple bound: the hot set refills at once)."""

    def __init__(self, tables: frozenset[str], capacity: int) -> None:
        self.tables = tables | {UNKNOWN_TABLE}
        self.capacity = capacity
        self.entries: dict[Hashable, Any] = {}

    def put(self, key: Hashable, value: Any) -> None:
        if len(self.entries) >= self.capacity:
            self.entries.clear()
        self.entries[key] = value


class ReadCaches:
    """The named caches of one store."""

    def __init__(self) -> None:
        self._caches: dict[str, ReadCache] = {}

    def named(self, name: str, tables: frozenset[str], capacity: int) -> ReadCache:
        cache = self._caches.get(name)
        if cache is None:
            cache = self._caches[name] = ReadCache(tables, capacity)
        return cache

    def changed(self, tables: set[str]) -> None:
        for cache in self._caches.values():
            if cache.entries and not cache.tables.isdisjoint(tables):
                cache.entries.clear()


def read_cache(
    session: Session, name: str, tables: frozenset[str], capacity: int = 20_000
) -> ReadCache | None:
    """The cache ``name`` of this session's store, or None where caching is not safe."""
    caches = session.info.get(SESSION_KEY)
    if not isinstance(caches, ReadCaches):
        return None
    return caches.named(name, tables, capacity)


@on_transaction_end
def _drop_stale(session: Session, tables: set[str]) -> None:
    caches = session.info.get(SESSION_KEY)
    if tables and isinstance(caches, ReadCaches):
        caches.changed(tables)
