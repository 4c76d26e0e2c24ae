"""An event as an iCalendar file (RFC 5545, written with ``icalendar``), recurrence included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from bot.core.timezones import zone
from bot.scheduling.recurrence import WEEKDAYS, Kind, Schedule, to_utc
from bot.skills.events.models import Event

_DAYS = tuple(day[:2].upper() for day in WEEKDAYS)


def _rrule(schedule: Schedule) -> dict[str, object] | None:
    if schedule.kind is Kind.ONCE:
        return None
    if schedule.kind is Kind.DAILY:
        return {"FREQ": "DAILY"}
    if schedule.kind is Kind.YEARLY:
        return {"FREQ": "YEARLY", "BYMONTH": schedule.month, "BYMONTHDAY": schedule.monthday}
    if schedule.monthday:
        return {"FREQ": "MONTHLY", "BYMONTHDAY": schedule.monthday}
    days = [_DAYS[d] for d in schedule.weekdays]
    if schedule.kind is Kind.WEEKLY:
        return {"FREQ": "WEEKLY", "INTERVAL": schedule.interval, "BYDAY": days}
    return {"FREQ": "MONTHLY", "BYDAY": [f"{schedule.nth}{day}" for day in days]}


def event_calendar(
    event: Event, schedule: Schedule, first: datetime, *, tenant_id: int, now: datetime
) -> bytes:
    """``first`` is the next occurrence (UTC); a recurring event repeats from there."""
    calendar = Calendar()
    calendar.add("prodid", "-//Staffroom//events//EN")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}-{tenant_id}@staffroom")
    item.add("dtstamp", now.astimezone(UTC))
    item.add("summary", event.title)
    tz = zone(event.zone)
    start = first.astimezone(tz) if isinstance(tz, ZoneInfo) else first.astimezone(UTC)
    if schedule.kind is Kind.ONCE and schedule.on is not None:
        start = to_utc(schedule.on, schedule.at, event.zone).astimezone(start.tzinfo)
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=event.duration_minutes))
    rule = _rrule(schedule)
    if rule is not None:
        item.add("rrule", rule)
    if event.description:
        item.add("description", event.description)
    if event.link:
        item.add("url", event.link)
        item.add("location", event.link)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
