"""Reading schedules the way people write them: ``mondays 9:00``, ``every other tuesday``,
``on the 15th``, ``first monday of the month``, ``noon``, ``dec 24``.

One grammar for every place a schedule is typed (reminders, check-ins, pairing rounds). A
phrase that repeats (``every``, ``each``, a plural day, ``daily``, ``weekdays``, ``monthly``,
``of the month``, ``yearly``) is always read as a recurrence; a phrase without a time of day
takes ``DEFAULT_TIME``, and ``Schedule.describe`` says so back to the member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.timezones import zone
from bot.scheduling.recurrence import (
    DATE_RANGE,
    EARLIEST,
    LATEST,
    MONTHS,
    WEEKDAYS,
    WEEKEND,
    WORKWEEK,
    BadSchedule,
    Kind,
    OutOfRange,
    Schedule,
    day_ordinal,
    next_occurrence,
    occurrences,
    to_utc,
)

DEFAULT_TIME = time(9, 0)
MAX_INTERVAL_WEEKS = 52

GRAMMAR_HELP = (
    "Try `mondays 9:00`, `every weekday 8:30`, `daily 18:00`, `every other tuesday 16:00`, "
    "`first monday of the month 12:00`, `on the 15th of every month`, `dec 24 10am`, "
    "`tomorrow noon`, `2026-12-01 09:00` or `in 2h`."
)


class UnreadableSchedule(BadSchedule):
    """No part of the text reads as a schedule (rather than a schedule with a bad value)."""


_RELATIVE = re.compile(r"^in\s+(\d{1,4})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_FROM = re.compile(r"\s+(?:from|starting)\s+(\d{4}-\d{2}-\d{2})$")
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_NAMED = r"(?P<named>noon|midday|midnight)"
# Minutes, and seconds in a canonical one-off counted from the second of a command (in 1m).
_MINUTES = r"[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
# A time at the end, "strong" when it cannot be a day of the month (a colon, am/pm, a word).
_END_STRONG = re.compile(
    rf"^(?P<rest>.*?)\s*\b(?:at\s+)?(?:{_NAMED}|(?P<hour>\d{{1,2}})(?:{_MINUTES}"
    rf"\s*(?P<ampm>am|pm)?|\s*(?P<ampm2>am|pm)))$"
)
_END_BARE = re.compile(r"^(?P<rest>.*?)\s*\b(?:at\s+)?(?P<hour>\d{1,2})$")
_START_STRONG = re.compile(
    rf"^(?:at\s+)?(?:{_NAMED}|(?P<hour>\d{{1,2}})(?:{_MINUTES}"
    rf"\s*(?P<ampm>am|pm)?|\s*(?P<ampm2>am|pm)))\b\s*(?P<rest>.*)$"
)
_REWRITES = (
    (re.compile(r"\b(?:mon(?:day)?\s*(?:-|to|through|thru)\s*fri(?:day)?)\b"), "weekdays"),
    (re.compile(r"\beveryday\b"), "every day"),
    (re.compile(r"\beach\b"), "every"),
    (re.compile(r"\bdaily\b"), "every day"),
    (re.compile(r"\bevery\s+(?:other|second|alternate)\s+week\b"), "every 2 weeks"),
    (re.compile(r"\b(?:every\s+(?:other|second|alternate)|alternate)\b"), "every 2 weeks on"),
    (re.compile(r"\b(?:fortnightly|biweekly|bi-weekly)(?:\s+on\b)?"), "every 2 weeks on"),
    (re.compile(r"\b(?:weekly|every\s+week\b)(?:\s+on\b)?"), "every week on"),
    (re.compile(r"\b(?:monthly|every\s+month)(?:\s+on\b)?"), "every month on"),
    (re.compile(r"\b(?:yearly|annually|every\s+year)(?:\s+on\b)?"), "every year on"),
    (re.compile(r"\bwork\s*days?\b|\bschool\s*days\b"), "weekdays"),
    (re.compile(r"\s*(?:,|&|\band\b)\s*"), " and "),
)
_DAY_WORD = r"[a-z]{3,10}"
_DAYS = rf"(?P<days>{_DAY_WORD}(?:\s+and\s+{_DAY_WORD})*)"
_WEEKLY = re.compile(
    rf"^(?P<every>every\s+(?:(?P<n>\d{{1,2}})\s+weeks?\s+on\s+|week\s+on\s+)?)?(?:on\s+)?{_DAYS}$"
)
_BARE_INTERVAL = re.compile(r"^every\s+(?:(?P<n>\d{1,2})\s+weeks?|week)(?:\s+on)?$")
_NTH = re.compile(
    r"^(?P<every>every\s+(?:month\s+on\s+)?)?(?:on\s+)?(?:the\s+)?"
    r"(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(?P<day>[a-z]{3,10})"
    r"(?P<month>\s+(?:of\s+)?(?:the\s+|every\s+)?month|\s+every\s+month(?:\s+on)?)?$"
)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_ORDINALS |= {"4th": 4, "last": -1}
_MONTHDAY = re.compile(
    r"^(?P<every>every\s+(?:month\s+on\s+)?)?(?:on\s+)?(?:the\s+)?"
    r"(?:(?P<day>\d{1,2})(?P<suffix>st|nd|rd|th)?|(?P<last>last\s+day))"
    r"(?P<month>\s+(?:of\s+)?(?:the\s+|every\s+)?month|\s+every\s+month(?:\s+on)?)?$"
)
_MONTH_WORD = r"(?P<mname>[a-z]{3,9})\.?"
_DATE = re.compile(
    rf"^(?P<every>every\s+year\s+on\s+|every\s+)?(?:on\s+)?(?:the\s+)?"
    rf"(?:{_MONTH_WORD}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD.replace('mname', 'mname2')})"
    r"(?P<yearly>\s+every\s+year(?:\s+on)?)?$"
)
_ISO = re.compile(r"^(?:on\s+)?(?P<date>\d{4}-\d{2}-\d{2})$")
_ONCE_WORD = re.compile(r"^(?:on\s+)?(?P<word>today|tomorrow|(?:next|this)\s+[a-z]{3,10})$")


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int
    minute: int
    second: int
    ampm: str | None
    named: time | None


def parse_schedule(text: str, *, now: datetime, zone_key: str = "UTC") -> Schedule:
    """Read a schedule; ``now`` and ``zone_key`` resolve relative forms (``tomorrow``, ``in
    2h``, ``dec 24``, the first week of ``every other tuesday``). Raises ``BadSchedule``."""
    cleaned = " ".join(text.lower().replace(",", " , ").split()).replace(" , ", ", ")
    if not cleaned:
        raise BadSchedule(f"A schedule is needed. {GRAMMAR_HELP}")
    if len(cleaned) > 120:
        raise BadSchedule(f"That schedule is too long. {GRAMMAR_HELP}")
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
    for phrase, clock in _splits(cleaned):
        schedule = _read_days(_rewrite(phrase), clock, local_now, zone_key, anchor)
        if schedule is not None:
            return schedule
    raise UnreadableSchedule(
        f"I can't read `{text.strip()[:60]}` as a schedule. {GRAMMAR_HELP}"
    )


def _splits(cleaned: str) -> list[tuple[str, _Clock]]:
    """Ways to cut the text into a day phrase and a time, most certain first."""
    found: list[tuple[str, _Clock]] = []
    for pattern in (_END_STRONG, _START_STRONG, _END_BARE):
        if m := pattern.match(cleaned):
            groups = m.groupdict()
            named = groups.get("named")
            found.append(
                (
                    m["rest"].strip(),
                    _Clock(
                        hour=int(groups.get("hour") or 0),
                        minute=int(groups.get("minute") or 0),
                        second=int(groups.get("second") or 0),
                        ampm=groups.get("ampm") or groups.get("ampm2"),
                        named=_NAMED_TIMES[named] if named else None,
                    ),
                )
            )
    found.append((cleaned, _Clock(hour=9, minute=0, second=0, ampm=None, named=DEFAULT_TIME)))
    return found


def _rewrite(phrase: str) -> str:
    phrase = phrase.strip().removesuffix(" at").strip()
    for pattern, replacement in _REWRITES:
        phrase = pattern.sub(replacement, phrase)
    return " ".join(phrase.split()).removesuffix(" on")


def _read_days(
    phrase: str, clock: _Clock, local_now: datetime, zone_key: str, anchor: date | None
) -> Schedule | None:
    """The schedule for a day phrase, or None when the phrase is not one."""
    today = local_now.date()
    if not phrase:
        at = _time(clock)
        day = today if to_utc(today, at, zone_key) > local_now else None
        return Schedule(kind=Kind.ONCE, at=at, on=day or today + timedelta(days=1))
    if phrase == "every day":
        return Schedule(kind=Kind.DAILY, at=_time(clock))
    if m := _BARE_INTERVAL.match(phrase):
        return _weekly((today.weekday(),), int(m["n"] or 1), clock, today, anchor)
    if (m := _WEEKLY.match(phrase)) and (days := _day_list(m["days"])) is not None:
        weekdays, plural = days
        if m["every"] or plural or len(weekdays) > 1:
            return _weekly(weekdays, int(m["n"] or 1), clock, today, anchor)
        ahead = (weekdays[0] - today.weekday()) % 7 or 7
        return Schedule(kind=Kind.ONCE, at=_time(clock), on=today + timedelta(days=ahead))
    if (m := _NTH.match(phrase)) and _weekday(m["day"]) is not None:
        if not (m["every"] or m["month"]):
            raise BadSchedule(
                f"Say `{m['nth']} {m['day']} of the month` for a monthly schedule, or give a date."
            )
        return Schedule(
            kind=Kind.MONTHLY,
            at=_time(clock),
            weekdays=(_weekday(m["day"]) or 0,),
            nth=_ORDINALS[m["nth"]],
        )
    if m := _MONTHDAY.match(phrase):
        return _monthday(m, clock, local_now, zone_key)
    if phrase == "every month":
        return Schedule(kind=Kind.MONTHLY, at=_time(clock), monthday=today.day)
    if m := _DATE.match(phrase):
        return _calendar_date(m, clock, local_now, zone_key)
    if m := _ISO.match(phrase):
        return Schedule(kind=Kind.ONCE, at=_time(clock), on=_date(m["date"]))
    if m := _ONCE_WORD.match(phrase):
        word = m["word"]
        if word in ("today", "tomorrow"):
            day = today + timedelta(days=int(word == "tomorrow"))
            return Schedule(kind=Kind.ONCE, at=_time(clock), on=day)
        wanted = _weekday(word.split()[1])
        if wanted is None:
            return None
        ahead = (wanted - today.weekday()) % 7
        if word.startswith("next") or ahead == 0:
            ahead = ahead or 7
        return Schedule(kind=Kind.ONCE, at=_time(clock), on=today + timedelta(days=ahead))
    return None


def _weekly(
    weekdays: tuple[int, ...], interval: int, clock: _Clock, today: date, anchor: date | None
) -> Schedule:
    if not 1 <= interval <= MAX_INTERVAL_WEEKS:
        raise BadSchedule(f"Repeat every 1 to {MAX_INTERVAL_WEEKS} weeks.")
    if interval == 1:
        return Schedule(kind=Kind.WEEKLY, at=_time(clock), weekdays=weekdays)
    start = anchor or today
    return Schedule(
        kind=Kind.WEEKLY,
        at=_time(clock),
        weekdays=weekdays,
        interval=interval,
        anchor=start - timedelta(days=start.weekday()),
    )


def _day_list(text: str) -> tuple[tuple[int, ...], bool] | None:
    """Weekdays named in ``monday and thursdays`` (and whether one was plural)."""
    found: set[int] = set()
    plural = False
    for word in text.split(" and "):
        if word in ("weekday", "weekdays"):
            found.update(WORKWEEK)
            plural = True
        elif word in ("weekend", "weekends"):
            found.update(WEEKEND)
            plural = True
        elif (day := _weekday(word)) is not None:
            found.add(day)
        elif word.endswith("s") and (day := _weekday(word[:-1])) is not None:
            found.add(day)
            plural = True
        else:
            return None
    return tuple(sorted(found)), plural


def _monthday(m: re.Match[str], clock: _Clock, local_now: datetime, zone_key: str) -> Schedule:
    repeating = bool(m["every"] or m["month"])
    if m["last"]:
        if not repeating:
            raise BadSchedule("Say `the last day of the month` for a monthly schedule.")
        return Schedule(kind=Kind.MONTHLY, at=_time(clock), monthday=-1)
    day = int(m["day"])
    if not 1 <= day <= 31:
        raise BadSchedule(f"{day} is not a day of the month (1 to 31).")
    if repeating:
        return Schedule(kind=Kind.MONTHLY, at=_time(clock), monthday=day)
    at = _time(clock)
    probe = Schedule(kind=Kind.MONTHLY, at=at, monthday=day)
    first = next_occurrence(probe, zone_key, local_now)
    if first is None:
        raise BadSchedule(f"I can't find a {day_ordinal(day)} coming up.")
    return Schedule(kind=Kind.ONCE, at=at, on=first.astimezone(local_now.tzinfo).date())


def _calendar_date(
    m: re.Match[str], clock: _Clock, local_now: datetime, zone_key: str
) -> Schedule | None:
    month = _month(m["mname"] or m["mname2"])
    if month is None:
        return None
    day = int(m["d1"] or m["d2"])
    try:
        date(2024, month, day)  # a leap year: 29 February is a day that exists
    except ValueError:
        raise BadSchedule(f"{MONTHS[month - 1].title()} has no day {day}.") from None
    yearly = Schedule(kind=Kind.YEARLY, at=_time(clock), month=month, monthday=day)
    if m["every"] or m["yearly"]:
        return yearly
    first = next_occurrence(yearly, zone_key, local_now)
    assert first is not None  # every day of a month comes round within nine years
    return Schedule(kind=Kind.ONCE, at=yearly.at, on=first.astimezone(local_now.tzinfo).date())


def _time(clock: _Clock) -> time:
    if clock.named is not None:
        return clock.named
    hour, minute, second, ampm = clock.hour, clock.minute, clock.second, clock.ampm
    if ampm:
        if not 1 <= hour <= 12:
            raise BadSchedule(f"{hour}{ampm} is not a time; with am/pm use 1 to 12.")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise BadSchedule(f"{clock.hour}:{clock.minute:02d} is not a time of day (00:00–23:59).")
    return time(hour, minute, second)


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadSchedule(f"{text} is not a date (YYYY-MM-DD).") from None
    if not EARLIEST <= day <= LATEST:
        raise OutOfRange(f"{text} is too far away. {DATE_RANGE}")
    return day


def _weekday(word: str) -> int | None:
    """``mon``, ``tues``, ``thursday`` → 0, 1, 3; None when it is not a day."""
    if len(word) < 3:
        return None
    if word == "weds":
        return 2
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return index
    return None


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    for index, name in enumerate(MONTHS, start=1):
        if name.startswith(word) or (word == "sept" and index == 9):
            return index
    return None


def next_times(
    schedule: Schedule, zone_key: str, now: datetime, *, count: int = 3, shown_in: str = ""
) -> list[str]:
    """The next ``count`` times (one for a one-off) after ``now``, as local wall-clock text in
    ``shown_in`` (default: the schedule's own zone)."""
    shown = zone(shown_in or zone_key)
    moments = occurrences(schedule, zone_key, now, count if schedule.recurring else 1)
    this_year = now.astimezone(shown).year
    return [_when(m.astimezone(shown), this_year) for m in moments]


def preview(schedule: Schedule, zone_key: str, now: datetime) -> str:
    """The schedule as understood and its next three times in the member's zone:
    ``every Monday at 09:00 — next Mon 07 Dec 09:00, Mon 14 Dec 09:00, Mon 21 Dec 09:00
    (Europe/Lisbon)``."""
    times = next_times(schedule, zone_key, now)
    if not times:
        return f"{schedule.describe()} — that time has passed"
    return f"{schedule.describe()} — next {', '.join(times)} ({zone_key})"


def _when(moment: datetime, this_year: int) -> str:
    year = "" if moment.year == this_year else f" {moment.year}"
    return f"{moment:%a %d %b}{year} {moment:%H:%M}"
