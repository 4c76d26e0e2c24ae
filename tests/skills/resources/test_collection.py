from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.skills.resources.models import Resource, ResourceRating
from tests.skills.resources.test_find import ids_in, share
from tests.support.console import Chat


async def test_rating_and_changing_a_rating(chat: Chat, app: App) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions")
    assert "You can't rate a resource you shared." in await chat("resource rate 1 5")
    out = await chat("/as bea", "resource rate 1 4")
    assert "You rated #1 “Pizza fractions” 4/5. It now has ★ 4.0 from 1 rating." in out
    out = await chat("resource rate 1 2")
    assert "2/5 (was 4). It now has ★ 2.0 from 1 rating." in out
    out = await chat("/as cai", "resource rate #1 5")
    assert "It now has ★ 3.5 from 2 ratings." in out
    assert "`score` must be a whole number from 1 to 5" in await chat("resource rate 1 6")
    assert "There's no resource #9" in await chat("resource rate 9 5")
    async with app.store.transaction() as session:
        row = await session.get(Resource, 1)
        assert row is not None
        assert (row.rating_count, row.rating_total) == (2, 7)
        scores = await session.scalars(select(ResourceRating.score).order_by(ResourceRating.score))
        assert list(scores) == [2, 5]


async def test_rating_from_the_card(chat: Chat) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions")
    card = await chat("/as bea", "resource show 1")
    assert "Rate it:" in card
    assert "[2] ★★★★★" in card
    assert "You rated #1 “Pizza fractions” 5/5." in await chat("2")


async def test_saving_for_later(chat: Chat) -> None:
    await share(chat, 1, "Pizza fractions")
    await share(chat, 2, "Cake fractions")
    assert "You haven't saved anything yet" in await chat("resource saved")
    assert "Saved #1 “Pizza fractions”." in await chat("resource save 1")
    assert "You had already saved #1" in await chat("resource save 1")
    await chat("resource save 2")
    out = await chat("resource saved")
    assert "== Your saved resources (2) ==" in out
    assert ids_in(out) == [2, 1]
    assert "Took #2 “Cake fractions” off your saved list." in await chat("resource unsave 2")
    assert "wasn't on your saved list" in await chat("resource unsave 2")
    assert ids_in(await chat("resource saved")) == [1]
    assert "You haven't saved anything yet" in await chat("/as bea", "resource saved")


async def test_saving_from_the_card(chat: Chat) -> None:
    await share(chat, 1, "Pizza fractions")
    await chat("resource show 1")
    assert "Saved #1" in await chat("1")


async def test_recent_pages_through_newest_first(chat: Chat) -> None:
    assert "Nothing here yet" in await chat("resource recent")
    for n in range(1, 8):
        await share(chat, n, f"Resource {n}")
    out = await chat("resource recent")
    assert ids_in(out) == [7, 6, 5, 4, 3]
    assert ids_in(await chat("1")) == [2, 1]


async def test_top_rated_overall_and_by_subject(chat: Chat) -> None:
    await chat("/as ana")
    await share(chat, 1, "One five-star", "subject:math")
    await share(chat, 2, "Many fours", "subject:science")
    await share(chat, 3, "Unrated", "subject:math")
    await share(chat, 4, "Poor", "subject:math")
    assert "Nothing has been rated yet" in await chat("resource top")
    await chat("/as b1", "resource rate 1 5", "resource rate 4 1")
    for rater in ("b2", "b3", "b4", "b5"):
        await chat(f"/as {rater}", "resource rate 2 5", "resource rate 2 4")
    assert ids_in(await chat("resource top")) == [2, 1, 4]
    assert ids_in(await chat("resource top maths")) == [1, 4]
    assert "Nothing in art has been rated yet" in await chat("resource top art")
