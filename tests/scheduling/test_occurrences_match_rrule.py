"""Occurrences agree with ``dateutil.rrule`` for every kind of recurrence, in zones with DST,
half-hour offsets and the southern hemisphere."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from dateutil import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.scheduling.grammar import parse_schedule
from bot.scheduling.recurrence import Kind, Schedule, occurrences, to_utc

ZONES = (
    "UTC",
    "Europe/Lisbon",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
)
COUNT = 12
_TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
_DAYS = st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(
    lambda days: tuple(sorted(days))
)


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from([Kind.DAILY, Kind.WEEKLY, Kind.MONTHLY, Kind.YEARLY]))
    at = draw(_TIMES)
    if kind is Kind.DAILY:
        return Schedule(kind=kind, at=at)
    if kind is Kind.WEEKLY:
        interval = draw(st.integers(1, 5))
        anchor = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
        monday = anchor - timedelta(days=anchor.weekday())
        return Schedule(
            kind=kind,
            at=at,
            weekdays=draw(_DAYS),
            interval=interval,
            anchor=monday if interval > 1 else None,
        )
    if kind is Kind.YEARLY:
        month = draw(st.integers(1, 12))
        last = (date(2024 + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
        return Schedule(kind=kind, at=at, month=month, monthday=draw(st.integers(1, last)))
    if draw(st.booleans()):
        return Schedule(kind=kind, at=at, monthday=draw(st.integers(1, 31) | st.just(-1)))
    nth = draw(st.sampled_from([1, 2, 3, 4, -1]))
    return Schedule(kind=kind, at=at, weekdays=(draw(st.integers(0, 6)),), nth=nth)


def expected(schedule: Schedule, zone_key: str, after: datetime) -> list[datetime]:
    """The same recurrence as an rrule over local dates, each made a UTC moment."""
    start = after.date() - timedelta(days=2)
    options: dict[str, object] = {"byhour": schedule.at.hour, "byminute": schedule.at.minute}
    if schedule.kind is Kind.DAILY:
        freq = rrule.DAILY
    elif schedule.kind is Kind.WEEKLY:
        freq = rrule.WEEKLY
        options |= {"byweekday": schedule.weekdays, "interval": schedule.interval}
        if schedule.anchor is not None:
            start = schedule.anchor
        options["wkst"] = rrule.MO
    elif schedule.kind is Kind.YEARLY:
        freq = rrule.YEARLY
        options |= {"bymonth": schedule.month, "bymonthday": schedule.monthday}
    elif schedule.monthday:
        freq = rrule.MONTHLY
        options["bymonthday"] = schedule.monthday
    else:
        freq = rrule.MONTHLY
        options["byweekday"] = rrule.weekday(schedule.weekdays[0], schedule.nth)
    rule = rrule.rrule(
        freq, dtstart=datetime.combine(start, time()), bysecond=0, **options  # type: ignore[arg-type]
    )
    found: list[datetime] = []
    for local in rule:
        moment = to_utc(local.date(), local.time(), zone_key)
        if moment > after and moment not in found:
            found.append(moment)
        if len(found) == COUNT:
            return found
    return found


@settings(max_examples=400, deadline=None)
@given(
    schedule=schedules(),
    zone_key=st.sampled_from(ZONES),
    after=st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31)).map(
        lambda moment: moment.replace(tzinfo=UTC)
    ),
)
def test_occurrences_match_rrule(schedule: Schedule, zone_key: str, after: datetime) -> None:
    assert occurrences(schedule, zone_key, after, COUNT) == expected(schedule, zone_key, after)


@settings(max_examples=200, deadline=None)
@given(schedule=schedules(), zone_key=st.sampled_from(ZONES))
def test_the_canonical_text_reads_back(schedule: Schedule, zone_key: str) -> None:
    now = datetime(2026, 12, 4, 16, tzinfo=UTC)
    assert parse_schedule(schedule.text(), now=now, zone_key=zone_key) == schedule
