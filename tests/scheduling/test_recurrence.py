from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.scheduling.grammar import parse_schedule
from bot.scheduling.recurrence import BadSchedule, Kind, next_occurrence, occurrences

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday


def parse(text: str, zone_key: str = "UTC"):  # type: ignore[no-untyped-def]
    return parse_schedule(text, now=NOW, zone_key=zone_key)


def local(moments: list[datetime], zone_key: str) -> list[str]:
    from bot.core.timezones import zone

    return [f"{m.astimezone(zone(zone_key)):%Y-%m-%d %H:%M %Z}" for m in moments]


def test_weekly_parses_and_round_trips() -> None:
    schedule = parse("every Monday 09:00")
    assert schedule.kind is Kind.WEEKLY
    assert schedule.weekdays == (0,)
    assert schedule.at == time(9, 0)
    assert parse(schedule.text()) == schedule
    fortnightly = parse("every 2 weeks on friday 15:30")
    assert fortnightly.text() == "every 2 weeks on friday 15:30 from 2026-03-02"
    assert parse(fortnightly.text()) == fortnightly
    monthly = parse("first tuesday of the month 4pm")
    assert monthly.text() == "first tuesday of the month 16:00"
    assert parse(monthly.text()) == monthly


def test_every_two_weeks_skips_alternate_weeks() -> None:
    found = occurrences(parse("every 2 weeks on friday 15:30"), "UTC", NOW, 3)
    assert [m.date() for m in found] == [date(2026, 3, 6), date(2026, 3, 20), date(2026, 4, 3)]


def test_first_and_last_weekday_of_month() -> None:
    first = occurrences(parse("first tuesday of the month 16:00"), "UTC", NOW, 3)
    assert [m.date() for m in first] == [date(2026, 3, 3), date(2026, 4, 7), date(2026, 5, 5)]
    last = occurrences(parse("last friday of the month 10:00"), "UTC", NOW, 2)
    assert [m.date() for m in last] == [date(2026, 3, 27), date(2026, 4, 24)]


def test_one_offs() -> None:
    assert parse("tomorrow 8:00").on == date(2026, 3, 3)
    assert parse("in 2h").at == time(14, 0)
    assert parse("friday 17:00").on == date(2026, 3, 6)
    once = parse("2026-03-01 09:00")
    assert next_occurrence(once, "UTC", NOW) is None  # already past
    assert next_occurrence(parse("2026-03-09 09:00"), "UTC", NOW) == datetime(
        2026, 3, 9, 9, tzinfo=UTC
    )


def test_new_york_spring_forward_gap_moves_forward() -> None:
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    found = occurrences(parse("every day 02:30"), "America/New_York", NOW, 8)
    assert local(found, "America/New_York")[4:7] == [
        "2026-03-07 02:30 EST",
        "2026-03-08 03:30 EDT",
        "2026-03-09 02:30 EDT",
    ]


def test_new_york_fall_back_overlap_takes_the_first() -> None:
    # 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    after = datetime(2026, 10, 31, 12, tzinfo=UTC)
    found = occurrences(parse("every day 01:30"), "America/New_York", after, 2)
    assert found[0] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first
    assert found[1] == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)  # 01:30 EST


def test_weekly_keeps_local_time_across_dst() -> None:
    for zone_key, after in [
        ("Europe/London", datetime(2026, 3, 20, tzinfo=UTC)),  # BST from 29 March
        ("Australia/Sydney", datetime(2026, 3, 25, tzinfo=UTC)),  # AEST from 5 April
        ("America/New_York", datetime(2026, 10, 20, tzinfo=UTC)),
    ]:
        found = occurrences(parse("every monday 09:00"), zone_key, after, 4)
        assert all(text[11:16] == "09:00" for text in local(found, zone_key))
        offsets = {m.astimezone(UTC).hour for m in found}
        assert len(offsets) == 2, zone_key  # the UTC hour changed with DST


def test_half_hour_offset_zone() -> None:
    found = occurrences(parse("every monday 09:00"), "Asia/Kolkata", NOW, 1)
    assert found == [datetime(2026, 3, 9, 3, 30, tzinfo=UTC)]
    adelaide = occurrences(parse("every day 09:00"), "Australia/Adelaide", NOW, 1)
    assert adelaide[0].minute == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A schedule is needed"),
        ("every blursday 9:00", "can't read"),
        ("every monday 25:00", "not a time of day"),
        ("every monday 13pm", "1 to 12"),
        ("every 60 weeks on monday 9:00", "1 to 52 weeks"),
        ("2026-02-30 09:00", "not a date"),
        ("whenever", "Try `mondays 9:00`"),
        ("in 0h", "time in the future"),
    ],
)
def test_bad_schedules_say_what_works(text: str, message: str) -> None:
    with pytest.raises(BadSchedule, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("every tuesday and thursday 16:00", "every tuesday and thursday 16:00"),
        ("Every Tue, Thu at 4pm", "every tuesday and thursday 16:00"),
        ("every weekday 8:30", "every weekday 08:30"),
        ("every day 9am", "every day 09:00"),
        ("today 17:00", "2026-03-02 17:00"),
        ("next monday 9:00", "2026-03-09 09:00"),
        ("monday 9:00", "2026-03-09 09:00"),
        ("in 30m", "2026-03-02 12:30"),
        ("in 3d", "2026-03-05 12:00"),
        ("on 2026-12-01 at 09:00", "2026-12-01 09:00"),
        ("every first monday of the month 12am", "first monday of the month 00:00"),
    ],
)
def test_the_grammar(text: str, canonical: str) -> None:
    assert parse(text).text() == canonical
