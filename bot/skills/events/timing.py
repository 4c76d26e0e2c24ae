"""Durations as people write them (``60m``, ``1h30m``) and moments shown to a reader."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.replies import TimeStyle, timestamp
from bot.core.timezones import zone

_DURATION = re.compile(r"^(?:(?P<h>\d{1,2})h)?(?:(?P<m>\d{1,3})(?:m|min))?$")


def parse_duration(word: str) -> int | None:
    """Minutes in ``60m``, ``90min``, ``2h`` or ``1h30m``; None when the word is not one."""
    found = _DURATION.match(word.lower())
    if found is None or not (found["h"] or found["m"]):
        return None
    return int(found["h"] or 0) * 60 + int(found["m"] or 0)


def local(moment: datetime, zone_key: str) -> str:
    """``Thu 14 Jan 2027 16:00 (Europe/London)``: the fallback for platforms without local
    times, in the zone of whoever reads it."""
    return f"{moment.astimezone(zone(zone_key)):%a %d %b %Y %H:%M} ({zone_key})"


def moment_for(moment: datetime, zone_key: str, style: TimeStyle = TimeStyle.FULL) -> str:
    """A moment each reader sees in their own zone; ``zone_key`` is the fallback's."""
    return timestamp(moment, fallback=local(moment, zone_key), style=style)
