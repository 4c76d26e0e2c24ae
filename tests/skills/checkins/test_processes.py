"""Two bot processes on one PostgreSQL database: each check-in DM goes out exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.console.session import ConsoleSession
from bot.app import start_app
from bot.core.clock import ManualClock
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.recurrence import occurrences
from bot.settings import Settings
from tests.fakes.recording_port import RecordingPort
from tests.skills.checkins.test_flow import form
from tests.support.console import Chat

ZONES = {
    "ana": "Europe/London",
    "ben": "America/New_York",
    "cy": "Asia/Kolkata",
    "dee": "Australia/Sydney",
    "eli": "America/Los_Angeles",
    "fay": "Asia/Kathmandu",
}


async def test_two_processes_send_each_checkin_once(
    settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite allows one process; this runs on PostgreSQL")
    one = await start_app(settings, clock=clock)
    two = await start_app(settings, clock=clock)
    try:
        chat = Chat(ConsoleSession(one.dispatcher, clock=clock, exports_dir=tmp_path))
        for name, zone_key in ZONES.items():
            await chat(f"/as {name}", f"intro set timezone {zone_key}")
        audience = " ".join(f"@{name}" for name in ZONES)
        out = await chat("/as mo moderator", "checkin create", *form(audience=audience))
        assert "Check-in #1" in out
        ports = [RecordingPort(), RecordingPort()]
        one.dispatcher.attach("console", ports[0])
        two.dispatcher.attach("console", ports[1])
        start = clock.now()
        end = start + timedelta(days=7, hours=6)
        while clock.now() < end:
            clock.advance(timedelta(minutes=15))
            await asyncio.gather(one.scheduler.tick(), two.scheduler.tick())
        sent = ports[0].sent + ports[1].sent
        assert ports[0].sent and ports[1].sent  # both processes did some of the work
        rounds = Counter(s.target for s in sent if s.text.startswith("check-in time!"))
        nudges = Counter(s.target for s in sent if s.text.startswith("A gentle nudge"))
        weekly = parse_schedule("every monday 09:00", now=start)
        for name, zone_key in ZONES.items():
            due = occurrences(weekly, zone_key, start, 3)
            assert rounds[name] == sum(1 for d in due if d <= end), name
            assert nudges[name] == sum(1 for d in due if d + timedelta(hours=4) <= end), name
        assert [s.target for s in sent if s.kind == "post"] == ["staff"]  # one summary
    finally:
        await one.close()
        await two.close()
