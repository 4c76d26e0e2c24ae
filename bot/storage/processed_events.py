"""Remembering handled event ids, so that a platform's retry never runs a command twice.

``SharedEventLog`` (PostgreSQL, several processes) claims each id in the store inside the
event's own transaction: a retry on another process waits for the first attempt to commit and
is then dropped. ``LocalEventLog`` (SQLite, one process) keeps the ids in memory, loaded from
the store at start, and writes an id in the same transaction as the event's own changes; ids
of events that changed nothing are written in batches.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.base import core_table
from bot.storage.engine import Store
from bot.storage.models import ProcessedEvent
from bot.storage.tracking import changed_tables

EventKey = tuple[str, str]
"""(platform, platform event id)"""

BATCH = 200
_TABLE = core_table(ProcessedEvent)  # Core inserts: no ORM bookkeeping
_SQLITE_INSERT = sqlite.insert(_TABLE).on_conflict_do_nothing()


def _row(key: EventKey, now: datetime) -> dict[str, object]:
    return {"platform": key[0], "event_id": key[1][:128], "received_at": now}


class EventLog(Protocol):
    async def start(self, store: Store, now: datetime) -> None: ...

    async def claim(self, session: AsyncSession, key: EventKey, now: datetime) -> bool:
        """True for a first sighting (the caller goes on), False for a duplicate."""
        ...

    async def settle(self, session: AsyncSession, key: EventKey, now: datetime) -> None:
        """Called just before the event's transaction commits."""
        ...

    def release(self, key: EventKey) -> None:
        """Forget a claim whose transaction was rolled back so that the event can run again."""
        ...

    async def record_failed(self, store: Store, key: EventKey, now: datetime) -> None:
        """Keep the id of an event whose transaction was rolled back (we already answered it)."""
        ...

    async def flush(self, store: Store) -> None: ...

    async def prune(self, store: Store, before: datetime) -> int: ...


async def _prune_rows(store: Store, before: datetime) -> int:
    async with store.transaction() as session:
        result = await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < before)
        )
    return int(getattr(result, "rowcount", 0) or 0)


class SharedEventLog:
    _INSERT = postgresql.insert(_TABLE).on_conflict_do_nothing()

    async def start(self, store: Store, now: datetime) -> None:
        return None

    async def claim(self, session: AsyncSession, key: EventKey, now: datetime) -> bool:
        result = await session.execute(self._INSERT.values(**_row(key, now)))
        return bool(getattr(result, "rowcount", 0))

    async def settle(self, session: AsyncSession, key: EventKey, now: datetime) -> None:
        return None

    def release(self, key: EventKey) -> None:
        return None  # the claim was a row in the rolled-back transaction

    async def record_failed(self, store: Store, key: EventKey, now: datetime) -> None:
        async with store.transaction() as session:
            await session.execute(self._INSERT.values(**_row(key, now)))

    async def flush(self, store: Store) -> None:
        return None

    async def prune(self, store: Store, before: datetime) -> int:
        return await _prune_rows(store, before)


class LocalEventLog:
    def __init__(self, retention: timedelta) -> None:
        self._seen: OrderedDict[EventKey, datetime] = OrderedDict()
        self._pending: list[tuple[EventKey, datetime]] = []
        self._retention = retention

    async def start(self, store: Store, now: datetime) -> None:
        async with store.transaction() as session:
            rows = await session.execute(
                select(ProcessedEvent.platform, ProcessedEvent.event_id, ProcessedEvent.received_at)
                .where(ProcessedEvent.received_at >= now - self._retention)
                .order_by(ProcessedEvent.received_at)
            )
            for platform, event_id, received_at in rows:
                self._seen[(platform, event_id)] = received_at

    async def claim(self, session: AsyncSession, key: EventKey, now: datetime) -> bool:
        key = (key[0], key[1][:128])
        if key in self._seen:
            return False
        self._seen[key] = now
        self._forget_old(now)
        return True

    async def settle(self, session: AsyncSession, key: EventKey, now: datetime) -> None:
        self._pending.append(((key[0], key[1][:128]), now))
        if changed_tables(session.sync_session) or len(self._pending) >= BATCH:
            await self._write_pending(session)

    def release(self, key: EventKey) -> None:
        self._seen.pop((key[0], key[1][:128]), None)

    async def record_failed(self, store: Store, key: EventKey, now: datetime) -> None:
        self._pending.append(((key[0], key[1][:128]), now))

    async def flush(self, store: Store) -> None:
        if self._pending:
            async with store.transaction() as session:
                await self._write_pending(session)

    async def prune(self, store: Store, before: datetime) -> int:
        return await _prune_rows(store, before)

    async def _write_pending(self, session: AsyncSession) -> None:
        rows = [_row(key, when) for key, when in self._pending]
        self._pending = []
        await session.execute(_SQLITE_INSERT, rows)

    def _forget_old(self, now: datetime) -> None:
        cutoff = now - self._retention
        while self._seen:
            key, when = next(iter(self._seen.items()))
            if when >= cutoff:
                break
            del self._seen[key]
