"""Shared steps for the mentoring tests: people with intros, and scheduled-style calls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select

from bot.app import App
from bot.core.context import Context
from bot.core.events import Actor, Event, EventKind, Place, TenantRef
from bot.core.members import TenantDirectory, ensure_member, find_member
from bot.core.roles import Role
from bot.storage.models import Tenant
from tests.support.console import Chat

T = TypeVar("T")

MENTOR = {
    "role": "teacher",
    "subjects": "science",
    "grades": "7",
    "tz": "Europe/Lisbon",
    "languages": "English",
    "years": "12",
}
MENTEE = MENTOR | {"tz": "America/New_York", "years": "1"}


async def mentor(chat: Chat, who: str, *extra: str, **fields: str) -> str:
    """``who`` with a complete intro offers to mentor (``extra``: words after `mentor offer`)."""
    out = await chat.person(who, name=who.capitalize(), **(MENTOR | fields))
    return out + "\n" + await chat(" ".join(["mentor offer", *extra]))


async def mentee(chat: Chat, who: str, *extra: str, **fields: str) -> str:
    out = await chat.person(who, name=who.capitalize(), **(MENTEE | fields))
    return out + "\n" + await chat(" ".join(["mentor request", *extra]))


async def member_id(app: App, user_id: str, tenant: str = "demo") -> int:
    async with app.store.transaction() as session:
        tenant_id = await session.scalar(select(Tenant.id).where(Tenant.external_id == tenant))
        assert tenant_id is not None
        found = await find_member(session, tenant_id, user_id)
        assert found is not None
        return found.id


async def as_scheduler(
    app: App, chat: Chat, job: Callable[[Context], Awaitable[T]], tenant: str = "demo"
) -> tuple[T, str]:
    """Run ``job`` the way the scheduler will: its own context and transaction, then deliver
    what it sent. Returns the job's result and what the console printed."""
    ref = TenantRef(platform="console", external_id=tenant, name=tenant)
    now = app.clock.now()
    async with app.store.transaction() as session:
        info = await TenantDirectory().ensure(session, ref, now)
        actor = await ensure_member(session, info.id, "staffroom", now)
        ctx = Context(
            event=Event(
                kind=EventKind.INVOCATION,
                event_id=f"scheduled-{now.isoformat()}",
                tenant=ref,
                actor=Actor(user_id="staffroom", is_bot=True),
                place=Place(channel_id="general"),
            ),
            tenant=info,
            member=actor,
            role=Role.ADMIN,
            session=session,
            clock=app.clock,
            registry=app.registry,
        )
        result = await job(ctx)
        queued = await app.dispatcher.outbox.enqueue(session, info.id, ctx.outgoing, "test", now)
    await app.dispatcher.outbox.send_now(queued)
    return result, "\n".join(chat.session.take_output())
