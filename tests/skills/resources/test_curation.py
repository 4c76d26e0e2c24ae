from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.skills.resources.models import Resource
from bot.storage.models import AuditEntry
from tests.skills.resources.test_find import ids_in, share
from tests.support.console import Chat


async def audit_log(app: App) -> list[tuple[str, str, Any, Any]]:
    async with app.store.transaction() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.target, AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.action.like("resource %"))
            .order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]


async def test_only_moderators_curate(chat: Chat, app: App) -> None:
    await share(chat, 1, "Pizza fractions")
    for line in ("resource remove 1", "resource feature 1", "resource edit 1 title X"):
        assert "Only moderators and admins can use" in await chat(line)
    assert await audit_log(app) == []


async def test_removing_keeps_the_row_for_the_audit(chat: Chat, app: App) -> None:
    await share(chat, 1, "Pizza fractions")
    await chat("resource save 1")
    out = await chat("/as mod moderator", "resource remove 1 broken link")
    assert "Removed #1 “Pizza fractions” from the library." in out
    assert "was already removed" in await chat("resource remove 1")
    async with app.store.transaction() as session:
        row = await session.get(Resource, 1)
        assert row is not None
        assert row.removed_at is not None
        assert row.removal_reason == "broken link"
    assert await audit_log(app) == [
        (
            "resource remove",
            "#1 https://example.org/r1",
            {"title": "Pizza fractions", "url": "https://example.org/r1"},
            {"removed": True, "reason": "broken link"},
        )
    ]
    assert ids_in(await chat("/as alex", "resource saved")) == []
    assert ids_in(await chat("resource recent")) == []


async def test_featuring_announces_and_toggles(chat: Chat, app: App) -> None:
    await share(chat, 1, "Pizza fractions")
    await chat("/as mod moderator", "admin channel resources #library")
    out = await chat("resource feature 1")
    assert "#1 “Pizza fractions” is now featured." in out
    assert "── in #library ──" in out
    assert "== ⭐ Featured: Pizza fractions ==" in out
    assert "⭐ #1 Pizza fractions" in await chat("resource recent")
    assert "is no longer featured" in await chat("resource feature 1")
    actions = [entry[0] for entry in await audit_log(app)]
    assert actions == ["resource feature", "resource unfeature"]


async def test_editing_each_field(chat: Chat, app: App) -> None:
    await share(chat, 1, "Pizza fractions", "subject:math grade:3 #food Old words")
    await share(chat, 2, "Other", "")
    await chat("/as mod moderator")
    edits = {
        "resource edit 1 title Pizza & fractions": "Updated the title of #1.",
        "resource edit 1 description Slice it up": "Updated the description of #1.",
        "resource edit 1 subject science": "Updated the subject of #1.",
        "resource edit 1 grade 3-5": "Updated the grades of #1.",
        "resource edit 1 type video": "Updated the type of #1.",
        "resource edit 1 tags #slices, #pie": "Updated the tags of #1.",
        "resource edit 1 url https://example.org/pizza-v2": "Updated the url of #1.",
    }
    for line, expected in edits.items():
        assert expected in await chat(line), line
    async with app.store.transaction() as session:
        row = await session.get(Resource, 1)
        assert row is not None
        assert (row.title, row.description, row.subject, row.kind, row.tags, row.url) == (
            "Pizza & fractions",
            "Slice it up",
            "science",
            "video",
            "slices pie",
            "https://example.org/pizza-v2",
        )
    assert ids_in(await chat("resource find slice")) == [1]
    assert ids_in(await chat("resource find #pie")) == [1]
    assert ids_in(await chat("resource find #food")) == []
    assert ids_in(await chat("resource find pizza grade:4")) == [1]
    log = await audit_log(app)
    assert log[0] == ("resource edit title", "#1", "Pizza fractions", "Pizza & fractions")
    assert log[-1][0] == "resource edit url"


async def test_clearing_and_refusing_edits(chat: Chat, app: App) -> None:
    await share(chat, 1, "Pizza fractions", "subject:math #food Old words")
    await share(chat, 2, "Other")
    await chat("/as mod moderator")
    assert "Updated the subject of #1." in await chat("resource edit 1 subject -")
    assert "Updated the tags of #1." in await chat("resource edit 1 tags -")
    refused = {
        "resource edit 1 title": "I need `value`",
        "resource edit 1 url https://example.org/r2": "That link is already #2 “Other”.",
        "resource edit 1 url ftp://x": "is not a web link",
        "resource edit 1 colour red": "You can edit title, url, description",
        "resource edit 1 type podcast": "The type must be one of",
        "resource edit 9 title X": "There's no resource #9",
    }
    for line, expected in refused.items():
        out = await chat(line)
        assert expected in out, (line, out)
    async with app.store.transaction() as session:
        row = await session.get(Resource, 1)
        assert row is not None
        assert (row.subject, row.tags, row.title, row.url) == (
            "",
            "",
            "Pizza fractions",
            "https://example.org/r1",
        )
