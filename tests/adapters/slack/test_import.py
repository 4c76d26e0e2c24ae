"""A moderator attaches a CSV to `@Staffroom resource import`: the adapter reads it with the
bot token and the core imports it."""

from __future__ import annotations

from tests.adapters.slack.harness import Slack, messages, payload, texts
from tests.fakes.slack_api import FakeSlack

CSV = b"""url,title,type,subject
https://example.org/a,Cells,video,biology
https://example.org/b,Bingo,game,math
"""


async def mention_with_files(slack: Slack, user: str, text: str, files: list[dict]) -> None:
    bot = slack.fake.workspace("T1").bot_user_id
    event = payload("event_app_mention")["event"] | {
        "user": user,
        "text": f"<@{bot}> {text}",
        "channel": "CGENERAL",
        "ts": "1764800000.000100",
        "files": files,
    }
    await slack.event(event, template="event_app_mention")


async def test_an_attached_csv_is_imported(slack: Slack, fake: FakeSlack) -> None:
    await mention_with_files(slack, "UADA", "resource import", [fake.share_file("list.csv", CSV)])
    (download,) = fake.calls_to("files.download")
    assert download.team_id == "T1"
    (answer,) = messages(fake)
    assert "Imported 2 resources into the library." in texts(answer)
    assert "the type `game` is not one of" in texts(answer)


async def test_members_cannot_import_and_files_are_read_only_for_the_bot(
    slack: Slack, fake: FakeSlack
) -> None:
    await mention_with_files(slack, "UANA", "resource import", [fake.share_file("list.csv", CSV)])
    assert "moderator" in texts(messages(fake)[-1])
    elsewhere = fake.share_file("list.csv", CSV) | {
        "url_private_download": "https://files.example.org/list.csv"
    }
    await mention_with_files(slack, "UADA", "resource import", [elsewhere])
    assert "I need a file to import" in texts(messages(fake)[-1])
    assert all(c.args["file"] != elsewhere["id"] for c in fake.calls_to("files.download"))
    big = fake.share_file("big.csv", CSV) | {"size": 5_000_000}
    await mention_with_files(slack, "UADA", "resource import", [big])
    assert "is larger than 2,000,000 bytes" in texts(messages(fake)[-1])
