from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.core.members import find_member
from bot.skills.resources.models import Resource, ResourceRating, ResourceSave
from tests.skills.resources.test_find import share
from tests.support.console import Chat


async def member_id(app: App, user_id: str) -> int:
    async with app.store.transaction() as session:
        member = await find_member(session, 1, user_id)
        assert member is not None
        return member.id


async def test_export_holds_shares_ratings_and_saves(chat: Chat, app: App) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions", "subject:math grade:3 #food")
    await chat("/as bea")
    await share(chat, 2, "Cake fractions")
    await chat("/as ana", "resource rate 2 4", "resource save 2", "resource save 1")
    ana = await member_id(app, "ana")
    async with app.store.transaction() as session:
        exported: dict[str, Any] = {}
        for export in app.registry.exporters:
            exported.update(await export(session, 1, ana))
    json.dumps(exported)  # JSON-ready
    [shared] = exported["resources_shared"]
    assert (shared["number"], shared["title"], shared["tags"], shared["grades"]) == (
        1,
        "Pizza fractions",
        ["food"],
        ["3"],
    )
    assert [(r["resource"], r["score"]) for r in exported["resource_ratings"]] == [(2, 4)]
    assert [s["resource"] for s in exported["resource_saves"]] == [1, 2]


async def test_erasing_keeps_shared_resources_but_not_who_shared_them(chat: Chat, app: App) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions")
    await chat("/as bea")
    await share(chat, 2, "Cake fractions")
    await chat("resource rate 1 5", "resource save 1")
    await chat("/as cai", "resource rate 1 3")
    await chat("/as mod moderator", "resource remove 2 duplicate")
    erased = [await member_id(app, name) for name in ("ana", "bea", "mod")]
    cai = await member_id(app, "cai")
    async with app.store.transaction() as session:
        for member in erased:
            for erase in app.registry.erasers:
                await erase(session, 1, member)
    async with app.store.transaction() as session:
        rows = list(await session.scalars(select(Resource).order_by(Resource.id)))
        assert [r.title for r in rows] == ["Pizza fractions", "Cake fractions"]
        assert all(r.shared_by_member_id is None for r in rows)
        assert all(r.removed_by_member_id is None for r in rows)
        assert (rows[0].rating_count, rows[0].rating_total) == (1, 3)  # only cai's is left
        assert await session.scalar(select(func.count()).select_from(ResourceSave)) == 0
        raters = await session.scalars(select(ResourceRating.member_id))
        assert list(raters) == [cai]
    out = await chat("/as cai", "resource show 1")
    assert "Shared by: a former member" in out
    assert "@ana" not in out
