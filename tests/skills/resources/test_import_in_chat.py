"""Moderators import a resource list in chat: pasted in the console here (the Slack and
Discord adapters' attachments are tested with their fakes)."""

from __future__ import annotations

import json

from bot.core.events import MAX_FILE_BYTES
from tests.skills.resources.test_find import ids_in
from tests.support.console import Chat

CSV = """url,title,type,subject
https://example.org/a,Cells,video,biology
https://example.org/b,Bingo,game,math
mailto:x@example.org,Not a page,,
"""


async def paste(chat: Chat, command: str, content: str) -> str:
    return await chat(f"/paste {command}", *content.splitlines(), "/end")


async def test_a_moderator_pastes_a_csv_list(chat: Chat) -> None:
    out = await paste(chat, "resource import", CSV)
    assert "Only moderators" in out or "moderator" in out
    await chat("/as mo moderator")
    out = await paste(chat, "resource import", CSV)
    assert "Imported 2 resources into the library." in out
    assert "line 3: the type `game` is not one of" in out and "tagged #game" in out
    assert "Skipped 1 row:\n  line 4: url:" in out
    assert ids_in(await chat("resource find subject:science")) == [1]
    again = await paste(chat, "resource import", CSV)
    assert "Imported 0 resources" in again and "already in the library as #1" in again


async def test_json_is_recognised_by_its_content(chat: Chat) -> None:
    await chat("/as mo moderator")
    items = [{"url": "https://example.org/j", "title": "From JSON", "tags": ["fractions"]}]
    out = await paste(chat, "resource import", json.dumps(items, indent=1))
    assert "Imported 1 resource into the library." in out
    assert ids_in(await chat("resource find #fractions")) == [1]


async def test_nothing_to_import_says_how(chat: Chat) -> None:
    await chat("/as mo moderator")
    out = await chat("resource import")
    assert "I need a file to import" in out and "/paste resource import" in out
    out = await paste(chat, "resource import", "{not json")
    assert "is not valid JSON" in out and "Nothing was imported" in out
    out = await paste(chat, "resource import", "x" * (MAX_FILE_BYTES + 1))
    assert "is larger than 2,000,000 bytes" in out
    assert "Paste cancelled" in await chat("/paste resource import", "url", "/cancel")
    assert "Usage: /paste COMMAND" in await chat("/paste")
