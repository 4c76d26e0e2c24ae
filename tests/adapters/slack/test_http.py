"""Slack's HTTP protocol as bolt sees it: signatures, acknowledgements, retries and limits."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from bot.adapters.slack.inbound import PLATFORM
from bot.app import App
from bot.core.errors import DeliveryError
from bot.core.events import TenantRef
from bot.core.replies import Reply
from tests.adapters.slack.harness import Slack, last_view, messages, payload, running_slack, texts
from tests.fakes.slack_api import FakeSlack
from tests.support.slow import answer_after_a_few_turns

T1 = TenantRef(platform=PLATFORM, external_id="T1")


async def test_the_url_verification_challenge_is_answered(slack: Slack) -> None:
    body = payload("url_verification")
    status, text = await slack.post(json.dumps(body), "application/json", reaches_listener=False)
    assert status == 200
    assert json.loads(text) == {"challenge": body["challenge"]}


async def test_a_bad_signature_is_rejected(slack: Slack, fake: FakeSlack) -> None:
    body = json.dumps(payload("event_message_im"))
    status, _ = await slack.post(body, "application/json", signature="v0=" + "0" * 64)
    assert status == 401
    assert slack.adapter.work.finished == 0
    assert messages(fake) == []


async def test_a_stale_timestamp_is_rejected(slack: Slack, fake: FakeSlack) -> None:
    body = json.dumps(payload("event_message_im"))
    status, _ = await slack.post(body, "application/json", timestamp=int(time.time()) - 600)
    assert status == 401
    assert slack.adapter.work.finished == 0
    assert messages(fake) == []


async def test_a_retried_event_runs_once(slack: Slack, fake: FakeSlack) -> None:
    body = payload("event_message_im") | {"event_id": "Ev0RETRIED"}
    body["event"] |= {"text": "intro set tz Lisbon"}
    assert (await slack.event_body(body))[0] == 200
    assert (await slack.event_body(body, retry=1))[0] == 200
    assert (await slack.event_body(body, retry=2))[0] == 200
    assert slack.adapter.work.finished == 3
    (answer,) = messages(fake)
    assert "Updated your time zone" in texts(answer)


async def test_a_rate_limited_message_is_delivered_once(slack: Slack, fake: FakeSlack) -> None:
    fake.rate_limit_next("chat.postMessage", retry_after=0)
    await slack.dm("UANA", "help")
    attempts = fake.calls_to("chat.postMessage")
    assert len(attempts) == 2  # the 429, then the retry after Retry-After
    assert attempts[0].args == attempts[1].args


async def test_a_server_error_is_retried(slack: Slack, fake: FakeSlack) -> None:
    fake.fail_next("chat.postEphemeral", "internal_error", status=503)
    await slack.mention("UANA", "help")
    assert len(fake.calls_to("chat.postEphemeral")) == 2


async def test_an_ephemeral_where_the_bot_is_not_falls_back_to_a_dm(
    slack: Slack, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postEphemeral", "not_in_channel")
    await slack.mention("UANA", "help")
    assert [m["where"] for m in messages(fake)] == ["CGENERAL", "DUANA"]  # refused, then sent


async def test_a_public_answer_where_the_bot_is_not_goes_to_the_dm(
    slack: Slack, fake: FakeSlack
) -> None:
    await slack.dm("UBEA", "help")
    fake.fail_next("chat.postMessage", "not_in_channel")
    await slack.mention("UANA", "whois <@UBEA>", channel="CPRIVATE")
    assert [m["where"] for m in messages(fake)[1:]] == ["CPRIVATE", "DUANA"]
    assert "hasn't introduced themselves yet" in texts(messages(fake)[-1])


async def test_a_failed_delivery_is_told_to_the_actor(slack: Slack, fake: FakeSlack) -> None:
    await slack.command("UADA", "admin channel introductions <#CINTRO>")
    fake.fail_next("chat.postMessage", "channel_not_found")
    await slack.command("UANA", "intro")
    await slack.submit(
        "UANA",
        last_view(fake),
        {
            "role_title": "teacher",
            "subjects": "math",
            "grades": "7",
            "timezone": "Europe/Lisbon",
        },
    )
    assert "(I couldn't deliver a message to <#CINTRO>.)" in texts(messages(fake)[-1])


async def test_a_slow_submission_is_acknowledged_then_updated(
    app: App, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_after_a_few_turns(monkeypatch, app.dispatcher)
    async with running_slack(
        app, fake, bot_token=fake.token_of("T1"), submission_budget=0
    ) as slack:
        await slack.command("UANA", "intro")
        view = last_view(fake)
        status, body = await slack.submit("UANA", view, {"timezone": "Mars/Olympus"})
        assert status == 200 and json.loads(body)["response_action"] == "update"
        update = fake.calls_to("views.update")[-1].args
        shown = update["view"] if isinstance(update["view"], dict) else json.loads(update["view"])
        names = [b.get("block_id") for b in shown["blocks"]]
        warned = [names[i - 1] for i, b in enumerate(shown["blocks"]) if b["type"] == "context"]
        assert warned == ["role_title", "subjects", "grades", "timezone"]
        inputs = {b["block_id"]: b for b in shown["blocks"] if b["type"] == "input"}
        assert inputs["timezone"]["element"]["initial_value"] == "Mars/Olympus"

        status, body = await slack.submit(
            "UANA",
            shown,
            {"role_title": "teacher", "subjects": "math", "grades": "7", "timezone": "Lisbon"},
        )
        assert status == 200 and json.loads(body)["response_action"] == "update"
        done = fake.calls_to("views.update")[-1].args
        done_view = done["view"] if isinstance(done["view"], dict) else json.loads(done["view"])
        assert "Done." in json.dumps(done_view)
    assert "Thanks! Your intro is saved." in texts(messages(fake)[-1])


async def test_events_and_commands_are_acknowledged_before_the_work(
    slack: Slack, fake: FakeSlack
) -> None:
    """Slack's answer comes back while the work still waits on Slack's Web API."""
    lookups = fake.hold("users.info")
    body = json.dumps(payload("event_message_im"))
    status, _ = await slack.post(body, "application/json", reaches_listener=False)
    form = urlencode(payload("slash_command") | {"response_url": fake.response_url()})
    ack, text = await slack.post(form, "application/x-www-form-urlencoded", reaches_listener=False)
    assert (status, ack, text) == (200, 200, "")
    await fake.wait_for(lambda f: len(f.calls_to("users.info")) == 2)
    assert slack.adapter.work.running == 2 and messages(fake) == []
    lookups.set()
    await slack.adapter.work.wait_until(lambda work: work.finished == 2)
    assert len(messages(fake)) == 2


async def test_slack_errors_become_delivery_errors(slack: Slack, fake: FakeSlack) -> None:
    """What the outbox reads: permanent refusals, and how long Slack asked us to wait."""
    port = slack.adapter.port
    fake.fail_next("conversations.open", "cannot_dm_bot")
    with pytest.raises(DeliveryError) as refused:
        await port.send_dm(T1, "UBOTT1", Reply(text="Hi"))
    assert refused.value.permanent and refused.value.retry_after is None
    for _ in range(3):
        fake.rate_limit_next("chat.postMessage", retry_after=0)
    fake.rate_limit_next("chat.postMessage", retry_after=30)
    with pytest.raises(DeliveryError) as limited:
        await port.post(T1, "CGENERAL", Reply(text="Hi"))
    assert not limited.value.permanent and limited.value.retry_after == 30
    assert len(fake.calls_to("chat.postMessage")) == 4  # the first try and three retries
    fake.fail_next("chat.postMessage", "is_archived")
    with pytest.raises(DeliveryError) as archived:
        await port.post(T1, "COLD", Reply(text="Hi"))
    assert archived.value.permanent
    fake.fail_next("chat.postMessage", "fatal_error")
    with pytest.raises(DeliveryError) as unknown:
        await port.post(T1, "CGENERAL", Reply(text="Hi"))
    assert not unknown.value.permanent
