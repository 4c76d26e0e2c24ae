"""Suggesting first-meeting times that fall in both people's working hours on working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.i18n import Translator
from bot.core.timezones import zone
from bot.skills.mentoring.matching import WORKDAY_END, WORKDAY_START

_STEP = timedelta(minutes=30)


def _fits(moment: datetime, zone_key: str) -> bool:
    """An hour from ``moment`` lies inside a Monday–Friday working day in that zone."""
    local = moment.astimezone(zone(zone_key))
    start = local.hour * 60 + local.minute
    return local.weekday() < 5 and start >= WORKDAY_START and start + 60 <= WORKDAY_END


def meeting_slots(
    zone_a: str, zone_b: str, after: datetime, *, count: int = 3, days: int = 14
) -> list[datetime]:
    """Up to ``count`` one-hour slots on different days, from the next day on, each in the
    middle of the working time the two zones share that day (UTC datetimes)."""
    first = (after + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    by_day: dict[date, list[datetime]] = {}
    moment = first
    while moment < first + timedelta(days=days):
        if _fits(moment, zone_a) and _fits(moment, zone_b):
            day = moment.astimezone(zone(zone_a)).date()
            by_day.setdefault(day, []).append(moment)
        moment += _STEP
    slots = []
    for moments in by_day.values():
        whole_hours = [m for m in moments if m.minute == moments[0].minute] or moments
        slots.append(whole_hours[(len(whole_hours) - 1) // 2])
        if len(slots) == count:
            break
    return slots


def local_time(t: Translator, moment: datetime, zone_key: str) -> str:
    """``Tue 3 Mar 14:00`` (``mar 3 mar 14:00``), in the zone and the reader's language."""
    return t.format_datetime(moment, format="EEE d MMM HH:mm", tz=zone(zone_key))


def clock_time(t: Translator, moment: datetime, zone_key: str) -> str:
    """``14:00``, in the zone."""
    return t.format_time(moment, format="HH:mm", tz=zone(zone_key))
