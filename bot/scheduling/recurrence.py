"""Schedules people write ("every monday 09:00") as typed values, and their occurrences.

Pure: no store, no clock. Occurrences are computed in a zone from ``bot.core.timezones`` and
returned in UTC. Across DST changes a local time that does not exist (02:30 on a spring-forward
night) moves forward by the gap; one that happens twice (01:30 on a fall-back night) takes the
first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.core.timezones import zone

WORKWEEK = (0, 1, 2, 3, 4)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_ORDINAL_NAMES = {v: k for k, v in _ORDINALS.items()}
_TIME = r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*(?P<ampm>am|pm)?"
_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*"
_RELATIVE = re.compile(r"^in\s+(\d{1,4})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_FROM = re.compile(r"\s+(?:from|starting)\s+(\d{4}-\d{2}-\d{2})$")
_EVERY_DAY = re.compile(rf"^every\s+day\s+(?:at\s+)?{_TIME}$")
_WEEKLY = re.compile(
    rf"^every\s+(?:(?P<n>\d{{1,2}})\s+weeks?\s+on\s+)?(?P<days>{_DAY}(?:\s*(?:,|and)\s*{_DAY})*)"
    rf"\s+(?:at\s+)?{_TIME}$"
)
_MONTHLY = re.compile(
    rf"^(?:every\s+)?(?P<nth>first|second|third|fourth|last)\s+(?P<day>{_DAY})\s+of\s+"
    rf"(?:the|every|each)\s+month\s+(?:at\s+)?{_TIME}$"
)
_ONCE_DATE = re.compile(rf"^(?:on\s+)?(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+(?:at\s+)?{_TIME}$")
_ONCE_WORD = re.compile(rf"^(?P<word>today|tomorrow|next\s+{_DAY}|{_DAY})\s+(?:at\s+)?{_TIME}$")
_SEARCH_DAYS = 800


class Kind(StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class BadSchedule(ValueError):
    """The text is not a schedule we understand; the message says what works."""


EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
DATE_RANGE = f"Staffroom schedules dates from {EARLIEST} to {LATEST} (UTC)."


class OutOfRange(BadSchedule):
    """A date (in the schedule's zone, or once converted to UTC) outside ``DATE_RANGE``."""


GRAMMAR_HELP = (
    "Try `every monday 09:00`, `every weekday 8:30`, `every day 18:00`, "
    "`every 2 weeks on friday 15:30`, `first tuesday of the month 16:00`, "
    "`tomorrow 8:00`, `2026-12-01 09:00` or `in 2h`."
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """A recurrence (or a one-off) at a local wall-clock time."""

    kind: Kind
    at: time
    weekdays: tuple[int, ...] = ()
    """WEEKLY: Monday = 0; MONTHLY: one weekday."""
    interval: int = 1
    """WEEKLY: every ``interval`` weeks, counted from the week of ``anchor``."""
    anchor: date | None = None
    nth: int = 0
    """MONTHLY: 1–4, or -1 for the last such weekday of the month."""
    on: date | None = None
    """ONCE: the local date."""

    def text(self) -> str:
        """The canonical text, which ``parse_schedule`` reads back to an equal value."""
        at = f"{self.at:%H:%M:%S}" if self.at.second else f"{self.at:%H:%M}"
        if self.kind is Kind.ONCE:
            assert self.on is not None
            return f"{self.on.isoformat()} {at}"
        if self.kind is Kind.DAILY:
            return f"every day {at}"
        workweek = self.kind is Kind.WEEKLY and self.interval == 1 and self.weekdays == WORKWEEK
        days = "weekday" if workweek else " and ".join(WEEKDAYS[d] for d in self.weekdays)
        if self.kind is Kind.MONTHLY:
            return f"{_ORDINAL_NAMES[self.nth]} {days} of the month {at}"
        if self.interval == 1:
            return f"every {days} {at}"
        assert self.anchor is not None
        return f"every {self.interval} weeks on {days} {at} from {self.anchor.isoformat()}"

    @property
    def recurring(self) -> bool:
        return self.kind is not Kind.ONCE


def parse_schedule(text: str, *, now: datetime, zone_key: str = "UTC") -> Schedule:
    """Read a schedule; ``now`` and ``zone_key`` resolve relative forms (``tomorrow``, ``in
    2h``, the first week of ``every 2 weeks``). Raises ``BadSchedule`` with a friendly text."""
    cleaned = " ".join(text.lower().replace(",", " , ").split()).replace(" , ", ", ")
    if not cleaned:
        raise BadSchedule(f"A schedule is needed. {GRAMMAR_HELP}")
    local_now = now.astimezone(zone(zone_key))
    if m := _RELATIVE.match(cleaned):
        amount = int(m.group(1))
        if amount == 0:
            raise BadSchedule("`in 0…` is now; give a time in the future.")
        unit = _UNITS[m.group(2)[0]]
        # From the moment of the command, to the second (rounded up: never early).
        moment = now + timedelta(**{unit: amount})
        if moment.microsecond:
            moment += timedelta(microseconds=1_000_000 - moment.microsecond)
        moment = moment.astimezone(zone(zone_key))
        return Schedule(kind=Kind.ONCE, at=moment.time(), on=moment.date())
    anchor = None
    if m := _FROM.search(cleaned):
        anchor = _date(m.group(1))
        cleaned = cleaned[: m.start()]
    if m := _EVERY_DAY.match(cleaned):
        return Schedule(kind=Kind.DAILY, at=_time(m))
    if cleaned.startswith("every weekday"):
        rest = cleaned.removeprefix("every weekday").strip().removeprefix("at").strip()
        m = re.fullmatch(_TIME, rest)
        if m is None:
            raise BadSchedule(f"I need a time after `every weekday`. {GRAMMAR_HELP}")
        return Schedule(kind=Kind.WEEKLY, at=_time(m), weekdays=WORKWEEK)
    if m := _WEEKLY.match(cleaned):
        days = tuple(sorted({_weekday(d) for d in re.split(r"\s*(?:,|and)\s*", m["days"])}))
        interval = int(m["n"] or 1)
        if not 1 <= interval <= 52:
            raise BadSchedule("Repeat every 1 to 52 weeks.")
        if interval > 1:
            start = anchor or local_now.date()
            return Schedule(
                kind=Kind.WEEKLY,
                at=_time(m),
                weekdays=days,
                interval=interval,
                anchor=start - timedelta(days=start.weekday()),
            )
        return Schedule(kind=Kind.WEEKLY, at=_time(m), weekdays=days)
    if m := _MONTHLY.match(cleaned):
        return Schedule(
            kind=Kind.MONTHLY, at=_time(m), weekdays=(_weekday(m["day"]),), nth=_ORDINALS[m["nth"]]
        )
    if m := _ONCE_DATE.match(cleaned):
        return Schedule(kind=Kind.ONCE, at=_time(m), on=_date(m["date"]))
    if m := _ONCE_WORD.match(cleaned):
        word = m["word"]
        if word == "today":
            day = local_now.date()
        elif word == "tomorrow":
            day = local_now.date() + timedelta(days=1)
        else:
            wanted = _weekday(word.removeprefix("next").strip())
            ahead = (wanted - local_now.weekday()) % 7 or 7
            day = local_now.date() + timedelta(days=ahead)
        return Schedule(kind=Kind.ONCE, at=_time(m), on=day)
    raise BadSchedule(f"I can't read `{text.strip()[:60]}` as a schedule. {GRAMMAR_HELP}")


def _time(m: re.Match[str]) -> time:
    hour, minute, second = int(m["hour"]), int(m["minute"] or 0), int(m["second"] or 0)
    ampm = m["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            raise BadSchedule(f"{hour}{ampm} is not a time; with am/pm use 1 to 12.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise BadSchedule(f"{m['hour']}:{m['minute'] or '00'} is not a time of day (00:00–23:59).")
    return time(hour, minute, second)


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadSchedule(f"{text} is not a date (YYYY-MM-DD).") from None
    if not EARLIEST <= day <= LATEST:
        raise OutOfRange(f"{text} is too far away. {DATE_RANGE}")
    return day


def _weekday(word: str) -> int:
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word[:3]):
            return index
    raise BadSchedule(f"{word} is not a day of the week.")


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
    day = after.astimezone(zone(zone_key)).date() - timedelta(days=1)
    if schedule.anchor is not None:
        day = max(day, schedule.anchor)
    try:
        if schedule.kind is Kind.ONCE:
            assert schedule.on is not None
            moment = to_utc(schedule.on, schedule.at, zone_key)
            return moment if moment > after else None
        for _ in range(_SEARCH_DAYS):
            if _matches(schedule, day):
                moment = to_utc(day, schedule.at, zone_key)
                if moment > after:
                    return moment
            day += timedelta(days=1)
    except OutOfRange:
        return None
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
