"""The outbox with two processes on one PostgreSQL and a Slack slow to answer: a process sends
a message only while it still owns its row, so none arrives twice."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from tests.adapters.slack.harness import running_slack
from tests.fakes.slack_api import FakeSlack, fake_slack

REMINDERS = 10
LEASE = timedelta(seconds=30)
NOTE = re.compile(r"note-(\d+)")


def reminders_posted(fake: FakeSlack) -> Counter[int]:
    """How many times each reminder was posted."""
    seen: Counter[int] = Counter()
    for call in fake.calls_to("chat.postMessage"):
        text = str(call.args.get("text", ""))
        if "I'll remind" not in text and (found := NOTE.search(text)):
            seen[int(found.group(1))] += 1
    return seen


async def deliver_with_a_slow_slack(
    settings: Settings, clock: ManualClock, fake: FakeSlack, *, answer_in: list[timedelta]
) -> None:
    """Two processes share the store; ten reminders fall due and the first process sends them
    one at a time, Slack taking ``answer_in[n]`` to answer the n-th. Meanwhile, once the time
    spent exceeds the lease, the second process wakes up (once) and does what it finds."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite allows one process")
    update = {"outbox_lease_seconds": LEASE.total_seconds(), "outbox_concurrency": 1}
    settings = settings.model_copy(
        update={"scheduler": settings.scheduler.model_copy(update=update)}
    )
    first: App = await start_app(settings, clock=clock)
    second: App = await start_app(settings, clock=clock)
    token = fake.token_of("T1")
    try:
        async with (
            running_slack(first, fake, bot_token=token) as slack,
            running_slack(second, fake, bot_token=token),
        ):
            for n in range(REMINDERS):
                await slack.dm(f"U{n:03d}", f"remind me in 1m note-{n:02d}")
            clock.advance(timedelta(minutes=1))
            started, answers = clock.now(), iter(answer_in)
            woken = False

            async def slack_is_slow() -> None:
                nonlocal woken
                clock.advance(next(answers))
                if not woken and clock.now() - started > LEASE:
                    woken = True
                    await second.scheduler.tick()

            fake.meanwhile("chat.postMessage", slack_is_slow)
            await first.scheduler.tick()
            assert woken
            await second.scheduler.tick()
    finally:
        await first.close()
        await second.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A fake Slack with workspace T1 and ten members."""
    async with fake_slack() as slack_api:
        slack_api.add_workspace("T1", "Lisbon Teachers")
        for n in range(REMINDERS):
            slack_api.add_user("T1", f"U{n:03d}", f"Member {n}")
        yield slack_api


async def test_a_batch_slower_than_its_lease_stays_with_its_sender(
    settings: Settings, clock: ManualClock, fake: FakeSlack
) -> None:
    six_seconds = [timedelta(seconds=6)] * REMINDERS
    await deliver_with_a_slow_slack(settings, clock, fake, answer_in=six_seconds)
    seen = reminders_posted(fake)
    assert sorted(seen) == list(range(REMINDERS)), "nothing lost"
    assert set(seen.values()) == {1}, f"sent twice: {[n for n, c in seen.items() if c > 1]}"
    assert fake.calls_to("conversations.history") == []  # nothing was in doubt


async def test_rows_retaken_from_a_stalled_sender_are_not_sent_by_it_too(
    settings: Settings, clock: ManualClock, fake: FakeSlack
) -> None:
    one_stall = [timedelta(seconds=6)] * 3 + [LEASE * 2] + [timedelta(seconds=6)] * REMINDERS
    await deliver_with_a_slow_slack(settings, clock, fake, answer_in=one_stall)
    seen = reminders_posted(fake)
    assert sorted(seen) == list(range(REMINDERS)), "nothing lost"
    assert set(seen.values()) == {1}, f"sent twice: {[n for n, c in seen.items() if c > 1]}"
