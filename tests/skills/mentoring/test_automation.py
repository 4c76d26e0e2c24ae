"""Pairing rounds on a schedule, and proposal deadlines that tell people when they pass."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from bot.scheduling.models import ScheduleRow
from bot.skills.mentoring.models import MentorProposal
from bot.storage.models import AuditEntry
from tests.skills.mentoring.helpers import mentee, mentor
from tests.support.console import Chat


async def proposals(app: App) -> list[MentorProposal]:
    async with app.store.transaction() as session:
        return list(await session.scalars(select(MentorProposal).order_by(MentorProposal.id)))


async def test_an_automatic_round_runs_at_its_time_and_reports_to_the_moderator(
    chat: Chat, app: App
) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator")
    assert "Automatic pairing rounds are off" in await chat("pair auto")
    out = await chat("pair auto every tuesday 10:00")
    assert (
        "run automatically every Tuesday at 10:00 — next Tue 03 Mar 10:00, Tue 10 Mar 10:00, "
        "Tue 17 Mar 10:00 (UTC)"
    ) in out
    assert "next Tue 03 Mar 10:00" in await chat("pair auto")

    early = await chat("/clock 2026-03-03 09:59")
    assert "DM to" not in early and await proposals(app) == []
    ran = await chat("/clock +1m")
    assert "── DM to @ana ──" in ran and "Would you mentor @bo?" in ran
    assert "── DM to @bo ──" in ran
    assert "── DM from Staffroom ──" in ran  # the moderator's report
    assert "The automatic pairing round sent 1 proposal(s); 0 mentee(s) wait" in ran
    assert len(await proposals(app)) == 1

    again = await chat("/clock +7d")
    assert again.count("expired before you both accepted") == 2  # after 72 hours
    assert "sent 1 proposal(s)" in again  # next Tuesday: back in the pool, proposed again
    assert len(await proposals(app)) == 2
    async with app.store.transaction() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert "pair auto" in actions


async def test_a_deadline_tells_both_sides_when_it_passes(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "pair run")
    assert "expired" not in await chat("/clock +71h")
    passed = await chat("/clock +2h")
    assert passed.count("expired before you both accepted") == 2
    assert "── DM to @ana ──" in passed and "── DM to @bo ──" in passed
    (proposal,) = await proposals(app)
    assert proposal.status == "expired"
    assert "DM to" not in await chat("/clock +3d")  # told once


async def test_bad_schedules_change_nothing_and_off_turns_rounds_off(chat: Chat, app: App) -> None:
    await chat("/as mod moderator")
    assert "Try `mondays 9:00`" in await chat("pair auto whenever you like")
    assert "need a repeating schedule" in await chat("pair auto tomorrow 9:00")
    assert "were already off" in await chat("pair auto off")
    await chat("pair auto every monday 10:00")
    assert "Automatic pairing rounds are off." in await chat("pair auto off")
    async with app.store.transaction() as session:
        rounds = select(func.count()).where(ScheduleRow.job == "mentoring.round")
        assert await session.scalar(rounds) == 0
    assert "Only moderators and admins" in await chat("/as bo", "pair auto every monday 10:00")
