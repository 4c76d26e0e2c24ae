"""Sharing resources from Slack while others use Staffroom."""

from __future__ import annotations

import asyncio
import json

from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from tests.adapters.slack.harness import messages, payload, running_slack, texts
from tests.fakes.slack_api import FakeSlack
from tests.fakes.web_pages import web_pages


async def test_others_are_answered_while_a_share_waits_for_a_slow_page(
    settings: Settings, clock: ManualClock, fake: FakeSlack
) -> None:
    app = await start_app(
        settings.model_copy(update={"fetch_private_addresses": True}), clock=clock
    )
    try:
        async with (
            web_pages() as pages,
            running_slack(app, fake, bot_token=fake.token_of("T1")) as slack,
        ):
            share = payload("event_message_im")
            share["event"] |= {
                "channel": "DUANA",
                "user": "UANA",
                "text": f"resource share {pages.url('/slow')}",
            }
            share["event_id"] = "EvSHARE"
            status, _ = await slack.post(
                json.dumps(share), "application/json", reaches_listener=False
            )
            assert status == 200
            async with asyncio.timeout(10):
                await pages.slow_asked.wait()
            await slack.dm("UADA", "whois <@UBEA>")  # answered while the page still loads
            assert [texts(m) for m in messages(fake)] == [
                "<@UBEA> hasn't used Staffroom in this community yet."
            ]
            pages.slow_answers.set()
            async with asyncio.timeout(10):
                await slack.adapter.work.wait_until(lambda work: work.finished == 2)
        assert "“Pizza &amp; fractions” is in the library" in texts(messages(fake)[-1])
    finally:
        await app.close()
