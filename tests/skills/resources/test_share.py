from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.adapters.console.session import ConsoleSession
from bot.app import App, start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from bot.skills.resources.models import Resource, ResourceTag
from tests.fakes.web_pages import web_pages
from tests.support.console import Chat

PIZZA = (
    'resource share https://example.org/pizza "Pizza fractions" subject:maths grade:3-5 '
    "type:lesson #fractions #Food A hands-on intro to fractions"
)


async def resource_rows(app: App) -> list[Resource]:
    async with app.store.transaction() as session:
        return list((await session.scalars(select(Resource).order_by(Resource.id))).all())


async def tags_of(app: App, resource_id: int) -> list[str]:
    async with app.store.transaction() as session:
        rows = await session.scalars(
            select(ResourceTag.tag)
            .where(ResourceTag.resource_id == resource_id)
            .order_by(ResourceTag.tag)
        )
        return list(rows)


async def test_sharing_a_link_with_everything(chat: Chat, app: App) -> None:
    out = await chat(PIZZA)
    assert "Thanks! #1 “Pizza fractions” is in the library." in out
    assert "No resources channel" not in out
    [row] = await resource_rows(app)
    assert (row.url, row.title, row.kind, row.subject) == (
        "https://example.org/pizza",
        "Pizza fractions",
        "lesson-plan",
        "math",
    )
    assert row.description == "A hands-on intro to fractions"
    assert row.tags == "fractions food"
    assert await tags_of(app, 1) == ["food", "fractions"]
    card = await chat("resource show 1")
    assert "== #1 Pizza fractions ==" in card
    assert "Grades: 3–5" in card
    assert "Tags: #fractions #food" in card
    assert "Shared by: @alex" in card
    assert "[1] Save" in card


async def test_a_shared_resource_is_posted_in_the_resources_channel(chat: Chat) -> None:
    await chat("/as mod moderator", "admin channel resources #library", "/as ana")
    out = await chat(PIZZA)
    assert "── in #library ──" in out
    assert "== 📚 New resource: Pizza fractions ==" in out
    assert "@ana shared https://example.org/pizza" in out
    assert "I've posted it in #library." in out


async def test_bad_share_input_changes_nothing(chat: Chat, app: App) -> None:
    bad = [
        ("resource share ftp://example.org/x", "I need a link starting with http://"),
        ("resource share https://example.org/x grade:13", "couldn't read the grade '13'"),
        ("resource share https://example.org/x type:podcast", "The type must be one of"),
        ("resource share https://example.org/x subject:math,art", "One subject per resource"),
        (
            "resource share https://example.org/x " + " ".join(f"#t{i}" for i in range(11)),
            "more than 10 tags",
        ),
        ('resource share https://example.org/x "' + "t" * 201 + '"', "too long"),
        ("resource share https://example.org/x subject:", "`subject:` needs a value"),
    ]
    for line, expected in bad:
        out = await chat(line)
        assert expected in out, line
        assert "Nothing was changed" in out or "Usage:" in out, line
    assert await resource_rows(app) == []


async def test_duplicates_are_found_by_normalised_url_and_merge_tags(chat: Chat, app: App) -> None:
    await chat("/as ana", PIZZA)
    again = await chat('resource share https://example.org/pizza/ "Pizza" #fractions')
    assert "You already shared that link: #1 “Pizza fractions”." in again
    out = await chat(
        "/as bea",
        'resource share HTTP://WWW.Example.org:80/pizza?utm_source=news#top "Pizza!" #games',
    )
    assert (
        "That link is already in the library as #1 “Pizza fractions”, shared first by @ana." in out
    )
    assert "I added your tags #games." in out
    assert len(await resource_rows(app)) == 1
    assert await tags_of(app, 1) == ["food", "fractions", "games"]
    assert "Pizza fractions" in await chat("resource find games")


async def test_a_removed_link_cannot_be_shared_again(chat: Chat, app: App) -> None:
    await chat(PIZZA, "/as mod moderator", "resource remove 1 off topic", "/as ana")
    out = await chat('resource share https://example.org/pizza "Pizza again"')
    assert "A moderator removed that link from the library" in out
    assert len(await resource_rows(app)) == 1


async def test_the_share_form(chat: Chat, app: App) -> None:
    out = await chat("resource share")
    assert "── Share a resource ──" in out
    await chat("https://example.org/cells", "Cells, up close", "3", "biology", "9-10")
    out = await chat("#cells, microscopes", "Zoom in on a cell")
    assert "Thanks! #1 “Cells, up close” is in the library." in out
    [row] = await resource_rows(app)
    assert (row.kind, row.subject, row.tags, row.description) == (
        "video",
        "biology",
        "cells microscopes",
        "Zoom in on a cell",
    )


async def test_the_share_form_asks_again_for_wrong_fields(chat: Chat, app: App) -> None:
    await chat("resource share", "not a link", "", "", "", "grade zero", "", "")
    assert chat.session.form is not None
    assert [f.name for f in chat.session.form.queue] == ["url", "grades"]
    out = await chat("https://192.0.2.10/ok", "6-8")
    assert "is in the library" in out
    [row] = await resource_rows(app)
    assert row.title == "https://192.0.2.10/ok"  # not a public address: no fetch, the link


async def test_same_link_in_two_communities_is_two_resources(chat: Chat, app: App) -> None:
    await chat(PIZZA, "/tenant other")
    out = await chat(PIZZA)
    assert "is in the library" in out
    assert "#1" in out  # numbered within its own community
    assert "There's no resource #2 in this library." in await chat("resource show 2")
    async with app.store.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Resource)) == 2


@pytest.fixture
async def fetching_chat(settings: Settings, clock: ManualClock) -> AsyncIterator[Chat]:
    """A console whose title fetches may reach this machine's loopback test server."""
    app = await start_app(
        settings.model_copy(update={"fetch_private_addresses": True}), clock=clock
    )
    try:
        yield Chat(ConsoleSession(app.dispatcher, clock=clock))
    finally:
        await app.close()


async def test_a_link_without_a_title_gets_the_page_title(fetching_chat: Chat) -> None:
    async with web_pages() as pages:
        out = await fetching_chat(f"resource share {pages.url('/page')} #fractions")
        assert "Thanks! #1 “Pizza & fractions” is in the library." in out
        out = await fetching_chat(f"resource share {pages.url('/json')}")
        assert f"#2 “{pages.url('/json')}”" in out


async def test_private_addresses_are_not_fetched_by_default(chat: Chat) -> None:
    async with web_pages() as pages:
        out = await chat(f"resource share {pages.url('/page')}")
        assert f"#1 “{pages.url('/page')}”" in out
    assert pages.requested == []
