"""Reading time zones the way people write them: IANA names, offsets, abbreviations, common
names (``Eastern``), and cities and countries worldwide (``bot.core.places``).

A zone is stored as a key: an IANA name (``Europe/Lisbon``) or a fixed offset (``UTC+05:30``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core import places
from bot.core.places import fold_name

MAX_OPTIONS = 5

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?:\s*h)?$", re.I | re.A)
_FIXED_KEY = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$", re.ASCII)
# Names and abbreviations people use for a zone, each read as the zone most people who write
# it mean (CST is US Central, IST India); DST follows the zone, so EST and EDT are one zone.
_COMMON_NAMES = {
    "America/New_York": "est, edt, et, eastern, eastern time, eastern standard time, us eastern",
    "America/Chicago": "cst, cdt, ct, central, central time, central standard time, us central",
    "America/Denver": "mst, mdt, mt, mountain, mountain time, mountain standard time, us mountain",
    "America/Phoenix": "arizona",
    "America/Los_Angeles": "pst, pdt, pt, pacific, pacific time, pacific standard time, us pacific",
    "America/Anchorage": "akst, akdt, alaska, alaska time",
    "Pacific/Honolulu": "hst, hawaii, hawaii time",
    "America/Halifax": "ast, adt, atlantic, atlantic time",
    "America/St_Johns": "nst, ndt, newfoundland",
    "America/Sao_Paulo": "brt, brasilia time",
    "Europe/London": "bst, british time, uk time",
    "Europe/Dublin": "irish time",
    "Europe/Lisbon": "wet, western european time",
    "Europe/Paris": "cet, cest, central european time",
    "Europe/Athens": "eet, eest, eastern european time",
    "Europe/Moscow": "msk, moscow time",
    "Africa/Lagos": "wat, west africa time",
    "Africa/Johannesburg": "sast, south africa time",
    "Africa/Nairobi": "east africa time",
    "Asia/Dubai": "gst, gulf time",
    "Asia/Karachi": "pkt",
    "Asia/Kolkata": "ist, india time, indian standard time",
    "Asia/Kathmandu": "npt",
    "Asia/Dhaka": "bdt",
    "Asia/Bangkok": "ict, indochina time",
    "Asia/Jakarta": "wib",
    "Asia/Shanghai": "china time, china standard time, beijing time",
    "Asia/Hong_Kong": "hkt",
    "Asia/Singapore": "sgt, singapore time",
    "Asia/Manila": "pht",
    "Asia/Tokyo": "jst, japan time",
    "Asia/Seoul": "kst, korea time",
    "Australia/Perth": "awst",
    "Australia/Adelaide": "acst, acdt",
    "Australia/Sydney": "aest, aedt, aet, australian eastern time",
    "Pacific/Auckland": "nzst, nzdt, nzt, new zealand time",
}
_ABBREVIATIONS = {
    name: key for key, names in _COMMON_NAMES.items() for name in names.split(", ")
}
_LEGACY_PREFIXES = ("Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/")
CLEAR_LEAD = 10
"""A name means its most populous place when that place is this many times the next one."""


class UnknownTimeZone(ValueError):
    """The text is not a time zone we can recognise."""


class AmbiguousTimeZone(UnknownTimeZone):
    """The text names places in several zones, none clearly the one meant."""

    def __init__(self, text: str, options: tuple[ZoneOption, ...]) -> None:
        places = "; ".join(f"{o.key} ({o.label})" for o in options[:3])
        super().__init__(
            f"`{text.strip()[:40]}` is a place in several time zones: {places}. "
            "Write the zone you mean."
        )
        self.options = options


@dataclass(frozen=True, kw_only=True, slots=True)
class ZoneOption:
    """A zone a name may mean, and the place that makes it so."""

    key: str
    label: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ZoneReading:
    """What a typed time zone means: ``key`` when it is clear, else ``options`` to choose from
    (most populous first)."""

    key: str | None
    options: tuple[ZoneOption, ...] = ()
    place: str = ""
    """The place a name was read as (``Boston, Massachusetts, United States``), if any."""


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


def read_timezone(text: str) -> ZoneReading:
    """What ``text`` names: an IANA zone, an offset, a common name or abbreviation, or a city
    or country (in English or another language the gazetteer knows). Raises
    ``UnknownTimeZone`` when it is none of these."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        raise UnknownTimeZone(text)
    if cleaned.lower() in {"utc", "gmt", "z", "utc+0", "utc-0"}:
        return ZoneReading(key="UTC")
    if m := _OFFSET.match(cleaned):
        return ZoneReading(key=_fixed_key(m.group(1), int(m.group(2)), int(m.group(3) or 0), text))
    common = " ".join(fold_name(cleaned).split())
    if common in _ABBREVIATIONS:
        return ZoneReading(key=_ABBREVIATIONS[common])
    full, cities = _zone_index()
    folded = _fold(cleaned)
    if key := full.get(folded) or cities.get(folded):
        return ZoneReading(key=key)
    found = _same_clocks_together(places.candidates(cleaned))
    if not found:
        raise UnknownTimeZone(text)
    options = tuple(ZoneOption(key=p.zone, label=p.label) for p in found[:MAX_OPTIONS])
    if len(found) == 1 or found[0].population >= CLEAR_LEAD * found[1].population:
        return ZoneReading(key=found[0].zone, options=options, place=found[0].label)
    return ZoneReading(key=None, options=options)


def _same_clocks_together(found: list[places.Place]) -> list[places.Place]:
    """Places whose zones keep the same clock all year (America/New_York and
    America/Kentucky/Louisville) as one reading: the most populous place, with the people of
    all of them. Nobody is asked to choose between two names for the same time."""
    year = datetime.now(UTC).year
    groups: dict[tuple[timedelta, timedelta], list[places.Place]] = {}
    for place in found:
        clock = tuple(utc_offset(place.zone, datetime(year, m, 15, tzinfo=UTC)) for m in (1, 7))
        groups.setdefault((clock[0], clock[1]), []).append(place)
    merged = [
        replace(group[0], population=sum(p.population for p in group)) for group in groups.values()
    ]
    return sorted(merged, key=lambda p: (-p.population, p.label))


def parse_timezone(text: str) -> str:
    """Return the zone key for ``text``; raises ``UnknownTimeZone`` when it is not one, and
    ``AmbiguousTimeZone`` (with the options) when the member should choose."""
    reading = read_timezone(text)
    if reading.key is None:
        raise AmbiguousTimeZone(text, reading.options)
    return reading.key


def pick_timezone(text: str) -> tuple[str, str]:
    """For a filter, where nobody is asked: the zone, the most populous reading when several
    are close, and a note saying which was picked (empty when the text was a zone already)."""
    reading = read_timezone(text)
    key = reading.key or reading.options[0].key
    if reading.key is None:
        others = ", ".join(o.label for o in reading.options[1:3])
        note = f"`{text.strip()[:40]}` read as {key} ({reading.options[0].label}; also {others})"
    elif key.lower() == text.strip().lower() or key.startswith("UTC"):
        note = ""
    else:
        where = f" ({reading.place})" if reading.place else ""
        note = f"`{text.strip()[:40]}` read as {key}{where}"
    return key, note


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
