from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.adapters.slack.harness import Slack, running_slack
from tests.fakes.slack_api import FakeSlack, fake_slack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A fake Slack with workspace T1: Ana and Bea (members), Ada (workspace admin)."""
    async with fake_slack() as slack_api:
        slack_api.add_workspace("T1", "Lisbon Teachers")
        slack_api.add_user("T1", "UANA", "Ana")
        slack_api.add_user("T1", "UBEA", "Bea")
        slack_api.add_user("T1", "UADA", "Ada", admin=True)
        yield slack_api


@pytest.fixture
async def slack(app: App, fake: FakeSlack) -> AsyncIterator[Slack]:
    """Staffroom's Slack adapter for one workspace (T1's bot token), in HTTP mode."""
    async with running_slack(app, fake, bot_token=fake.token_of("T1")) as driver:
        yield driver
