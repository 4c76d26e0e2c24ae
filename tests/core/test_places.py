"""Time zones from the names teachers give: cities worldwide, countries, common names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.core.places import candidates, fold_name
from bot.core.timezones import (
    AmbiguousTimeZone,
    UnknownTimeZone,
    parse_timezone,
    pick_timezone,
    read_timezone,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Mumbai", "Asia/Kolkata"),
        ("Delhi", "Asia/Kolkata"),
        ("Beijing", "Asia/Shanghai"),
        ("Cape Town", "Africa/Johannesburg"),
        ("Lisboa", "Europe/Lisbon"),
        ("Nueva York", "America/New_York"),
        ("Lissabon", "Europe/Lisbon"),
        ("Boston", "America/New_York"),  # 650,000 people, ten times Boston in England
        ("UK", "Europe/London"),
        ("Germany", "Europe/Berlin"),
        ("Alemania", "Europe/Berlin"),
        ("India", "Asia/Kolkata"),
        ("Eastern", "America/New_York"),
        ("eastern time", "America/New_York"),
        ("NZDT", "Pacific/Auckland"),
        ("SGT", "Asia/Singapore"),
        ("CST", "America/Chicago"),
        ("IST", "Asia/Kolkata"),
        ("Lodz", "Europe/Warsaw"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Texas", "America/Chicago"),
        ("California", "America/Los_Angeles"),
        ("Brazil", "America/Sao_Paulo"),  # its zones with São Paulo's clock count together
    ],
)
def test_places_and_common_names_resolve(text: str, key: str) -> None:
    assert parse_timezone(text) == key


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("Manchester", "Europe/London", "America/New_York"),
        ("Springfield", "America/Chicago", "America/New_York"),
        ("United States", "America/New_York", "America/Chicago"),
        ("Australia", "Australia/Sydney", "Australia/Brisbane"),
        ("Georgia", "America/New_York", "Asia/Tbilisi"),  # the state, then the country
    ],
)
def test_a_name_without_a_clear_lead_offers_choices(text: str, first: str, second: str) -> None:
    reading = read_timezone(text)
    assert reading.key is None
    assert [o.key for o in reading.options[:2]] == [first, second]
    with pytest.raises(AmbiguousTimeZone, match="several time zones") as raised:
        parse_timezone(text)
    assert raised.value.options == reading.options


def test_a_filter_picks_the_most_populous_and_says_which() -> None:
    assert pick_timezone("Manchester") == (
        "Europe/London",
        "`Manchester` read as Europe/London (Manchester, United Kingdom; also Manchester, "
        "New Hampshire, United States, Manchester, Missouri, United States)",
    )
    assert pick_timezone("Eastern") == ("America/New_York", "`Eastern` read as America/New_York")
    assert pick_timezone("Europe/Paris") == ("Europe/Paris", "")


def test_zones_that_keep_the_same_clock_are_one_choice() -> None:
    # Lexington (America/New_York) and Louisville (America/Kentucky/Louisville) keep one clock.
    reading = read_timezone("Kentucky")
    assert [o.key for o in reading.options] == ["America/New_York", "America/Chicago"]


def test_one_place_per_zone_most_populous_first() -> None:
    found = candidates("Paris")
    assert found[0].label == "Paris, France" and found[0].zone == "Europe/Paris"
    assert len({p.zone for p in found}) == len(found)
    assert [p.population for p in found] == sorted((p.population for p in found), reverse=True)


def test_a_name_of_its_own_wins_over_another_language() -> None:
    # "Manchester" is also an old name of Richmond, Virginia: the city called Manchester counts.
    assert "Richmond" not in " ".join(p.label for p in candidates("Manchester"))


def test_names_fold_accents_case_and_punctuation() -> None:
    assert fold_name("  São-Paulo ") == "sao paulo"
    assert fold_name("Łódź") == "lodz"
    assert fold_name("St. John's") == "st john s"


@pytest.mark.parametrize("text", ["Ruritania", "Xyzzyville", "qq"])
def test_unknown_places_are_refused(text: str) -> None:
    with pytest.raises(UnknownTimeZone):
        parse_timezone(text)


def test_start_up_does_not_read_the_place_index() -> None:
    """The index is read on the first place lookup, not with every process start."""
    code = (
        "import bot.app, bot.core.skills, bot.core.places as p; bot.core.skills.load_registry();"
        "print(p._index.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
