from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.app import App
from bot.scheduling.models import OutboxMessage
from bot.skills.checkins.models import CheckinPrompt
from bot.storage.models import AuditEntry
from tests.support.console import Chat


def form(schedule: str = "every monday 09:00", audience: str = "", zone: str = "") -> list[str]:
    return [
        "Weekly pulse",  # title
        "How was your week?",  # questions
        schedule,
        zone,  # time zone: empty keeps "member"
        audience,  # empty keeps "all"
        "#staff",  # summary channel
        "4",  # nudge after hours
        "24",  # summary after hours
    ]


def option(out: str, who: str, label: str) -> str:
    """The number the console gave ``label`` in the last DM to ``who``."""
    dm = out[out.rindex(f"── DM to @{who} ──") :]
    found = re.search(rf"\[(\d+)\] {label}", dm)
    assert found is not None
    return found.group(1)


async def people(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone London")
    await chat("/as ben", "intro set timezone New York")
    await chat("/as cy", "help")  # no time zone: the community's default (UTC)


async def test_weekly_checkin_end_to_end(chat: Chat, app: App) -> None:
    await people(chat)
    out = await chat("/as mo moderator", "checkin create", *form())
    assert "Check-in #1 “Weekly pulse” is set: every Monday at 09:00 (each member's local" in out
    assert "Next, in your time (UTC): Mon 09 Mar 09:00, Mon 16 Mar 09:00, Mon 23 Mar 09:00" in out
    # Monday 2 March, 12:00 UTC: it is still 07:00 in New York, so ben's round is today.
    week = await chat("/clock +7d")
    assert week.count("── DM to @ben ──") == 2  # the round, then one nudge four hours later
    assert "== Weekly pulse — 2026-03-02 ==\nResponses: 0 of 1 (0%)" in week
    for who in ("@ana", "@cy"):
        assert f"── DM to {who} ──\n== Weekly pulse ==\ncheck-in time!" in week
    out = await chat("/as ana", "/dm", "Planning went well")
    assert "your answer to “Weekly pulse” is recorded" in out
    later = await chat("/clock +2d")
    assert later.count("A gentle nudge") == 3  # cy, mo, ben; not ana, who answered
    assert "── DM to @ana ──" not in later
    summary = later[later.index("== Weekly pulse — 2026-03-09 ==") :]
    assert "Responses: 1 of 4 (25%)" in summary
    assert "Trend (earlier rounds): 0% → 25%" in summary
    assert "• @ana\n  How was your week?: Planning went well" in summary
    async with app.store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CheckinPrompt)) == 5
        assert (
            await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status != "sent")
            )
            == 0
        )
        assert "checkin.create" in set(await session.scalars(select(AuditEntry.action)))


async def test_members_answer_with_the_form_skip_snooze_and_mute(chat: Chat) -> None:
    await people(chat)
    await chat("/as mo moderator", "checkin create", *form(audience="@ana @cy"))
    week = await chat("/clock +7d")
    assert "── DM to @mo ──" not in week and "── DM to @ben ──" not in week
    out = await chat("/as cy", option(week, "cy", "Answer"))
    assert "── Weekly pulse ──" in out
    out = await chat("Tried the new seating plan")
    assert "is recorded" in out
    out = await chat("/as ana", option(week, "ana", "Snooze 1 h"))
    assert "I'll ask again in an hour" in out
    out = await chat("/clock +1h")
    assert "── DM from Staffroom ──\n== Weekly pulse ==\ncheck-in time!" in out
    assert "nudge" not in out  # cy answered; ana's snoozed prompt is her reminder
    out = await chat("/as ana", "checkin mute 1")
    assert "You won't get “Weekly pulse” any more" in out
    out = await chat("/clock +7d")
    assert "── DM to @ana ──" not in out
    assert "── DM to @cy ──" in out


async def test_preview_pause_resume_delete(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone Asia/Kolkata")
    await chat("/as mo moderator", "checkin create", *form(zone="Europe/London"))
    out = await chat("/as ana", "/role moderator", "checkin preview 1")
    # 09:00 in London is 14:30 in Kolkata before BST (29 March), 13:30 after.
    assert "Mon 2026-03-09 14:30" in out and "Mon 2026-03-30 13:30" in out
    assert "in your time zone (Asia/Kolkata)" in out
    out = await chat("checkin pause 1", "checkin list")
    assert "#1 Weekly pulse (paused) — every monday 09:00 (Europe/London)" in out
    assert "── DM" not in await chat("/clock +7d")
    out = await chat("checkin resume 1", "/clock +7d")
    assert "── DM to @mo ──" in out
    out = await chat("checkin delete 1", "/clock +7d", "checkin list")
    assert "is deleted" in out and "No check-ins yet" in out and "── DM" not in out


async def test_bad_input_is_answered_clearly(chat: Chat) -> None:
    out = await chat("/as mo moderator", "checkin create", *form(schedule="every blursday 9"))
    assert "I can't read `every blursday 9` as a schedule" in out
    assert "Try `mondays 9:00`" in out
    out = await chat("/cancel", "checkin create", *form(zone="Mars/Olympus"))
    assert "I don't know the time zone `Mars/Olympus`" in out
    out = await chat("/cancel", "checkin pause 7")
    assert "There's no check-in #7 here" in out
    out = await chat("/as pat member", "checkin create")
    assert "Only moderators and admins can use `checkin create`" in out


async def test_answers_and_mutes_are_exported_and_erased(chat: Chat, app: App) -> None:
    await people(chat)
    await chat("/as mo moderator", "checkin create", *form(audience="@ana"))
    await chat("/clock +7d", "/as ana", "/dm", "Marking mountain", "checkin mute 1")
    out = await chat("privacy show")
    assert "Marking mountain" in out and "Weekly pulse" in out
    await chat("privacy forget")
    assert "Staffroom has forgotten you" in await chat("1")
    async with app.store.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(CheckinPrompt)) == 0


async def test_admin_stats_show_checkins(chat: Chat) -> None:
    await people(chat)
    await chat("/as mo moderator", "checkin create", *form(audience="@ana @cy"))
    await chat("/clock +7d", "/as ana", "/dm", "Fine", "/as mo admin", "/clock +1d")
    out = await chat("admin stats")
    assert "Check-ins sent" in out and "50%" in out


async def test_summary_channel_defaults_to_the_summaries_channel(chat: Chat) -> None:
    answers = form()
    answers[5] = ""  # no summary channel
    out = await chat("/as mo moderator", "checkin create", *answers)
    assert "admin channel summaries #channel" in out
    await chat("/cancel", "admin channel summaries #weekly")
    out = await chat("checkin create", *answers)
    assert "summary in #weekly" in out
