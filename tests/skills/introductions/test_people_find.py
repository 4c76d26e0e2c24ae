from __future__ import annotations

import pytest

from tests.support.console import Chat

PEOPLE = {
    "bea": {
        "name": "Bea Santos",
        "role": "teacher",
        "subjects": "science",
        "grades": "7",
        "tz": "Europe/Madrid",
        "languages": "Spanish, English",
        "interests": "robotics",
    },
    "cai": {
        "name": "Cai Wong",
        "role": "coach",
        "subjects": "art",
        "grades": "K-2",
        "tz": "Asia/Tokyo",
        "languages": "Japanese",
    },
    "dan": {
        "name": "Dan Moss",
        "role": "teacher",
        "subjects": "math",
        "grades": "6-8",
        "tz": "America/New_York",
        "languages": "English",
        "region": "Boston",
    },
    "eva": {
        "name": "Eva Lind",
        "role": "leader",
        "subjects": "math, science",
        "grades": "9-12",
        "tz": "Europe/Stockholm",
        "languages": "Swedish, English",
        "seeking": "mentees",
    },
}


@pytest.fixture
async def directory(chat: Chat) -> Chat:
    for name, fields in PEOPLE.items():
        await chat.person(name, **fields)
    await chat.person(
        "ana",
        name="Ana Lopez",
        role="teacher",
        subjects="math, science",
        grades="6-8",
        tz="Lisbon",
        languages="Portuguese, English",
        seeking="mentor",
    )
    return chat


async def test_filters(directory: Chat) -> None:
    out = await directory("people find subject:math")
    assert "Dan Moss" in out and "Eva Lind" in out and "Bea" not in out
    out = await directory("people find grade:6-8")
    assert "Bea Santos" in out and "Dan Moss" in out and "Eva" not in out
    out = await directory("people find lang:es")
    assert "Bea Santos" in out and "Dan" not in out
    out = await directory("people find role:coach")
    assert "Cai Wong" in out and "Bea" not in out
    out = await directory("people find tz:+-1h")
    assert "Bea Santos" in out and "Eva Lind" in out and "Cai" not in out and "Dan" not in out
    out = await directory("people find tz:Tokyo")
    assert "Cai Wong" in out and "Bea" not in out
    out = await directory("people find boston")
    assert "Dan Moss" in out and "Bea" not in out
    out = await directory("people find subject:science grade:6-8 lang:es tz:+-3h robot")
    assert "1 member found" in out and "Bea Santos" in out


async def test_results_are_ranked_by_what_you_share_with_reasons(directory: Chat) -> None:
    out = await directory("people find subject:math")
    assert out.index("Eva Lind") < out.index("Dan Moss")
    assert "• Eva Lind (@eva) — leader · math, science · grades 9–12 — both teach math and " in out
    assert "both teach grades 6–8 math; 5 h apart" in out
    out = await directory("people find")
    assert "you want a mentor; they want mentees" in out


async def test_bad_filters_are_explained(directory: Chat) -> None:
    assert "couldn't read the grade 'twelve'" in await directory("people find grade:twelve")
    assert "don't recognise the language 'Elvish'" in await directory("people find lang:Elvish")
    assert "couldn't read `tz:soon`" in await directory("people find tz:soon")
    assert "`page:` takes a page number" in await directory("people find page:x subject:math")
    assert "Nobody matches" in await directory("people find subject:underwater basket weaving")


async def test_hostile_words_are_just_words(directory: Chat) -> None:
    for words in ["%", "_", "' OR 1=1 --", '"', "\\", "*", "(", "NEAR"]:
        out = await directory(f"people find {words}")
        assert "Nobody matches" in out, words


async def test_time_window_needs_your_time_zone(chat: Chat) -> None:
    assert "set your time zone first" in await chat("people find tz:+-3h")
    assert "Tell me who to look for" in await chat("people find")


async def test_more_button_pages_through(chat: Chat) -> None:
    for i in range(11):
        await chat.person(
            f"t{i}", name=f"Teacher {i:02d}", role="teacher", subjects="math", grades="5", tz="UTC"
        )
    await chat("/as ana")
    out = await chat("people find subject:math")
    assert "11 members found (page 1 of 2)" in out
    assert "[1] More" in out
    out = await chat("1")
    assert "11 members found (page 2 of 2)" in out
    assert out.count("• Teacher") == 3
