"""Socket Mode on loopback: slack_sdk's WebSocket client connects to the fake's socket (the
address ``apps.connections.open`` hands out) and Staffroom acknowledges each envelope there."""

from __future__ import annotations

import copy
import itertools
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.adapters.slack.bolt_app import SlackAdapter, create_adapter
from bot.adapters.slack.port import ChannelPacer
from bot.adapters.slack.service import SlackService
from bot.app import App
from bot.settings import SlackSettings
from tests.adapters.slack.harness import messages, payload, texts
from tests.fakes.slack_api import FakeSlack

_ids = itertools.count(1)


@pytest.fixture
async def socket_adapter(app: App, fake: FakeSlack) -> AsyncIterator[SlackAdapter]:
    app.settings = app.settings.model_copy(
        update={
            "slack": SlackSettings(
                mode="socket",
                app_token="xapp-1-A0STAFFROOM-1-socket",
                bot_token=fake.token_of("T1"),
                api_base_url=fake.api_url,
            )
        }
    )
    async with aiohttp.ClientSession() as session:
        adapter = await create_adapter(app, session, pacer=ChannelPacer(interval=0))
        service = SlackService(adapter)
        await service.start()
        try:
            yield adapter
        finally:
            await service.stop()


def envelope(kind: str, body: dict[str, object], *, retry: int = 0) -> dict[str, object]:
    recorded = payload("socket_mode_events_api")
    return recorded | {
        "envelope_id": f"env-{next(_ids)}",
        "type": kind,
        "payload": body,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry,
        "retry_reason": "timeout" if retry else "",
    }


async def test_an_event_is_acknowledged_on_the_socket_and_answered(
    socket_adapter: SlackAdapter, fake: FakeSlack
) -> None:
    recorded = payload("socket_mode_events_api")
    assert fake.calls_to("apps.connections.open")
    ack = await fake.socket_send(recorded)
    assert ack == {"envelope_id": recorded["envelope_id"]}
    await fake.wait_for(lambda f: bool(f.calls_to("chat.postMessage")))
    (answer,) = messages(fake)
    assert answer["where"] == "DUANA" and "What I can do for you" in texts(answer)


async def test_a_redelivered_envelope_runs_once(
    socket_adapter: SlackAdapter, fake: FakeSlack
) -> None:
    body = copy.deepcopy(payload("socket_mode_events_api")["payload"])
    body["event"]["text"] = "intro set tz Lisbon"
    await fake.socket_send(envelope("events_api", body))
    await fake.socket_send(envelope("events_api", body, retry=1))
    await socket_adapter.work.wait_until(lambda work: work.finished == 2)
    (answer,) = messages(fake)
    assert "Updated your time zone" in texts(answer)


async def test_a_slash_command_and_its_modal_over_the_socket(
    socket_adapter: SlackAdapter, fake: FakeSlack
) -> None:
    command = payload("slash_command") | {"text": "intro", "response_url": fake.response_url()}
    ack = await fake.socket_send(envelope("slash_commands", command))
    assert set(ack) == {"envelope_id"}
    await fake.wait_for(lambda f: bool(f.calls_to("views.open")))
    view = fake.calls_to("views.open")[0].args["view"]
    submission = payload("view_submission")
    submission["view"] |= {
        "private_metadata": view["private_metadata"],
        "state": {"values": {"timezone": {"value": {"type": "plain_text_input", "value": "?"}}}},
    }
    ack = await fake.socket_send(envelope("interactive", submission))
    assert ack["payload"]["response_action"] == "errors"
    assert "timezone" in ack["payload"]["errors"]
