"""An event through the real bolt app: announced with Slack dates (each reader's app shows
them in their own zone) and Going / Maybe / Not going buttons that record the answer."""

from __future__ import annotations

from bot.app import App
from tests.adapters.slack.harness import Slack, elements, messages, texts
from tests.fakes.slack_api import FakeSlack

# Thursday 2026-03-05 16:00 in London is 16:00 UTC: 1772726400.
WHEN = "1772726400"


async def test_announcement_shows_slack_dates_and_buttons_record_answers(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    await slack.mention(
        "UADA",
        'event create "Formative assessment webinar" 2026-03-05 16:00 Europe/London 60m',
    )
    (card,) = [m for m in messages(fake) if "Formative assessment webinar" in texts(m)]
    body = texts(card)
    assert (
        f"<!date^{WHEN}^{{date_long_pretty}} {{time}}|Thu 05 Mar 2026 16:00 (Europe/London)>"
        in body
    )
    assert "<t:" not in body
    buttons = [e["text"]["text"] for _, e in elements(card) if e["type"] == "button"]
    assert buttons == ["Going", "Maybe", "Not going", "Add to calendar"]

    await slack.dm("UANA", "intro set timezone New York")
    await slack.click("UANA", card, "Going", channel="CGENERAL")
    said = texts(messages(fake)[-1])
    assert "You're going to Formative assessment webinar on " in said
    assert f"<!date^{WHEN}^" in said and "|Thu 05 Mar 2026 11:00 (America/New_York)>" in said
    await slack.dm("UANA", "event list")
    assert "(1 going) · you: going" in texts(messages(fake)[-1])
