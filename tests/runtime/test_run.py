"""``staffroom run`` as an operator runs it: a real process with JSON logs, health and metrics,
stopped by SIGTERM."""

from __future__ import annotations

import copy
import json
from pathlib import Path

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
