"""A teacher names their place; Staffroom finds the zone, or asks which one with buttons."""

from __future__ import annotations

from tests.skills.introductions.test_intro import ANA
from tests.support.console import Chat


async def test_cities_countries_and_common_names_are_understood(chat: Chat) -> None:
    for text, key in [
        ("Mumbai", "Asia/Kolkata"),
        ("Cape Town", "Africa/Johannesburg"),
        ("Lisboa", "Europe/Lisbon"),
        ("UK", "Europe/London"),
        ("Germany", "Europe/Berlin"),
        ("Eastern", "America/New_York"),
        ("NZDT", "Pacific/Auckland"),
        ("SGT", "Asia/Singapore"),
        ("Boston", "America/New_York"),
    ]:
        out = await chat(f"intro set tz {text}")
        assert f"Updated your time zone: {key} (" in out, text


async def test_a_name_in_several_zones_asks_with_buttons(chat: Chat) -> None:
    out = await chat("intro set tz Manchester")
    assert "There is more than one `Manchester`. Which one is yours?" in out
    assert "[1] Manchester, United Kingdom (Europe/London)" in out
    assert "[2] Manchester, New Hampshire, United States (America/New_York)" in out
    out = await chat("2")
    assert "Updated your time zone: America/New_York (" in out


async def test_a_choice_not_taken_changes_nothing(chat: Chat) -> None:
    await chat("intro set tz Lisbon", "intro set tz Portland")
    assert "Time zone: Europe/Lisbon" in await chat("whois me")


async def test_the_intro_form_saves_the_rest_and_asks_for_the_zone(chat: Chat) -> None:
    out = await chat.intro(**{**ANA, "timezone": "Springfield"})
    assert "Thanks! Your intro is saved. To finish your intro, add: time zone." in out
    assert "There is more than one `Springfield`" in out
    assert "[1] Springfield, Missouri, United States (America/Chicago)" in out
    out = await chat("1")
    assert "Updated your time zone: America/Chicago (" in out
    assert "Time zone: America/Chicago" in await chat("whois me")


async def test_a_tz_filter_picks_and_says_which(chat: Chat) -> None:
    await chat.person("ben", name="Ben", role="teacher", subjects="math", grades="5", tz="Boston")
    await chat.person("cy", name="Cy", role="teacher", subjects="math", grades="5", tz="Lisbon")
    await chat("/as ana")
    out = await chat("people find tz:Eastern")
    assert "`Eastern` read as America/New_York" in out
    assert "Ben" in out and "Cy" not in out
    out = await chat("people find tz:Manchester")
    assert "`Manchester` read as Europe/London (Manchester, United Kingdom; also" in out
    assert "Cy" in out and "Ben" not in out
