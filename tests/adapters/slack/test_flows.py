"""Every flow of the installed skills through the real bolt app, against the fake Slack API."""

from __future__ import annotations

from tests.adapters.slack.harness import Slack, messages, texts
from tests.fakes.slack_api import FakeSlack


async def test_help_in_a_dm(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UANA", "help")
    said = messages(fake)
    assert len(said) == 1
    assert said[0]["where"] == "DUANA"
    assert "What I can do for you (member)" in texts(said[0])
