from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.timezones import (
    UnknownTimeZone,
    describe,
    hours_apart,
    parse_timezone,
    utc_offset,
    zone,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("europe/lisbon", "Europe/Lisbon"),
        ("Lisbon", "Europe/Lisbon"),
        ("new york", "America/New_York"),
        ("New-York", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("Kolkata", "Asia/Kolkata"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("UTC+2", "UTC+02:00"),
        ("utc-3", "UTC-03:00"),
        ("UTC+5:30", "UTC+05:30"),
        ("+0545", "UTC+05:45"),
        ("GMT-09:30", "UTC-09:30"),
        ("+0", "UTC"),
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
    ],
)
def test_people_write_time_zones_many_ways(text: str, key: str) -> None:
    assert parse_timezone(text) == key


@pytest.mark.parametrize(
    "text", ["", "Mars/Olympus_Mons", "UTC+15", "UTC+5:17", "Ruritania", "x" * 100, "💥", "+"]
)
def test_nonsense_is_refused(text: str) -> None:
    with pytest.raises(UnknownTimeZone):
        parse_timezone(text)


def test_fixed_offsets_and_dst() -> None:
    assert zone("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert zone("UTC-03:00").utcoffset(None) == timedelta(hours=-3)
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, tzinfo=UTC)
    assert utc_offset("America/New_York", winter) == timedelta(hours=-5)
    assert utc_offset("America/New_York", summer) == timedelta(hours=-4)
    assert hours_apart("Europe/London", "America/New_York", winter) == 5
    # Between the US and EU clock changes the gap is an hour shorter.
    assert hours_apart("Europe/London", "America/New_York", datetime(2026, 3, 20, tzinfo=UTC)) == 4
    assert hours_apart("Asia/Kolkata", "UTC", winter) == 5.5


def test_describe_shows_offset_and_local_time() -> None:
    moment = datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert describe("Europe/Lisbon", moment) == "Europe/Lisbon (UTC+01:00, 09:30 now)"
    assert describe("UTC+05:30", moment) == "UTC+05:30 (14:00 now)"
