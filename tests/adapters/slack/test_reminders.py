"""Reminders set in Slack arrive in the member's DM when they said."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.core.clock import ManualClock
from tests.adapters.slack.harness import Slack, messages, texts
from tests.fakes.slack_api import FakeSlack


def reminders(fake: FakeSlack) -> list[str]:
    return [texts(m) for m in messages(fake) if "call the parents" in texts(m)]


async def test_in_one_minute_counts_from_the_second_of_the_command(
    slack: Slack, fake: FakeSlack, app: App, clock: ManualClock
) -> None:
    clock.advance(timedelta(seconds=40))  # 12:00:40
    await slack.dm("UANA", "remind me in 1m call the parents")
    assert "I'll remind you" in texts(messages(fake)[-1])
    await app.scheduler.run_until(clock.now() + timedelta(seconds=59))
    assert reminders(fake) == []
    await app.scheduler.run_until(clock.now() + timedelta(seconds=1))  # 12:01:40
    assert len(reminders(fake)) == 1
