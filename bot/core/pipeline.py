"""What the dispatcher's one pipeline asks of the layers around it: an event policy per kind of
event, and the outbox every message that is not an inline answer goes through.

Every event runs the same way: the policy claims it (an event id, a due occurrence), names its
actor, the route runs the skill in one transaction with the claim, the skill's messages are
written to the outbox in that transaction, and the outbox sends them after the commit. What
differs between a member's message and a scheduled job is only the policy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Outgoing
from bot.core.events import Event
from bot.core.members import MemberInfo, TenantInfo, ensure_member
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.storage.engine import Store
from bot.storage.processed_events import EventKey, EventLog, LocalEventLog, SharedEventLog

_log = logging.getLogger(__name__)


class EventPolicy(Protocol):
    """How one kind of event is claimed once, who acts in it, and what a failure leaves."""

    async def claim(self, session: AsyncSession, event: Event, now: datetime) -> bool:
        """Claim the event in this transaction; False when it already ran or is not due here
        (the event then does nothing)."""
        ...

    async def actor(
        self, session: AsyncSession, event: Event, tenant: TenantInfo, now: datetime
    ) -> tuple[MemberInfo, Role]:
        """The member the event acts as, and their role."""
        ...

    async def settle(self, session: AsyncSession, event: Event, now: datetime) -> None:
        """The event ran; called in its transaction, before the commit."""
        ...

    async def release(self, event: Event) -> None:
        """The claimed event's transaction was rolled back to be run again (after a question
        to the platform); forget whatever the claim kept outside that transaction."""
        ...

    async def failed(self, event: Event, now: datetime) -> None:
        """The claimed event raised and its transaction was rolled back; remember that in a
        transaction of its own so it is not run again and again."""
        ...


class Outbox(Protocol):
    """Where DMs, posts and group DMs wait to be sent (``bot.scheduling.outbox``)."""

    async def enqueue(
        self,
        session: AsyncSession,
        tenant_id: int,
        outgoing: Sequence[Outgoing],
        source: str,
        now: datetime,
    ) -> list[int]:
        """Write messages as pending rows in the caller's transaction; returns their ids."""
        ...

    async def send_now(self, ids: Sequence[int]) -> list[Reply]:
        """Send these just-committed rows at once (a member is waiting); returns a private
        note for each message that could not be delivered and will not be retried."""
        ...


class MemberEvents:
    """The policy of events a member caused: a platform event id is handled once (platforms
    retry), and the actor is the member, created on first sight."""

    def __init__(self, store: Store, retention: timedelta) -> None:
        self.store = store
        self.retention = retention
        self.log: EventLog = LocalEventLog(retention) if store.single_process else SharedEventLog()

    async def start(self, now: datetime) -> None:
        """Forget event ids past the retention window and load the rest (see ``EventLog``)."""
        await self.log.prune(self.store, now - self.retention)
        await self.log.start(self.store, now)

    async def close(self) -> None:
        await self.log.flush(self.store)

    async def claim(self, session: AsyncSession, event: Event, now: datetime) -> bool:
        return await self.log.claim(session, _key(event), now)

    async def actor(
        self, session: AsyncSession, event: Event, tenant: TenantInfo, now: datetime
    ) -> tuple[MemberInfo, Role]:
        member = await ensure_member(
            session, tenant.id, event.actor.user_id, now, display_name=event.actor.display_name
        )
        return member, max(member.granted_role, event.actor.platform_role)

    async def settle(self, session: AsyncSession, event: Event, now: datetime) -> None:
        await self.log.settle(session, _key(event), now)

    async def release(self, event: Event) -> None:
        self.log.release(_key(event))

    async def failed(self, event: Event, now: datetime) -> None:
        """Keep a failed event's id so that a platform retry does not run it again."""
        await self.log.record_failed(self.store, _key(event), now)


def _key(event: Event) -> EventKey:
    return (event.platform, event.event_id)
