from __future__ import annotations

import re

import pytest

from bot.app import App
from bot.storage.tenant_settings import set_setting
from tests.support.console import Chat


def ids_in(out: str) -> list[int]:
    """The resource numbers listed in a reply, in order."""
    return [int(n) for n in re.findall(r"^(?:⭐ )?#(\d+) ", out, re.MULTILINE)]


async def share(chat: Chat, n: int, title: str, extra: str = "") -> None:
    out = await chat(f'resource share https://example.org/r{n} "{title}" {extra}'.strip())
    assert "is in the library" in out, out


async def test_a_title_match_beats_a_tag_match_beats_a_description_match(chat: Chat) -> None:
    await share(chat, 1, "Rocks and soil", "Erupting volcano model for the class")
    await share(chat, 2, "Plate tectonics", "#volcano Maps of plates")
    await share(chat, 3, "The volcano lab", "A baking soda experiment")
    for n in range(4, 8):
        await share(chat, n, f"Filler number {n}", "Nothing to see here")
    out = await chat("resource find volcano")
    assert ids_in(out) == [3, 2, 1]
    assert "== Resources for “volcano” ==" in out


async def test_results_show_what_a_member_needs(chat: Chat) -> None:
    await chat("/as ana")
    await share(chat, 1, "Pizza fractions", "subject:math grade:3-5 type:lesson-plan")
    await chat("/as bea", "resource rate 1 4", "/as cai", "resource rate 1 5")
    out = await chat("resource find pizza")
    assert "#1 Pizza fractions — https://example.org/r1" in out
    assert "lesson plan · math · grades 3–5 · ★ 4.5 (2 ratings) · shared by @ana" in out


async def test_every_word_must_match_and_words_are_stemmed(chat: Chat) -> None:
    await share(chat, 1, "Fractions with pizza")
    await share(chat, 2, "Fractions on a number line")
    assert ids_in(await chat("resource find fraction pizza")) == [1]
    assert sorted(ids_in(await chat("resource find FRACTIONS"))) == [1, 2]


async def test_each_filter(chat: Chat) -> None:
    await chat("/as ana")
    await share(chat, 1, "Photosynthesis video", "subject:biology grade:9-10 type:video #plants")
    await share(chat, 2, "Photosynthesis lab", "subject:chemistry grade:6-8 type:lesson #plants")
    await chat("/as bea")
    await share(chat, 3, "Photosynthesis article", "subject:biology grade:11 type:article #light")
    await chat("resource rate 1 5", "resource rate 2 2", "/as cai", "resource rate 3 4")
    cases = {
        "subject:biology": [3, 1],
        "subject:bio": [3, 1],
        "grade:9": [1],
        "grade:6-12": [3, 2, 1],
        "grade:k-2": [],
        "type:video": [1],
        "type:lesson": [2],
        "#plants": [2, 1],
        "#plants #light": [],
        "by:@ana": [2, 1],
        "by:@bea": [3],
        "by:me": [],
        "rating:>=4": [3, 1],
        "rating:4.5": [1],
        "rating:>4": [1],
        "subject:biology rating:>=4.5": [1],
    }
    for filters, expected in cases.items():
        out = await chat(f"resource find photosynthesis {filters}")
        assert ids_in(out) == expected, (filters, out)
    browsing = {  # no words: newest first
        "subject:biology": [3, 1],
        "#plants": [2, 1],
        "#plants type:video": [1],
        "#plants #light": [],
        "#nothing": [],
        "grade:11 by:@bea": [3],
        "rating:>=4": [3, 1],
    }
    for filters, expected in browsing.items():
        out = await chat(f"resource find {filters}")
        assert ids_in(out) == expected, (filters, out)


async def test_bad_filter_values_are_explained(chat: Chat) -> None:
    expectations = {
        "resource find x grade:13": "couldn't read the grade '13'",
        "resource find x type:podcast": "The type must be one of",
        "resource find x rating:lots": "`rating:` takes a number of stars from 1 to 5",
        "resource find x rating:6": "`rating:` takes a number of stars",
        "resource find x by:nobody": "`by:` takes a member",
        "resource find x by:@ghost": "I don't know anyone called @ghost",
        "resource find x page:0": "`page:` takes a page number",
        "resource find": "Tell me what to look for",
    }
    for line, expected in expectations.items():
        assert expected in await chat(line), line


async def test_more_pages_with_a_button(chat: Chat) -> None:
    for n in range(1, 13):
        await share(chat, n, f"Algebra tiles {n}", "subject:math #algebra")
    first = await chat("resource find algebra subject:math #algebra")
    assert len(ids_in(first)) == 5
    assert "[1] More" in first
    second = await chat("1")
    assert "(page 2)" in second
    assert len(ids_in(second)) == 5
    third = await chat("1")
    assert len(ids_in(third)) == 2
    assert "More" not in third
    seen = ids_in(first) + ids_in(second) + ids_in(third)
    assert sorted(seen) == list(range(1, 13))
    assert "there are no more results" in await chat("resource find algebra page:4")


async def test_page_size_is_a_community_setting(chat: Chat, app: App) -> None:
    spec = app.registry.tenant_settings["resources.page_size"]
    assert spec.parse(" 12 ") == 12
    for wrong in ("0", "21", "many"):
        with pytest.raises(ValueError, match="from 1 to 20"):
            spec.parse(wrong)
    await share(chat, 1, "Algebra one")
    await share(chat, 2, "Algebra two")
    await share(chat, 3, "Algebra three")
    async with app.store.transaction() as session:
        await set_setting(session, 1, "resources.page_size", 2)
    assert len(ids_in(await chat("resource find algebra"))) == 2


async def test_an_empty_result_suggests_a_broader_search(chat: Chat) -> None:
    await share(chat, 1, "Fractions with pizza", "subject:math")
    out = await chat("resource find fractions pasta subject:art")
    assert "Nothing in the library matches that yet." in out
    assert "`resource find fractions pasta` without the filters" in out
    assert "fewer words, like `resource find fractions`" in out
    assert "`resource recent`" in out


async def test_removed_resources_are_not_found(chat: Chat) -> None:
    await share(chat, 1, "Fractions with pizza")
    await share(chat, 2, "Fractions with cake")
    await chat("/as mod moderator", "resource remove 1 spam", "/as alex")
    assert ids_in(await chat("resource find fractions")) == [2]
    assert "There's no resource #1" in await chat("resource show 1")


async def test_other_communities_are_invisible(chat: Chat) -> None:
    await share(chat, 1, "Fractions with pizza", "#food")
    await chat("/tenant other")
    await share(chat, 2, "Fractions with cake", "#food")  # numbered within its community
    for line in ("resource find fractions", "resource find #food", "resource recent"):
        out = await chat(line)
        assert ids_in(out) == [1] and "cake" in out and "pizza" not in out, line
    assert "There's no resource #2" in await chat("resource rate 2 5")
    await chat("/tenant demo")
    out = await chat("resource find fractions")
    assert ids_in(out) == [1] and "pizza" in out and "cake" not in out
