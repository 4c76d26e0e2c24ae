"""Two real ``staffroom run`` processes on one PostgreSQL: every message is delivered exactly
once when one is killed with SIGKILL in the middle of a send and the other takes over."""

from __future__ import annotations

import asyncio
import re
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from tests.fakes.slack_api import FakeSlack
from tests.support.events import message
from tests.support.processes import StaffroomProcess, slack_environment
from tests.support.stores import migrate, postgres_url, worker_schema

pytestmark = pytest.mark.skipif(
    postgres_url() is None, reason="needs PostgreSQL: set STAFFROOM_TEST_DATABASE_URL"
)

REMINDERS = 60
NOTE = re.compile(r"note-(\d+)")


async def seed_reminders(url: str, schema: str) -> None:
    """60 members each ask for a reminder due a few seconds from now (real time)."""
    clock = ManualClock(datetime.now(UTC) - timedelta(seconds=57))
    app = await start_app(Settings(database_url=url, database_schema=schema), clock=clock)
    try:
        for i in range(REMINDERS):
            text = f"remind me in 1m note-{i:02d}"
            event = message(text, user=f"U{i:03d}", tenant="T1", platform="slack")
            replies = await app.dispatcher.handle(event)
            assert "I'll remind you" in replies[0].text
    finally:
        await app.close()


def delivered(fake: FakeSlack) -> Counter[int]:
    """How many times each reminder is in a conversation, as members would see them."""
    seen: Counter[int] = Counter()
    for messages in fake.history.values():
        for posted in messages:
            if found := NOTE.search(str(posted.get("text", ""))):
                seen[int(found.group(1))] += 1
    return seen


async def test_two_processes_deliver_each_message_once_even_when_one_is_killed(
    fake: FakeSlack, tmp_path: Path
) -> None:
    url = postgres_url()
    assert url is not None
    schema = worker_schema("_scale_out")
    await migrate(url, schema, fresh=True)
    await seed_reminders(url, schema)
    fake.answer_slowly("chat.postMessage", 0.15)
    environment = slack_environment(
        fake,
        STAFFROOM_DATABASE_URL=url,
        STAFFROOM_DATABASE_SCHEMA=schema,
        STAFFROOM_SCHEDULER__TICK_SECONDS="0.5",
        STAFFROOM_SCHEDULER__BATCH_SIZE="4",
        STAFFROOM_SCHEDULER__OUTBOX_CONCURRENCY="2",
        STAFFROOM_SCHEDULER__OUTBOX_LEASE_SECONDS="2",
    )
    first = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
    second: StaffroomProcess | None = None
    try:
        # The fake records a message before its slow answer, so when the 15th is seen the
        # first process is still waiting for Slack's answer to it: killed now, it leaves that
        # message in doubt for the second process, which joins while its leases run.
        await fake.wait_for(lambda f: sum(delivered(f).values()) >= 15, within=60)
        first.process.send_signal(signal.SIGKILL)
        assert await first.stop() == -signal.SIGKILL
        second = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
        await fake.wait_for(lambda f: len(delivered(f)) == REMINDERS, within=60)
        # Until the dead process's leases expire its messages are in doubt (still waiting);
        # once nothing waits, nothing more can be sent.
        async with asyncio.timeout(30):
            while "staffroom_outbox_depth 0.0" not in (await second.get("/metrics"))[1]:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        found = re.search(
            r'staffroom_deliveries_found_total\{platform="slack"\} (\d+)',
            (await second.get("/metrics"))[1],
        )
        # The killed process had messages in flight (posted, never acknowledged); the survivor
        # found them in Slack by their keys instead of sending them again.
        assert found is not None and int(found.group(1)) >= 1
    finally:
        if first.process.returncode is None:
            first.process.kill()
        if second is not None:
            assert await second.stop() == 0
    seen = delivered(fake)
    assert sorted(seen) == list(range(REMINDERS)), "nothing lost"
    assert set(seen.values()) == {1}, f"sent twice: {[n for n, c in seen.items() if c > 1]}"
