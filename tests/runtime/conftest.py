from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.slack_api import FakeSlack, fake_slack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A fake Slack with workspace T1 and one member, Ana."""
    async with fake_slack() as slack_api:
        slack_api.add_workspace("T1", "Lisbon Teachers")
        slack_api.add_user("T1", "UANA", "Ana")
        yield slack_api
