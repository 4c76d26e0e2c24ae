"""A typed name only Slack knows is asked about with no transaction open."""

from __future__ import annotations

import asyncio
import json

from tests.adapters.slack.harness import Slack, messages, payload, texts
from tests.fakes.slack_api import FakeSlack


async def test_a_slow_users_lookup_holds_up_no_one_else(slack: Slack, fake: FakeSlack) -> None:
    await slack.dm("UANA", "intro set tz Lisbon")
    await slack.dm("UADA", "whois me")
    fake.add_user("T1", "UZED", "Zed")
    lookups = fake.hold("users.info")
    asking = payload("event_message_im")
    asking["event"] |= {"channel": "DUANA", "user": "UANA", "text": "whois @UZED"}
    asking["event_id"] = "EvTYPED"
    status, _ = await slack.post(json.dumps(asking), "application/json", reaches_listener=False)
    assert status == 200
    await fake.wait_for(
        lambda f: any(c.args.get("user") == "UZED" for c in f.calls_to("users.info"))
    )
    await slack.dm("UADA", "whois <@UANA>")  # answered while Slack is still looking Zed up
    assert "<@UANA> hasn't introduced themselves yet." in texts(messages(fake)[-1])
    lookups.set()
    async with asyncio.timeout(10):
        await slack.adapter.work.wait_until(lambda work: work.finished == 4)
    assert "@UZED hasn't used Staffroom in this community yet." in texts(messages(fake)[-1])
