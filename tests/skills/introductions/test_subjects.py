"""The subject taxonomy: biology is science, algebra is math, and searches know it."""

from __future__ import annotations

import pytest

from bot.community.subjects import (
    TAXONOMY,
    broader,
    family,
    normalize_subject,
    partial_pairs,
    related,
)
from bot.community.vocabulary import language_name, parse_languages
from tests.skills.resources.test_find import ids_in, share
from tests.support.console import Chat


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Maths", "math"),
        ("Bio", "biology"),
        ("ELA", "english"),
        ("literacy", "english"),
        ("PE", "physical education"),
        ("SPED", "special education"),
        ("Earth Sciences", "earth science"),
        ("world languages", "languages"),
        ("marine biology", "marine biology"),  # outside the taxonomy: kept as typed
    ],
)
def test_subjects_are_stored_under_one_name(typed: str, stored: str) -> None:
    assert normalize_subject(typed) == stored


def test_the_taxonomy_nests_once_and_every_name_is_unique() -> None:
    names = [*TAXONOMY, *(n for narrows in TAXONOMY.values() for n in narrows)]
    assert len(names) == len(set(names))
    assert broader("biology") == "science" and broader("science") is None
    assert family("science") == (
        "science",
        "biology",
        "chemistry",
        "physics",
        "earth science",
        "environmental science",
    )
    assert family("marine biology") == ("marine biology",)
    assert related("science", "biology") and related("algebra", "math")
    assert not related("biology", "chemistry") and not related("math", "math")
    assert partial_pairs(frozenset({"biology", "art"}), frozenset({"science"})) == [
        ("biology", "science")
    ]


@pytest.mark.parametrize(
    ("typed", "code", "name"),
    [
        ("ASL", "ase", "American Sign Language"),
        ("BSL", "bfi", "British Sign Language"),
        ("LSF", "fsl", "French Sign Language"),
        ("Libras", "bzs", "Brazilian Sign Language"),
        ("Auslan", "asf", "Auslan"),
        ("american sign language", "ase", "American Sign Language"),
    ],
)
def test_sign_languages_are_recognised(typed: str, code: str, name: str) -> None:
    assert parse_languages(typed) == (code,)
    assert language_name(code) == name


async def test_people_find_a_subject_finds_the_subjects_under_it(chat: Chat) -> None:
    await chat.person("bo", name="Bo", role="teacher", subjects="biology", grades="7", tz="UTC")
    await chat.person("cy", name="Cy", role="teacher", subjects="chemistry", grades="7", tz="UTC")
    await chat.person("di", name="Di", role="teacher", subjects="math", grades="7", tz="UTC")
    await chat("/as ana")
    out = await chat("people find subject:science")
    assert "Bo" in out and "Cy" in out and "Di" not in out
    out = await chat("people find subject:biology")
    assert "Bo" in out and "Cy" not in out


async def test_resource_search_and_top_find_the_subjects_under_one(chat: Chat) -> None:
    await chat("/as ana")
    await share(chat, 1, "Cell video", "subject:biology")
    await share(chat, 2, "Forces lab", "subject:physics")
    await share(chat, 3, "Fractions", "subject:math")
    assert ids_in(await chat("resource find subject:science")) == [2, 1]
    await chat("/as bea", "resource rate 1 5", "resource rate 2 4", "resource rate 3 5")
    assert ids_in(await chat("resource top science")) == [1, 2]
    assert ids_in(await chat("resource top biology")) == [1]


async def test_sign_languages_in_an_intro(chat: Chat) -> None:
    out = await chat("intro set languages ASL, BSL, English")
    assert "American Sign Language, British Sign Language, English" in out
    assert "Asilulu" not in out and "Basa-Gumna" not in out
