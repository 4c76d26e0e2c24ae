"""``staffroom run`` as an operator runs it: a real process with JSON logs, health and metrics,
stopped by SIGTERM."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack.harness import SIGNING_SECRET, payload
from tests.fakes.slack_api import FakeSlack
from tests.support.processes import StaffroomProcess, slack_environment

PRIVATE_WORDS = "Zanzibar-private-region-7731"


def dm(text: str, event_id: str) -> dict[str, object]:
    body = copy.deepcopy(payload("event_message_im"))
    body["event"]["text"] = text
    body["event_id"] = event_id
    return body


async def test_one_log_line_per_event_metrics_and_no_secrets(
    fake: FakeSlack, tmp_path: Path
) -> None:
    environment = slack_environment(fake, STAFFROOM_LOG_LEVEL="DEBUG")
    staffroom = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
    try:
        status, body = await staffroom.get("/readyz")
        assert status == 200, body
        assert set(json.loads(body)["checks"]) == {"store", "slack"}
        fake.rate_limit_next("chat.postMessage", retry_after=0)  # the first answer waits once
        assert await staffroom.post_event(dm(f"intro set region {PRIVATE_WORDS}", "EvA")) == 200
        assert await staffroom.post_event(dm("resource frobnicate", "EvB")) == 200
        await staffroom.wait_for(lambda p: len(p.handled()) == 2)
        status, metrics = await staffroom.get("/metrics")
        assert status == 200
        assert (
            'staffroom_events_handled_total{outcome="ok",platform="slack",skill="introductions"}'
            " 1.0" in metrics
        )
        assert "staffroom_handler_latency_seconds_bucket" in metrics
        assert "staffroom_outbox_depth 0.0" in metrics
        assert 'staffroom_rate_limit_waits_total{platform="slack"} 1.0' in metrics
        assert "staffroom_scheduler_lag_seconds 0.0" in metrics
    finally:
        assert await staffroom.stop() == 0
    first, second = staffroom.handled()
    assert first["platform"] == "slack" and first["tenant"] == "T1"
    assert first["skill"] == "introductions" and first["command"] == "intro set"
    assert first["outcome"] == "ok" and first["latency_ms"] >= 0
    assert second["command"] == "-" and second["outcome"] == "ok"
    everything = "".join(staffroom.raw)
    assert "event handled" in everything and any(r["level"] == "DEBUG" for r in staffroom.records)
    for secret in (fake.token_of("T1"), SIGNING_SECRET, PRIVATE_WORDS):
        assert secret not in everything
    assert fake.calls_to("chat.postMessage"), "the member was answered"


async def test_sigterm_stops_cleanly_and_a_restart_answers_nothing_twice(
    fake: FakeSlack, tmp_path: Path
) -> None:
    environment = slack_environment(fake)
    first = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
    try:
        assert await first.post_event(dm("help", "EvHelp")) == 200
        await first.wait_for(lambda p: len(p.handled()) == 1)
    finally:
        assert await first.stop() == 0
    assert any(r["message"] == "stopped" for r in first.records)
    answered = len(fake.calls_to("chat.postMessage"))
    second = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
    try:
        assert await second.post_event(dm("help", "EvHelp")) == 200  # Slack's retry
        await second.wait_for(lambda p: len(p.handled()) == 1)
    finally:
        assert await second.stop() == 0
    assert second.handled()[0]["outcome"] == "duplicate"
    assert len(fake.calls_to("chat.postMessage")) == answered
    assert (tmp_path / "staffroom.db").exists()  # the default store, where it was started


async def test_requests_failing_the_signature_are_refused_quietly_and_counted(
    fake: FakeSlack, tmp_path: Path
) -> None:
    environment = slack_environment(fake, STAFFROOM_LOG_LEVEL="DEBUG")
    staffroom = await StaffroomProcess.start("slack", environment=environment, cwd=tmp_path)
    words = f"intro set region {PRIVATE_WORDS}"
    try:
        wrong_secret = await staffroom.post_event(dm(words, "EvA"), secret="not-the-secret")
        stale = await staffroom.post_event(dm(words, "EvB"), timestamp=1_600_000_000)
        not_json = await staffroom.post_raw(
            f"{PRIVATE_WORDS} {{not json".encode(), {"Content-Type": "application/json"}
        )
        bad_stamp = await staffroom.post_raw(
            f"text={PRIVATE_WORDS}".encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": "soon",
                "X-Slack-Signature": "v0=abc",
            },
        )
        assert [wrong_secret, stale, not_json, bad_stamp] == [401, 401, 401, 401]
        typed = payload("block_actions")  # what a member types into a select's search box
        typed |= {"type": "block_suggestion", "action_id": "a", "block_id": "b"}
        typed |= {"value": PRIVATE_WORDS}
        del typed["actions"]
        suggestion = urlencode({"payload": json.dumps(typed)})
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SIGNING_SECRET).generate_signature(
            timestamp=stamp, body=suggestion
        )
        unhandled = await staffroom.post_raw(
            suggestion.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature,
            },
        )
        assert unhandled == 404  # signed, but not ours: bolt warns about it
        _, metrics = await staffroom.get("/metrics")
        assert 'staffroom_signature_failures_total{platform="slack"} 4.0' in metrics
    finally:
        assert await staffroom.stop() == 0
    assert staffroom.handled() == []
    everything = "".join(staffroom.raw)
    assert PRIVATE_WORDS not in everything
    assert "Traceback" not in everything
    assert not [r for r in staffroom.records if r["level"] in ("ERROR", "CRITICAL")]
    rejected = [r for r in staffroom.records if "signature" in r["message"]]
    assert len(rejected) == 1, rejected  # one line, not one per request
    assert rejected[0]["level"] == "WARNING"
