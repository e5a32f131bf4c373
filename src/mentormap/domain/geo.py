"""Places: great-circle distance and an in-memory city index with forgiving lookup.

Pure code: the index is built from plain records handed in by `services/cities.py`, which reads
the geonames data once per process.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from mentormap.errors import NotFound

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: a cheap SQL pre-filter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    if cos_lat < 1e-6 or abs(lat) + dlat >= 90:
        return lat - dlat, lat + dlat, -180.0, 180.0
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def fold(text: str) -> str:
    """Lower-case, accents off, spaces squeezed: 'São  Paulo' and 'sao paulo' match."""
    if text.isascii():
        return " ".join(text.lower().replace(".", " ").split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace(".", " ").split())


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    country: str
    region_code: str  # admin1 code: "MA" in the US, "ENG" in Great Britain
    region: str | None  # a readable region name where one is known (US states)
    latitude: float
    longitude: float
    timezone: str
    population: int

    @property
    def label(self) -> str:
        area = self.region_code if self.country_code == "US" else self.country
        return f"{self.name}, {area}"


@dataclass(frozen=True)
class CityMatch:
    city: City
    # Other cities with the same name, most populous first: shown so the user can be precise.
    others: tuple[City, ...] = ()
    via_alternate_name: bool = False


@dataclass
class CityIndex:
    """Cities by folded name and by folded alternate name; area aliases for 'Cambridge, MA'."""

    by_name: dict[str, list[City]] = field(default_factory=lambda: defaultdict(list))
    by_alternate: dict[str, list[City]] = field(default_factory=lambda: defaultdict(list))
    # Folded area words ("us", "usa", "united states", "ma", "massachusetts", "england")
    # → set of (country_code, region_code or "") they stand for.
    areas: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))

    def add(self, city: City, alternate_names: Iterable[str]) -> None:
        key = fold(city.name)
        self.by_name[key].append(city)
        for alt in set(map(fold, alternate_names)) - {key}:
            if alt:
                self.by_alternate[alt].append(city)

    def add_area(self, alias: str, country_code: str, region_code: str = "") -> None:
        self.areas[fold(alias)].add((country_code, region_code))

    def finish(self) -> None:
        """Sort every bucket most populous first, once, after loading."""
        for buckets in (self.by_name, self.by_alternate):
            for cities in buckets.values():
                cities.sort(key=lambda c: -c.population)

    def resolve(self, text: str) -> CityMatch:
        """Exact names first, then alternate names; 'Name, AREA' narrows by country or region.

        An ambiguous name picks the most populous city and lists the others; an unknown one
        raises NotFound with close names to try.
        """
        raw = text.strip()
        if not raw:
            raise NotFound("Name a city, e.g. 'Sydney' or 'Cambridge, MA'.")
        name_part, _, area_part = raw.partition(",")
        name = fold(name_part)
        area = fold(area_part)
        wanted: set[tuple[str, str]] | None = None
        if area:
            wanted = self.areas.get(area)
            if not wanted:
                raise NotFound(
                    f"Unknown country or region {area_part.strip()!r} in {raw!r}; "
                    "try a country name or code (US, GB) or a US state (MA)."
                )
        for bucket, via_alt in ((self.by_name, False), (self.by_alternate, True)):
            found = list(bucket.get(name, ()))
            if wanted is not None:
                found = [c for c in found if _in_area(c, wanted)]
            if found:
                return CityMatch(city=found[0], others=tuple(found[1:]), via_alternate_name=via_alt)
        hint = self.suggest(name_part)
        where = f" in {area_part.strip()}" if area else ""
        raise NotFound(
            f"No city called {name_part.strip()!r}{where}."
            + (f" Did you mean: {'; '.join(hint)}?" if hint else "")
        )

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        query = fold(text)
        if not query:
            return []
        found = process.extract(
            query, list(self.by_name.keys()), scorer=fuzz.ratio, limit=8, score_cutoff=70
        )
        # Closeness of spelling, nudged by size: 'Sidny' means Sydney more often than
        # Sidney, Ohio, while 'Cambrige' stays Cambridge rather than a bigger near-miss.
        scored = [
            (score + 10 * math.log10(max(self.by_name[key][0].population, 10)), key)
            for key, score, _index in found
        ]
        scored.sort(reverse=True)
        return [self.by_name[key][0].label for _weight, key in scored[:limit]]


def _in_area(city: City, wanted: set[tuple[str, str]]) -> bool:
    return any(
        city.country_code == country and (not region or city.region_code == region)
        for country, region in wanted
    )
