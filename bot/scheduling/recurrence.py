"""Schedules as typed values, and their occurrences.

Pure: no store, no clock. Occurrences are computed in a zone from ``bot.core.timezones`` and
returned in UTC. Across DST changes a local time that does not exist (02:30 on a spring-forward
night) moves forward by the gap; one that happens twice (01:30 on a fall-back night) takes the
first. Reading what people type is ``bot.scheduling.grammar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.core.timezones import zone

WORKWEEK = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_SEARCH_DAYS = 800
_SEARCH_YEARS = 9


class BadSchedule(ValueError):
    """The text is not a schedule we understand; the message says what works."""


class Kind(StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
DATE_RANGE = f"Staffroom schedules dates from {EARLIEST} to {LATEST} (UTC)."


class OutOfRange(BadSchedule):
    """A date (in the schedule's zone, or once converted to UTC) outside ``DATE_RANGE``."""


def day_ordinal(day: int) -> str:
    """``1st``, ``2nd``, ``15th``, ``22nd``."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """A recurrence (or a one-off) at a local wall-clock time."""

    kind: Kind
    at: time
    weekdays: tuple[int, ...] = ()
    """WEEKLY: Monday = 0; MONTHLY by weekday: one weekday."""
    interval: int = 1
    """WEEKLY: every ``interval`` weeks, counted from the week of ``anchor``."""
    anchor: date | None = None
    nth: int = 0
    """MONTHLY by weekday: 1–4, or -1 for the last such weekday of the month."""
    monthday: int = 0
    """MONTHLY by date and YEARLY: the day of the month (1–31, MONTHLY also -1 for the last);
    a month without that day is skipped."""
    month: int = 0
    """YEARLY: 1–12."""
    on: date | None = None
    """ONCE: the local date."""

    def text(self) -> str:
        """The canonical text, which ``grammar.parse_schedule`` reads back to an equal value."""
        at = f"{self.at:%H:%M:%S}" if self.at.second else f"{self.at:%H:%M}"
        if self.kind is Kind.ONCE:
            assert self.on is not None
            return f"{self.on.isoformat()} {at}"
        if self.kind is Kind.DAILY:
            return f"every day {at}"
        if self.kind is Kind.YEARLY:
            return f"every year on {MONTHS[self.month - 1]} {self.monthday} {at}"
        if self.kind is Kind.MONTHLY and self.monthday:
            day = "last day" if self.monthday == -1 else day_ordinal(self.monthday)
            return f"every month on the {day} {at}"
        workweek = self.kind is Kind.WEEKLY and self.interval == 1 and self.weekdays == WORKWEEK
        days = "weekday" if workweek else " and ".join(WEEKDAYS[d] for d in self.weekdays)
        if self.kind is Kind.MONTHLY:
            return f"{ORDINAL_NAMES[self.nth]} {days} of the month {at}"
        if self.interval == 1:
            return f"every {days} {at}"
        assert self.anchor is not None
        return f"every {self.interval} weeks on {days} {at} from {self.anchor.isoformat()}"

    def describe(self) -> str:
        """The schedule as a sentence for people: ``every other Tuesday at 16:00``."""
        at = f"at {self.at:%H:%M}"
        if self.kind is Kind.ONCE:
            assert self.on is not None
            return f"once, on {self.on:%a %d %b %Y} {at}"
        if self.kind is Kind.DAILY:
            return f"every day {at}"
        if self.kind is Kind.YEARLY:
            return f"every year on {self.monthday} {MONTHS[self.month - 1].title()} {at}"
        if self.kind is Kind.MONTHLY and self.monthday:
            day = "last day" if self.monthday == -1 else day_ordinal(self.monthday)
            return f"on the {day} of every month {at}"
        names = [WEEKDAYS[d].title() for d in self.weekdays]
        if self.kind is Kind.MONTHLY:
            return f"on the {ORDINAL_NAMES[self.nth]} {names[0]} of every month {at}"
        if self.weekdays == WORKWEEK and self.interval == 1:
            days = "weekday (Monday to Friday)"
        else:
            days = " and ".join(names)
        every = {1: "every", 2: "every other"}.get(self.interval, f"every {self.interval} weeks on")
        return f"{every} {days} {at}"

    @property
    def recurring(self) -> bool:
        return self.kind is not Kind.ONCE


def to_utc(day: date, at: time, zone_key: str) -> datetime:
    """The UTC moment of a local date and time (a gap moves forward, an overlap takes the
    first)."""
    # zoneinfo reads a time in a gap with the offset before it (so 02:30 becomes 03:30) and
    # fold=0 picks the first of two.
    local = datetime.combine(day, at).replace(tzinfo=zone(zone_key), fold=0)
    try:
        moment = local.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment.date() <= LATEST:
        raise OutOfRange(f"{day} {at:%H:%M} in {zone_key} is too far away. {DATE_RANGE}")
    return moment


EXTREME_ZONES = ("Etc/GMT-14", "Etc/GMT+12")
"""The zones furthest ahead of and behind UTC: a one-off in range in both is in range in all."""


def check_in_range(schedule: Schedule, *zone_keys: str) -> None:
    """Raise ``OutOfRange`` when a one-off, in any of the zones, falls outside ``DATE_RANGE``
    once converted to UTC (a date alone is checked when the schedule is read)."""
    if schedule.on is not None:
        for zone_key in zone_keys:
            to_utc(schedule.on, schedule.at, zone_key)


def _matches(schedule: Schedule, day: date) -> bool:
    if schedule.kind is Kind.DAILY:
        return True
    if schedule.kind is Kind.ONCE:
        return day == schedule.on
    if schedule.monthday:
        if schedule.kind is Kind.YEARLY and day.month != schedule.month:
            return False
        if schedule.monthday == -1:
            return (day + timedelta(days=1)).month != day.month
        return day.day == schedule.monthday
    if day.weekday() not in schedule.weekdays:
        return False
    if schedule.kind is Kind.WEEKLY:
        if schedule.interval == 1 or schedule.anchor is None:
            return True
        weeks = (day - timedelta(days=day.weekday()) - schedule.anchor).days // 7
        return weeks >= 0 and weeks % schedule.interval == 0
    if schedule.nth == -1:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == schedule.nth


def next_occurrence(schedule: Schedule, zone_key: str, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after`` (UTC), or None when there is none (within
    ``DATE_RANGE``)."""
    try:
        return _next_occurrence(schedule, zone_key, after)
    except OutOfRange:
        return None


def _next_occurrence(schedule: Schedule, zone_key: str, after: datetime) -> datetime | None:
    start = after.astimezone(zone(zone_key)).date() - timedelta(days=1)
    if schedule.kind is Kind.ONCE:
        assert schedule.on is not None
        moment = to_utc(schedule.on, schedule.at, zone_key)
        return moment if moment > after else None
    if schedule.kind is Kind.YEARLY:
        for year in range(start.year, min(start.year + _SEARCH_YEARS, LATEST.year + 1)):
            try:
                day = date(year, schedule.month, schedule.monthday)
            except ValueError:  # 29 February outside a leap year
                continue
            moment = to_utc(day, schedule.at, zone_key)
            if moment > after:
                return moment
        return None
    day = max(start, schedule.anchor) if schedule.anchor is not None else start
    for _ in range(_SEARCH_DAYS):
        if _matches(schedule, day):
            moment = to_utc(day, schedule.at, zone_key)
            if moment > after:
                return moment
        day += timedelta(days=1)
    return None


def occurrences(schedule: Schedule, zone_key: str, after: datetime, count: int) -> list[datetime]:
    """Up to ``count`` occurrences after ``after``, in order (UTC)."""
    found: list[datetime] = []
    moment: datetime | None = after
    while len(found) < count and moment is not None:
        moment = next_occurrence(schedule, zone_key, moment)
        if moment is not None:
            found.append(moment)
    return found


def local_date(moment: datetime, zone_key: str) -> date:
    return moment.astimezone(zone(zone_key)).date()


def once_at(moment: datetime) -> Schedule:
    """A one-off at ``moment`` (to the minute, in UTC: schedule it with the zone ``UTC``)."""
    moment = moment.astimezone(UTC)
    return Schedule(
        kind=Kind.ONCE, at=moment.time().replace(second=0, microsecond=0), on=moment.date()
    )
