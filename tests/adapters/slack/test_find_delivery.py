"""Looking up a message the outbox may have sent before a crash, by its metadata key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.slack.inbound import PLATFORM
from bot.app import App
from bot.core.errors import DeliveryError
from bot.core.events import TenantRef
from bot.core.replies import Reply
from tests.adapters.slack.harness import Slack
from tests.fakes.slack_api import FakeSlack

T1 = TenantRef(platform=PLATFORM, external_id="T1")


async def test_a_keyed_message_is_found_and_an_unsent_one_is_not(
    app: App, slack: Slack, fake: FakeSlack
) -> None:
    port = app.dispatcher.ports[PLATFORM]
    before = datetime.now(UTC) - timedelta(seconds=1)
    await port.send_dm(T1, "UANA", Reply(text="Your check-in", delivery_key="outbox-7"))
    await port.post(T1, "C0GENERAL", Reply(text="Summary", delivery_key="outbox-8"))
    await port.send_dm(T1, "UANA", Reply(text="An answer, no key"))
    (posted, *_) = fake.calls_to("chat.postMessage")
    assert posted.args["metadata"] == {
        "event_type": "staffroom_delivery",
        "event_payload": {"key": "outbox-7"},
    }

    assert await port.find_delivery(T1, key="outbox-7", since=before, user_id="UANA")
    assert await port.find_delivery(T1, key="outbox-8", since=before, channel_id="C0GENERAL")
    assert not await port.find_delivery(T1, key="outbox-9", since=before, user_id="UANA")
    assert not await port.find_delivery(T1, key="outbox-8", since=before, user_id="UANA")
    later = datetime.now(UTC) + timedelta(seconds=5)
    assert not await port.find_delivery(T1, key="outbox-7", since=later, user_id="UANA")


async def test_a_conversation_it_cannot_read_is_a_permanent_error(
    app: App, slack: Slack, fake: FakeSlack
) -> None:
    fake.fail_next("conversations.history", "missing_scope")
    with pytest.raises(DeliveryError) as raised:
        await app.dispatcher.ports[PLATFORM].find_delivery(
            T1, key="outbox-1", since=datetime.now(UTC), channel_id="GPRIVATE"
        )
    assert raised.value.permanent
