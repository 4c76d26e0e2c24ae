"""A check-in for everyone in a mentoring pair, and only them."""

from __future__ import annotations

from tests.skills.checkins.test_flow import form
from tests.skills.mentoring.helpers import mentee, mentor
from tests.support.console import Chat


async def test_all_mentor_pairs_get_the_checkin_and_nobody_else(chat: Chat) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as cy", "intro set timezone London")
    await chat("/as mo moderator", "pair run")
    await chat("/as bo", "1")
    assert "Meet your mentoring partner" in await chat("/as ana", "1")

    out = await chat(
        "/as mo", "checkin create", *form(schedule="every tuesday 09:00", audience="pairs")
    )
    assert "all mentor pairs" in out
    week = await chat("/clock +7d")
    assert "── DM to @ana ──\n== Weekly pulse ==" in week
    assert "── DM to @bo ──\n== Weekly pulse ==" in week
    assert "── DM to @cy ──" not in week and "── DM to @mo ──" not in week
    assert "Responses: 0 of 2 (0%)" in week
    refused = await chat("checkin create", *form(audience="@@"))
    assert "pairs (all mentor pairs)" in refused
