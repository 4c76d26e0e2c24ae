"""Office hours through the console, and two members racing for one slot: the store's unique
constraint lets one win, also with two Staffroom instances (each its own connection pool, as
two processes have) on PostgreSQL."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.core.events import Event, EventKind, Invocation
from bot.settings import Settings
from bot.skills.events.models import Booking
from tests.support.console import Chat
from tests.support.events import message

HOURS = "office-hours add every tuesday 16:00 for 60m lesson planning slot:20m"


async def test_a_mentor_publishes_slots_and_a_member_books_one(chat: Chat) -> None:
    await chat("/as bea", "intro set timezone Tokyo")
    out = await chat("/as mo", "intro set timezone London", HOURS)
    assert "== Office hours #1 ==" in out and "With @mo — lesson planning" in out
    assert "• Tue 03 Mar 2026 16:20 (Europe/London) (20 min)" in out
    assert "[1] Book Tue 16:00 GMT   [2] Book Tue 16:20 GMT   [3] Book Tue 16:40 GMT" in out
    out = await chat("/as bea", "office-hours list")
    assert "• Wed 04 Mar 2026 01:20 (Asia/Tokyo) (20 min)" in out
    out = await chat("2")
    assert "Booked: Wed 04 Mar 2026 01:20 (Asia/Tokyo) with @mo." in out
    assert "── DM to @mo ──\n@bea booked your office hours on Tue 03 Mar 2026 16:20" in out
    out = await chat("/as cy", "office-hours list")
    assert "16:20" not in out and "[2] Book Tue 16:40 UTC" in out
    out = await chat("/clock 2026-03-03 16:05")
    assert (
        "── DM to @bea ──\n⏰ Office hours with @mo at Wed 04 Mar 2026 01:20 (Asia/Tokyo)." in out
    )
    assert "── DM to @mo ──\n⏰ Office hours with @bea at Tue 03 Mar 2026 16:20" in out


async def test_cancelling_frees_the_slot_and_tells_the_other_side(chat: Chat) -> None:
    await chat("/as mo", HOURS, "/as bea", "office-hours list", "1")
    out = await chat("/as cy", "office-hours cancel 1")
    assert "You have no booking #1" in out
    out = await chat("/as mo", "office-hours cancel 1")
    assert "The booking is cancelled" in out
    assert (
        "── DM to @bea ──\n@mo cancelled the office-hours booking on Tue 03 Mar 2026 16:00" in out
    )
    out = await chat("/as cy", "office-hours list")
    assert "[1] Book Tue 16:00 UTC" in out
    assert "⏰" not in await chat("/clock 2026-03-03 16:30")


async def test_removing_office_hours_tells_those_who_booked(chat: Chat) -> None:
    await chat("/as mo", HOURS, "/as bea", "office-hours list", "1")
    assert "You have no office hours #1" in await chat("office-hours remove 1")
    out = await chat("/as mo", "office-hours remove 1")
    assert "Office hours #1 are removed." in out
    assert "── DM to @bea ──\n@mo no longer offers these office hours" in out
    assert "Nobody has published office hours yet" in await chat("office-hours list")
    assert "⏰" not in await chat("/clock 2026-03-03 16:30")


async def test_office_hours_and_bookings_are_exported_and_erased(chat: Chat) -> None:
    await chat("/as mo", HOURS, "/as bea", "office-hours list", "1")
    assert "Office hour bookings\n  • slot: 3/3/26, 4:00 PM" in await chat("privacy show")
    out = await chat("/as mo", "privacy show")
    assert "lesson planning" in out
    await chat("privacy forget")
    assert "Staffroom has forgotten you" in await chat("1")
    assert "Nobody has published office hours yet" in await chat("/as bea", "office-hours list")
    assert "⏰" not in await chat("/clock 2026-03-03 16:30")


async def test_bad_office_hours_are_answered(chat: Chat) -> None:
    out = await chat("/as mo", "office-hours add every tuesday 16:00")
    assert "Say when and for how long" in out
    out = await chat("office-hours add every tuesday 16:00 for 9h")
    assert "10 minutes to 8 hours" in out
    out = await chat("office-hours add every tuesday 16:00 for 60m slot:2m")
    assert "A slot is 5 minutes or more" in out
    out = await chat("office-hours add whenever for 60m")
    assert "as a schedule" in out
    await chat(HOURS)
    out = await chat("office-hours list", "1")
    assert "These are your own office hours" in out
    assert "Nobody has published" not in out


def _book(slot: int, user: str) -> Event:
    return message(
        "",
        user=user,
        kind=EventKind.INVOCATION,
        invocation=Invocation(command="office-hours book", args={"id": "1", "at": str(slot)}),
    )


async def test_two_members_racing_for_one_slot_get_one_booking(
    app: App, settings: Settings, clock: ManualClock
) -> None:
    replies = await app.dispatcher.handle(message(HOURS, user="mo"))
    assert "Office hours #1" in replies[0].title
    slot = int(clock.now().replace(day=3, hour=16, minute=0).timestamp())
    # A second instance with its own engine and connection pool, as a second process has.
    postgres = settings.database_url.startswith("postgresql")
    other = await start_app(settings, clock=clock) if postgres else app
    try:
        first, second = await asyncio.gather(
            app.dispatcher.handle(_book(slot, "ana")),
            other.dispatcher.handle(_book(slot, "bea")),
        )
    finally:
        if other is not app:
            await other.close()
    texts = sorted(r.text for r in [*first, *second])
    assert len(texts) == 2
    assert texts[0].startswith("Booked: ")
    assert texts[1].startswith("Sorry — someone has just booked that slot.")
    async with app.store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Booking)) == 1
