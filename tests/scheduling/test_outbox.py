"""The outbox with two processes on one PostgreSQL and a Slack slow to answer: a process sends
a message only while it still owns its row, so none arrives twice."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from tests.adapters.slack.harness import running_slack
from tests.fakes.slack_api import FakeSlack, fake_slack

REMINDERS = 10
SLACK_ANSWERS_IN = timedelta(seconds=6)
NOTE = re.compile(r"note-(\d+)")


def reminders_posted(fake: FakeSlack) -> Counter[int]:
    """How many times each reminder was posted."""
    seen: Counter[int] = Counter()
    for call in fake.calls_to("chat.postMessage"):
        text = str(call.args.get("text", ""))
        if "I'll remind" not in text and (found := NOTE.search(text)):
            seen[int(found.group(1))] += 1
    return seen


async def test_a_batch_slower_than_its_lease_is_not_sent_twice_by_two_processes(
    settings: Settings, clock: ManualClock
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite allows one process")
    settings = settings.model_copy(
        update={
            "scheduler": settings.scheduler.model_copy(
                update={"outbox_lease_seconds": 30, "outbox_concurrency": 1}
            )
        }
    )
    first, second = await start_app(settings, clock=clock), await start_app(settings, clock=clock)
    async with fake_slack() as fake:
        fake.add_workspace("T1", "Lisbon Teachers")
        for n in range(REMINDERS):
            fake.add_user("T1", f"U{n:03d}", f"Member {n}")
        token = fake.token_of("T1")
        try:
            async with (
                running_slack(first, fake, bot_token=token) as slack,
                running_slack(second, fake, bot_token=token),
            ):
                for n in range(REMINDERS):
                    await slack.dm(f"U{n:03d}", f"remind me in 1m note-{n:02d}")
                clock.advance(timedelta(minutes=1))
                taken_over = False

                async def slack_is_slow() -> None:
                    # Each post takes 6 s to answer; once the first process's batch has
                    # outlived its lease, the second process ticks (once) meanwhile.
                    nonlocal taken_over
                    clock.advance(SLACK_ANSWERS_IN)
                    if not taken_over and len(reminders_posted(fake)) == 6:
                        taken_over = True
                        await second.scheduler.tick()

                fake.meanwhile("chat.postMessage", slack_is_slow)
                await first.scheduler.tick()
                assert taken_over
                await second.scheduler.tick()
        finally:
            await first.close()
            await second.close()
    seen = reminders_posted(fake)
    assert sorted(seen) == list(range(REMINDERS)), "nothing lost"
    assert set(seen.values()) == {1}, f"sent twice: {[n for n, c in seen.items() if c > 1]}"
