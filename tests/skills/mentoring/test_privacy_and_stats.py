"""Mentoring data in ``privacy export`` and ``privacy forget``, and in ``admin stats``."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.community.models import MentorPair
from bot.community.pairs import mentor_pairs
from bot.skills.mentoring.models import MenteeRequest, MentorOffer, MentorProposal
from tests.skills.mentoring.helpers import member_id, mentee, mentor
from tests.support.console import Chat


async def paired(chat: Chat) -> None:
    """ana mentors bo (accepted), and has an open proposal for cy."""
    await mentor(chat, "ana", "capacity:2")
    await mentee(chat, "bo", "subject:science my goals")
    await chat("/as mod moderator", "pair run")
    await chat("/as bo", "1")
    await chat("/as ana", "1")
    await mentee(chat, "cy")
    await chat("/as mod", "pair run")


async def test_export_holds_offer_request_proposals_and_pairs(chat: Chat, app: App) -> None:
    await paired(chat)
    await chat("/as bo", "mentor end 4 thanks")
    bo = await member_id(app, "bo")
    async with app.store.transaction() as session:
        exported: dict[str, Any] = {}
        for export in app.registry.exporters:
            exported.update(await export(session, 1, bo))
    json.dumps(exported)
    assert exported["mentee_request"]["goals"] == "my goals"
    assert exported["mentor_offer"] is None
    [proposal] = exported["mentoring_proposals"]
    assert (proposal["role"], proposal["status"], proposal["your_answer"]) == (
        "mentee",
        "accepted",
        "accepted",
    )
    [pair] = exported["mentoring_pairs"]
    assert (pair["role"], pair["your_rating"], pair["your_feedback"]) == ("mentee", 4, "thanks")
    assert pair["ended_at"] is not None
    reasons = ["both teach grade 7 science", "3 shared working hours"]
    assert proposal["reasons"] == pair["reasons"] == reasons  # stored as message and values


async def test_forgetting_a_mentor_ends_their_pairs(chat: Chat, app: App) -> None:
    await paired(chat)
    ana, bo = await member_id(app, "ana"), await member_id(app, "bo")
    async with app.store.transaction() as session:
        assert await mentor_pairs(session, 1) == [(ana, bo)]
        for erase in app.registry.erasers:
            await erase(session, 1, ana)
    async with app.store.transaction() as session:
        assert await mentor_pairs(session, 1) == []
        (pair,) = await session.scalars(select(MentorPair))
        assert (pair.mentor_member_id, pair.mentee_member_id) == (None, bo)
        for model in (MentorOffer, MentorProposal):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
        assert await session.scalar(select(func.count()).select_from(MenteeRequest)) == 2
    status = await chat("/as bo", "mentor status")
    assert "Mentored by" not in status and "matched" in status
    assert "looking for a mentor" in await chat("mentor request")


async def test_admin_stats_has_a_mentoring_section(chat: Chat) -> None:
    await paired(chat)
    await chat("/as cy", "2")
    stats = await chat("/as mod", "admin stats")
    assert "Mentoring" in stats
    assert "Pairs made: 1" in stats
    assert "Proposals: 2" in stats
    assert "Acceptance rate: 50% (1 of 2 answered proposals)" in stats
    assert "Mentors with free places: 1" in stats
