"""Reading time zones the way people write them: IANA names, cities, offsets, abbreviations.

A zone is stored as a key: an IANA name (``Europe/Lisbon``) or a fixed offset (``UTC+05:30``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?:\s*h)?$", re.I | re.A)
_FIXED_KEY = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$", re.ASCII)
# Common abbreviations people type, mapped to a representative zone (DST follows the zone).
_ABBREVIATIONS = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "eet": "Europe/Athens",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
}
_LEGACY_PREFIXES = ("Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/")


class UnknownTimeZone(ValueError):
    """The text is not a time zone we can recognise."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-]+", "_", plain)


@cache
def _zone_index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded full name → key, folded city → key), built once on first use."""
    full: dict[str, str] = {}
    cities: dict[str, str] = {}
    for key in sorted(available_timezones()):
        full[_fold(key)] = key
        if "/" in key and not key.startswith(_LEGACY_PREFIXES):
            cities.setdefault(_fold(key.rsplit("/", 1)[1]), key)
    return full, cities


def parse_timezone(text: str) -> str:
    """Return the zone key for ``text``; raises ``UnknownTimeZone`` when it is not one."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        raise UnknownTimeZone(text)
    if cleaned.lower() in {"utc", "gmt", "z", "utc+0", "utc-0"}:
        return "UTC"
    if m := _OFFSET.match(cleaned):
        return _fixed_key(m.group(1), int(m.group(2)), int(m.group(3) or 0), text)
    folded = _fold(cleaned)
    if folded in _ABBREVIATIONS:
        return _ABBREVIATIONS[folded]
    full, cities = _zone_index()
    key = full.get(folded) or cities.get(folded)
    if key is None:
        raise UnknownTimeZone(text)
    return key


def _fixed_key(sign: str, hours: int, minutes: int, text: str) -> str:
    if minutes not in (0, 15, 30, 45) or hours > 14 or (hours == 14 and minutes):
        raise UnknownTimeZone(text)
    if hours == 0 and minutes == 0:
        return "UTC"
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


@cache
def zone(key: str) -> tzinfo:
    """The tzinfo for a stored key."""
    if m := _FIXED_KEY.match(key):
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
        return timezone(-delta if m.group(1) == "-" else delta, key)
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone(key) from exc


def utc_offset(key: str, at: datetime) -> timedelta:
    offset = at.astimezone(zone(key)).utcoffset()
    return offset if offset is not None else timedelta(0)


def hours_apart(key_a: str, key_b: str, at: datetime) -> float:
    """How many hours apart two zones' clocks are at the moment ``at``."""
    return abs((utc_offset(key_a, at) - utc_offset(key_b, at)).total_seconds()) / 3600


def format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def describe(key: str, at: datetime) -> str:
    """``Europe/Lisbon (UTC+00:00, 09:30 now)``."""
    local = at.astimezone(zone(key))
    offset = local.utcoffset() or timedelta(0)
    if key.startswith("UTC"):
        return f"{key} ({local:%H:%M} now)"
    return f"{key} ({format_offset(offset)}, {local:%H:%M} now)"
