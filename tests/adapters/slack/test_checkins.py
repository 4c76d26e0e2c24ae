"""A check-in through the real bolt app: created with the modal, delivered by the scheduler
through the outbox as DMs, answered by a DM reply and with the Answer form, summarised."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.core.clock import ManualClock
from tests.adapters.slack.harness import Slack, elements, last_view, messages, texts
from tests.fakes.slack_api import FakeSlack


def dms_to(fake: FakeSlack, channel: str, title: str) -> list[dict[str, object]]:
    return [m for m in messages(fake) if m["where"] == channel and title in texts(m)]


async def test_create_receive_answer_and_summary(
    slack: Slack, fake: FakeSlack, app: App, clock: ManualClock
) -> None:
    for user in ("UANA", "UBEA"):
        await slack.dm(user, "intro set timezone Lisbon")
    await slack.command("UADA", "checkin create")
    view = last_view(fake)
    assert view["title"]["text"] == "New check-in"
    status, body = await slack.submit(
        "UADA",
        view,
        {
            "title": "Weekly pulse",
            "questions": "How was your week?",
            "schedule": "every tuesday 09:00",
            "audience": "<@UANA> <@UBEA>",
            "summary_channel": "<#CSTAFF>",
            "reminder_hours": "4",
            "deadline_hours": "24",
        },
    )
    assert status == 200 and body == ""
    assert any("“Weekly pulse” is set" in texts(m) for m in messages(fake))

    await app.scheduler.run_until(clock.now() + timedelta(days=1))  # Tuesday 09:00 Lisbon
    (ana_prompt,) = dms_to(fake, "DUANA", "check-in time!")
    (bea_prompt,) = dms_to(fake, "DUBEA", "check-in time!")
    await slack.dm("UANA", "Planning went well")
    assert "your answer to “Weekly pulse” is recorded" in texts(messages(fake)[-1])

    await slack.click("UBEA", bea_prompt, "Answer", channel="DUBEA")
    form = last_view(fake)
    assert form["type"] == "modal"
    (question,) = [b for b in form["blocks"] if b["type"] == "input"]
    status, _ = await slack.submit("UBEA", form, {question["block_id"]: "Tiring but good"})
    assert status == 200
    buttons = {e["text"]["text"] for _, e in elements(ana_prompt) if e["type"] == "button"}
    assert buttons == {"Answer", "Skip this time", "Snooze 1 h"}
    await app.scheduler.run_until(clock.now() + timedelta(days=1))
    assert not dms_to(fake, "DUANA", "nudge") and not dms_to(fake, "DUBEA", "nudge")
    (summary,) = [m for m in messages(fake) if m["where"] == "CSTAFF" and "Responses" in texts(m)]
    assert "Responses: 2 of 2 (100%)" in texts(summary)
    assert "Planning went well" in texts(summary) and "Tiring but good" in texts(summary)
