from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.stats import StatsPeriod, bar_chart, percent, sparkline

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # a Tuesday


def test_a_period_is_the_days_up_to_now() -> None:
    period = StatsPeriod(end=NOW, days=30)
    assert period.start == NOW - timedelta(days=30)
    assert period.label == "30d"
    assert period.previous() == StatsPeriod(end=period.start, days=30)


def test_buckets_are_calendar_days_or_weeks_from_monday() -> None:
    week = StatsPeriod(end=NOW, days=7).buckets()
    assert [low.day for low, _ in week] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert all(high - low == timedelta(days=1) for low, high in week)
    month = StatsPeriod(end=NOW, days=30).buckets()
    assert [f"{low:%a %d %b}" for low, _ in month] == [
        "Mon 02 Feb",
        "Mon 09 Feb",
        "Mon 16 Feb",
        "Mon 23 Feb",
        "Mon 02 Mar",
        "Mon 09 Mar",
    ]


def test_counting_by_bucket_keeps_to_the_window() -> None:
    period = StatsPeriod(end=NOW, days=7)
    moments = [
        NOW,  # counts: the window includes now
        NOW - timedelta(hours=13),  # Monday
        period.start,  # belongs to the previous window
        NOW - timedelta(days=6, hours=23),  # Tuesday 3rd, just inside
        NOW + timedelta(seconds=1),
    ]
    counts = dict((f"{low:%d}", n) for low, n in period.count_by_bucket(moments))
    assert counts == {"03": 1, "04": 0, "05": 0, "06": 0, "07": 0, "08": 0, "09": 1, "10": 1}


def test_percent_sparkline_and_bars() -> None:
    assert percent(3, 4) == "75%"
    assert percent(1, 3) == "33%"
    assert percent(0, 0) == "—"
    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""
    assert bar_chart([("Mon", 4), ("Tuesday", 1), ("Wed", 0)], width=8) == (
        "Mon     │████████ 4",
        "Tuesday │██ 1",
        "Wed     │ 0",
    )
    assert bar_chart([("a", 1), ("b", 100)], width=10)[0] == "a │▏ 1"
    assert bar_chart([]) == ()
