from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.skills.resources.models import ResourceSearch
from tests.skills.resources.test_find import share
from tests.support.console import Chat


async def test_admin_stats_shows_the_library(chat: Chat, app: App) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions")
    await share(chat, 2, "Cake fractions")
    await chat("/as bea", "resource save 1", "/as cai", "resource save 1", "resource save 2")
    await chat("resource find fractions", "resource find volcanoes", "resource find volcanoes")
    out = await chat("/as root admin", "admin stats 7d")
    assert "Resources\n  Resources shared: 2 (previous period: 0)" in out
    assert "  Searches: 3" in out
    assert "  Searches with no result: 2 (67% of searches)" in out
    assert "  Most saved: Pizza fractions (2); Cake fractions (1)" in out
    assert "Looked for but not found:" in out
    assert "volcanoes │" in out


async def test_searches_are_logged_without_who_searched(chat: Chat, app: App) -> None:
    await chat("/as ana", "resource find Volcanoes #Rocks")
    async with app.store.transaction() as session:
        rows = (await session.execute(select(ResourceSearch))).scalars().all()
    assert [(r.terms, r.found) for r in rows] == [("volcanoes #rocks", False)]
    assert not {c.name for c in ResourceSearch.__table__.columns} & {"member_id", "user_id"}


async def test_a_quiet_library_adds_no_section(chat: Chat) -> None:
    assert "Resources" not in await chat("/as root admin", "admin stats")
