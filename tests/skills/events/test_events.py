"""Events through the console: a moderator creates one, members in three zones answer and are
reminded at their own local times, a calendar file parses, moving and cancelling tell
everyone who answered."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select

from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.core.events import EventKind
from bot.core.roles import Role
from bot.scheduling.models import OutboxMessage
from bot.settings import Settings
from tests.support.console import Chat
from tests.support.events import message

WEBINAR = (
    'event create "Formative assessment webinar" 2026-03-05 16:00 Europe/London 60m '
    "https://meet.example/fa Bring one exit ticket"
)


async def _three_zones(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone New York")
    await chat("/as bea", "intro set timezone Tokyo")
    await chat("/as cy", "intro set timezone Berlin")


async def test_members_in_three_zones_answer_and_are_reminded_at_their_local_times(
    chat: Chat,
) -> None:
    await _three_zones(chat)
    out = await chat("/as mo moderator", WEBINAR)
    assert "== Formative assessment webinar ==" in out
    assert "Thu 05 Mar 2026 16:00 (Europe/London) · 60 min" in out
    assert "[1] Going   [2] Maybe   [3] Not going   [4] Add to calendar" in out
    out = await chat("/as ana", "event show 1", "1")
    assert "Thu 05 Mar 2026 11:00 (America/New_York)" in out
    assert "You're going to Formative assessment webinar on Thu 05 Mar 2026 11:00" in out
    out = await chat("/as bea", "event show 1", "1")
    assert "Fri 06 Mar 2026 01:00 (Asia/Tokyo)" in out
    await chat("/as cy", "event show 1", "2")
    out = await chat("event list")
    assert "#1 Thu 05 Mar 2026 17:00 (Europe/Berlin) — Formative assessment webinar" in out
    assert "(2 going) · you: maybe" in out

    out = await chat("/clock 2026-03-04 15:59")
    assert "⏰" not in out
    out = await chat("/clock +1m")  # 24 hours before, to those going only
    assert "── DM to @ana ──\n⏰ Formative assessment webinar starts in 24 hours: " in out
    assert "in 24 hours: Thu 05 Mar 2026 11:00 (America/New_York)." in out
    assert "in 24 hours: Fri 06 Mar 2026 01:00 (Asia/Tokyo)." in out
    assert "@cy" not in out
    out = await chat("/clock 2026-03-05 15:45")  # 15 minutes before
    assert out.count("⏰ Formative assessment webinar starts") == 2
    assert "https://meet.example/fa" in out

    out = await chat("/clock 2026-03-05 17:00")  # it has ended: did you attend?
    assert out.count("Did you attend Formative assessment webinar?") == 3
    out = await chat("/as bea", "/clock +1m")
    out = await chat("event list")
    assert "Nothing is planned yet" in out


async def test_attendance_and_one_question_feedback(chat: Chat, app: App) -> None:
    await chat("/as mo moderator", WEBINAR, "/as ana", "event show 1", "1")
    out = await chat("/as mo", "/clock 2026-03-05 17:00")
    assert "── DM to @ana ──\nDid you attend Formative assessment webinar?" in out
    await chat("/as ana")
    actions = [a.label for a in chat.session.users["ana"].actions]
    out = await chat(str(actions.index("Yes") + 1))
    assert "how useful was Formative assessment webinar?" in out
    out = await chat(str(len(chat.session.users["ana"].actions)))  # the last button: 5
    assert "Thank you" in out
    assert "is over" in await chat("event show 1")
    out = await chat("/as mo", "admin stats")
    assert "Events and office hours" in out and "5.0 / 5" in out


async def test_calendar_file_parses(chat: Chat, tmp_path: Path) -> None:
    await chat("/as mo moderator", WEBINAR)
    await chat('event create "Monthly meetup" first tuesday of the month 17:00 Europe/Paris 45m')
    out = await chat("event ics 1")
    assert "event-1.ics" in out
    calendar = Calendar.from_ical((tmp_path / "exports" / "event-1.ics").read_bytes())
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Formative assessment webinar"
    assert item.decoded("dtstart").isoformat() == "2026-03-05T16:00:00+00:00"
    assert item.decoded("dtend").isoformat() == "2026-03-05T17:00:00+00:00"
    assert str(item["url"]) == "https://meet.example/fa"
    await chat("event ics 2")
    calendar = Calendar.from_ical((tmp_path / "exports" / "event-2.ics").read_bytes())
    [item] = calendar.walk("VEVENT")
    assert item["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=1TU"
    assert item.decoded("dtstart").isoformat() == "2026-03-03T17:00:00+01:00"
    assert calendar.walk("VTIMEZONE")


async def test_moving_and_cancelling_tell_everyone_who_answered(chat: Chat) -> None:
    await _three_zones(chat)
    await chat("/as mo moderator", WEBINAR)
    await chat("/as ana", "event show 1", "1", "/as bea", "event show 1", "3")
    out = await chat("/as ana", "event move 1 2026-03-06 16:00")
    assert "Only the organiser or a moderator" in out
    out = await chat("/as mo", "event move 1 2026-03-06 16:00")
    assert "Event #1 is moved to Fri 06 Mar 2026 16:00 (Europe/London); 2 told." in out
    assert "── DM to @ana ──\n== Moved: Formative assessment webinar ==" in out
    assert "It is now on Fri 06 Mar 2026 11:00 (America/New_York)." in out
    out = await chat("/clock 2026-03-05 15:45")  # the old reminder time: nothing
    assert "⏰" not in out
    out = await chat("/clock 2026-03-05 16:00")
    assert "⏰ Formative assessment webinar starts in 24 hours: Fri 06 Mar 2026 11:00" in out
    out = await chat("/clock 2026-03-06 15:45")
    assert "starts in 15 minutes" in out and "@ana" in out and "@bea" not in out
    await chat("/as mo", 'event create "Book club" 2026-03-10 18:00 UTC 30m')
    await chat("/as cy", "event show 2", "1")
    out = await chat("/as mo", "event cancel 2")
    assert "Event #2 is cancelled; 1 told." in out
    assert "Cancelled: Book club on Tue 10 Mar 2026 19:00 (Europe/Berlin)" in out
    assert "⏰" not in await chat("/clock 2026-03-11 00:00")


async def test_recurring_event_answers_each_meeting(chat: Chat) -> None:
    out = await chat(
        "/as mo moderator", "/in staff", 'event create "Meetup" every wednesday 17:00 UTC 45m'
    )
    assert "Repeats: every wednesday 17:00 (UTC)" in out
    await chat("/as ana", "event show 1", "1")
    out = await chat("/clock 2026-03-04 18:00")
    assert "⏰ Meetup starts" in out and "Did you attend Meetup?" in out
    assert "── in #staff ──\n== Meetup ==" in out  # the next meeting is announced
    out = await chat("/clock 2026-03-11 17:00")
    assert "⏰" not in out  # going was for last week's meeting only


async def test_bad_input_is_answered_and_members_need_permission(chat: Chat) -> None:
    out = await chat("/as ana", WEBINAR)
    assert "Only moderators can create events" in out
    await chat("/as mo moderator", "admin config events.members_can_create yes")
    out = await chat("/as ana", 'event create "Late" 2020-01-01 10:00 UTC 60m')
    assert "already passed" in out
    out = await chat('event create "No length" 2026-04-01 10:00 UTC')
    assert "Say when and for how long" in out
    out = await chat('event create "Long" 2026-04-01 10:00 UTC 13h')
    assert "5 minutes to 12 hours" in out
    out = await chat('event create "Odd" whenever 60m')
    assert "as a schedule" in out
    assert "There is no event #7" in await chat("event show 7")
    out = await chat('event create "Allowed" 2026-04-01 10:00 UTC 60m')
    assert "== Allowed ==" in out


async def test_answers_are_exported_and_erased(chat: Chat) -> None:
    await chat("/as mo moderator", WEBINAR, "/as ana", "event show 1", "1")
    out = await chat("privacy show")
    assert "Formative assessment webinar" in out and "going" in out
    await chat("privacy forget")
    assert "Staffroom has forgotten you" in await chat("1")
    out = await chat("/as mo", "event list")
    assert "(0 going)" in out
    assert "⏰" not in await chat("/clock 2026-03-06 00:00")


async def test_each_reminder_is_written_once_even_with_two_instances(
    app: App, settings: Settings, clock: ManualClock
) -> None:
    """Two Staffroom instances (each its own connection pool, as two processes have) tick at
    the reminder's moment on PostgreSQL: the occurrence is claimed once, so one DM each."""
    for user in ("ana", "bea"):
        await app.dispatcher.handle(message("help", user=user))
    [card] = await app.dispatcher.handle(message(WEBINAR, user="mo", role=Role.MODERATOR))
    going = next(b.action for b in card.buttons if b.label == "Going")
    for user in ("ana", "bea"):
        await app.dispatcher.handle(
            message("", user=user, kind=EventKind.INVOCATION, invocation=going)
        )
    postgres = settings.database_url.startswith("postgresql")
    other = await start_app(settings, clock=clock) if postgres else app
    try:
        clock.set(datetime(2026, 3, 4, 16, 0, tzinfo=UTC))
        await asyncio.gather(app.scheduler.tick(), other.scheduler.tick())
    finally:
        if other is not app:
            await other.close()
    async with app.store.transaction() as session:
        rows = list(await session.scalars(select(OutboxMessage)))
    reminders = sorted(row.target for row in rows if "starts" in json.dumps(row.reply))
    assert reminders == ["ana", "bea"]


async def test_events_are_announced_in_the_events_channel_when_one_is_set(chat: Chat) -> None:
    await chat("/as mo moderator", "admin channel events #events")
    out = await chat(WEBINAR)
    assert "Event #1 is announced in #events." in out
    assert "── in #events ──\n== Formative assessment webinar ==" in out


async def test_numbers_are_counted_within_each_community(chat: Chat) -> None:
    await chat(
        "/as mo moderator", "/in staff", WEBINAR, "office-hours add every monday 9:00 for 30m"
    )
    out = await chat("/tenant other", "/as mo moderator", "/in staff", WEBINAR)
    assert "Event #1 ·" in out
    assert "Office hours #1" in await chat("office-hours add every monday 9:00 for 30m")
    assert "There is no event #2" in await chat("event show 2")
