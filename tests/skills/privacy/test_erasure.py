from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.core.commands import Registry
from bot.core.members import find_member
from bot.core.skills import Skill, discover_skills
from bot.skills.privacy.erasure import forget_departed_members
from bot.storage.models import AuditEntry, Member
from tests.support.console import Chat
from tests.support.rows import rows_naming

INTRO = {"name": "Quentin Quill", "role": "teacher", "subjects": "art", "grades": "2", "tz": "UTC"}


async def member_id(app: App, user_id: str, tenant_id: int = 1) -> int | None:
    async with app.store.transaction() as session:
        found = await find_member(session, tenant_id, user_id)
    return found.id if found else None


async def test_departed_members_are_forgotten_after_the_retention_period(
    chat: Chat, app: App
) -> None:
    await chat("/join quill7", "/join back")
    await chat.person("quill7", **INTRO)
    await chat("/as mod moderator", "admin block @quill7", "/leave quill7", "/leave back")
    await chat("/tenant north", "/join early", "/as mod", "admin config privacy.retention_days 10")
    await chat("/leave early", "/tenant demo")
    quill = await member_id(app, "quill7")
    assert quill is not None
    app.clock.advance(timedelta(days=10, minutes=1))
    assert await forget_departed_members(app.store, app.clock, app.registry) == 1
    assert await member_id(app, "early", tenant_id=2) is None
    await chat("/join back")  # came back within the period: kept
    app.clock.advance(timedelta(days=20))
    assert await member_id(app, "quill7") == quill
    assert await forget_departed_members(app.store, app.clock, app.registry) == 1
    assert await forget_departed_members(app.store, app.clock, app.registry) == 0
    assert await rows_naming(app.store, member_id=quill, names=("quill7", "Quentin Quill")) == []
    assert await member_id(app, "back") is not None
    async with app.store.transaction() as session:
        notes = [
            (e.tenant_id, e.actor_name, e.target, e.after)
            for e in await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "privacy retention")
            )
        ]
    assert notes == [
        (2, "Staffroom", "", {"forgotten": 1, "retention_days": 10}),
        (1, "Staffroom", "", {"forgotten": 1, "retention_days": 30}),
    ]
    assert "privacy retention · — → forgotten: 1, retention_days: 30" in await chat("admin audit")
    out = await chat("/join quill7", "/as quill7", "whois me")  # a fresh start, not a stale id
    assert "You haven't introduced yourself yet." in out


async def test_a_failing_eraser_skips_only_that_member(
    app: App, chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    await chat("/join ana", "/join bea", "/leave ana", "/leave bea")
    ana = await member_id(app, "ana")

    async def fragile(session: AsyncSession, tenant_id: int, member: int) -> None:
        if member == ana:
            raise RuntimeError("disk on fire")

    extra = Skill(name="fragile", erasers=(fragile,))
    registry = Registry.from_skills([*discover_skills(), extra])
    app.clock.advance(timedelta(days=31))
    with caplog.at_level(logging.ERROR):
        assert await forget_departed_members(app.store, app.clock, registry) == 1
    assert "could not forget departed member" in caplog.text
    assert await member_id(app, "ana") == ana  # rolled back whole, tried again next time
    assert await member_id(app, "bea") is None
    assert await forget_departed_members(app.store, app.clock, app.registry) == 1
    async with app.store.transaction() as session:
        assert list(await session.scalars(select(Member.user_id))) == []
