"""A mentoring round through the real bolt app: the DMs' Accept buttons and the group DM."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.community.models import MentorPair
from tests.adapters.slack.harness import Slack, messages, texts
from tests.fakes.slack_api import FakeSlack

PROFILE = {
    "name": "Ana",
    "role": "teacher",
    "subjects": "science",
    "grades": "7",
    "tz": "Europe/Lisbon",
    "languages": "English",
    "years": "12",
}


def group_dms(fake: FakeSlack) -> list[str]:
    """The members of each group conversation opened (one-person opens are plain DMs)."""
    opened = [str(call.args["users"]) for call in fake.calls_to("conversations.open")]
    return [users for users in opened if "," in users]


async def test_both_accept_with_buttons_and_meet_in_a_group_dm(
    slack: Slack, fake: FakeSlack, app: App
) -> None:
    for user, changes in (("UANA", {}), ("UBEA", {"name": "Bea", "years": "1"})):
        for key, value in (PROFILE | changes).items():
            await slack.dm(user, f"intro set {key} {value}")
    await slack.dm("UANA", "mentor offer capacity:1")
    await slack.dm("UBEA", "mentor request subject:science")
    await slack.command("UADA", "pair run")
    asks = {m["where"]: m for m in messages(fake) if "A mentoring match" in texts(m)}
    assert set(asks) == {"DUANA", "DUBEA"}
    assert "Would you mentor <@UBEA>?" in texts(asks["DUANA"])

    await slack.click("UBEA", asks["DUBEA"], "Accept", channel="DUBEA")
    assert "as soon as <@UANA> accepts" in texts(messages(fake)[-1])
    assert group_dms(fake) == []
    await slack.click("UANA", asks["DUANA"], "Accept", channel="DUANA")
    assert group_dms(fake) == ["UANA,UBEA"]
    (meet,) = [m for m in messages(fake) if m["where"].startswith("G")]
    assert "<@UANA>, meet <@UBEA>: <@UANA> will mentor <@UBEA>." in texts(meet)
    assert "both teach grade 7 science" in texts(meet)

    await slack.click("UBEA", asks["DUBEA"], "Accept", channel="DUBEA")  # pressed again
    assert "You both accepted already" in texts(messages(fake)[-1])
    assert group_dms(fake) == ["UANA,UBEA"]
    async with app.store.transaction() as session:
        assert len(list(await session.scalars(select(MentorPair)))) == 1
