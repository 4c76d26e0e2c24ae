"""Text, numbers and dates nobody should type still get a clear answer and change nothing
(found by feeding every command generated hostile input)."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.core.roles import Role
from bot.core.text import check_name, clean_name, clean_text, whole_number
from tests.support.console import Chat
from tests.support.rows import snapshot

SURROGATE = "\ud800"


def test_clean_text_drops_surrogates_and_controls_and_composes() -> None:
    assert clean_text(f"a{SURROGATE}b\x00c\u202ed\ne\u0301") == "abcd\né"
    assert clean_text(clean_text("x\ud83dy")) == "xy"


@pytest.mark.parametrize(
    "raw", ["a\u200db", "a\u2064b", "a\U000e0041b", "a\ufe0fb", "ａb", "a  \u3164 b"]
)
def test_names_lose_invisible_and_look_alike_characters(raw: str) -> None:
    assert clean_name(raw).replace(" ", "") == "ab"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("@everyone", "can't be a name"),
        ("here", "can't be a name"),
        ("@ｃｈａｎｎｅｌ", "can't be a name"),
        ("every\u200bone", "can't be a name"),
        ("\u3164", "at least one visible letter"),
        ("\U000e0041\u2064", "at least one visible letter"),
    ],
)
def test_reserved_and_blank_names_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_name(raw)


@pytest.mark.parametrize("raw", ["²", "①", "١", "1_0", "+3", "-1", " ", "9" * 5000])
def test_whole_numbers_are_ascii_digits_within_bounds(raw: str) -> None:
    assert whole_number(raw, minimum=0, maximum=1000) is None


def test_whole_number_reads_plain_digits() -> None:
    assert whole_number(" 007 ", minimum=1, maximum=10) == 7
    assert whole_number("11", minimum=1, maximum=10) is None


@pytest.mark.parametrize(
    "line",
    [
        f"intro set name {SURROGATE}bob",
        f"intro set interests chess{SURROGATE}",
        f"people find {SURROGATE}",
        f"remind me tomorrow 9:00 call {SURROGATE}",
        f'resource share https://example.org "Fractions{SURROGATE}" a good one',
        f"admin config welcome_text Hello{SURROGATE}",
    ],
)
async def test_a_lone_surrogate_is_dropped_and_exports_still_work(chat: Chat, line: str) -> None:
    await chat(f"/role {Role.ADMIN.label}")
    answer = await chat(line)
    assert "error id" not in answer
    assert SURROGATE not in answer
    assert "I've sent you the export" in await chat("admin export")
    assert "I've sent you your data" in await chat("privacy export")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("resource saved page:²", "`page:` takes a page number from 1 to 1000"),
        ("resource recent page:²", "`page:` takes a page number from 1 to 1000"),
        ("resource find fractions page:①", "`page:` takes a page number from 1 to 1000"),
        ("people find page:³", "`page:` takes a page number from 1 to 1000"),
        ("mentor offer math capacity:²", "A mentor takes 1 to 5 mentees"),
        ("admin config mentoring.experience_gap ²", "a whole number from 0 to 30"),
        ("admin config resources.page_size ①", "a whole number from 1 to 20"),
        ("admin config mentoring.weight.grades ١", "a number from 0 to 10"),
        ("resource show ١", "must be a whole number of at least 1"),
        ("admin audit ²", "I didn't expect `²` there"),
        ("intro set tz UTC+٥", "I couldn't find the time zone"),
        ("people find tz:±١h", "Use a window like `tz:+-3h`"),
        ("resource find rating:٤", "`rating:` takes a number of stars from 1 to 5"),
        ("admin config privacy.retention_days ٣٠", "a number of days from 0 to 3650"),
        ("intro set grades ٦", "I couldn't read the grade"),
    ],
)
async def test_digits_that_are_not_ascii_are_refused_clearly(
    chat: Chat, app: App, line: str, expected: str
) -> None:
    await chat(f"/role {Role.ADMIN.label}")
    before = await snapshot(app.store)
    answer = await chat(line)
    assert expected in answer
    assert "error id" not in answer and "invalid literal" not in answer
    assert await snapshot(app.store) == before


@pytest.mark.parametrize(
    ("zone", "line"),
    [
        ("America/New_York", "remind me 9999-12-31 23:59 the end"),
        ("America/New_York", "remind me 2999-12-31 23:59 the end"),
        ("America/New_York", "remind #staff 9999-12-31 23:59 the end"),
        ("Etc/GMT-14", "remind me 0001-01-01 00:00 the start"),
        ("UTC", "remind me every 2 weeks on friday 15:30 from 9999-12-25 the end"),
        ("UTC", "pair auto every monday 9:00 from 9999-12-31"),
    ],
)
async def test_dates_out_of_range_name_the_range(
    chat: Chat, app: App, zone: str, line: str
) -> None:
    await chat(f"/role {Role.ADMIN.label}", f"intro set timezone {zone}")
    before = await snapshot(app.store)
    answer = await chat(line)
    assert "Staffroom schedules dates from 2000-01-01 to 2999-12-31" in answer
    assert await snapshot(app.store) == before


@pytest.mark.parametrize(
    ("when", "zone"),
    [
        ("9999-12-31 23:59", "UTC-10"),
        ("0001-01-01 00:00", "Etc/GMT-14"),
        ("2999-12-31 23:59", "Pacific/Honolulu"),
        ("2999-12-31 23:59", ""),  # each member's own zone: one may be twelve hours behind
    ],
)
async def test_a_checkin_out_of_range_is_refused_in_the_form(
    chat: Chat, app: App, when: str, zone: str
) -> None:
    await chat(f"/role {Role.ADMIN.label}", "admin channel summaries #staff", "checkin create")
    before = await snapshot(app.store)
    answer = await chat("Weekly", "How was it?", when, zone, "", "", "", "")
    assert "Staffroom schedules dates from 2000-01-01 to 2999-12-31" in answer
    assert "error id" not in answer
    await chat("/cancel")
    assert await snapshot(app.store) == before


async def test_a_far_start_is_kept_rather_than_refused_as_past(chat: Chat) -> None:
    out = await chat("remind me every 2 weeks on friday 15:30 from 2999-12-25 plan")
    assert "Reminder #1: I'll remind you every other Friday at 15:30 — next Fri 27 Dec 2999" in out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("@everyone", "can't be a name"),
        ("a\u200db", "Updated your display name: ab."),
        ("\u3164", "at least one visible letter"),
        ("\U000e0061\U000e0062", "at least one visible letter"),
    ],
)
async def test_display_names_are_checked(chat: Chat, name: str, expected: str) -> None:
    assert expected in await chat(f"intro set name {name}")
