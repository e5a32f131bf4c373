"""City resolution (exact, alternate, ambiguous, narrowed, unknown) and distances."""

from __future__ import annotations

import pytest

from mentormap.domain.geo import bounding_box, fold, haversine_km
from mentormap.errors import NotFound
from mentormap.services.travel.cities import city_index, resolve_city, try_resolve_city


def test_haversine_london_paris() -> None:
    assert haversine_km(51.5072, -0.1276, 48.8566, 2.3522) == pytest.approx(344, abs=2)
    assert haversine_km(10, 20, 10, 20) == 0


def test_bounding_box_contains_the_circle() -> None:
    lo_lat, hi_lat, lo_lon, hi_lon = bounding_box(51.5, -0.1, 50)
    assert lo_lat < 51.5 - 0.44 and hi_lat > 51.5 + 0.44
    # 50 km east of London is about 0.72 degrees of longitude.
    assert lo_lon < -0.1 - 0.7 and hi_lon > -0.1 + 0.7
    assert bounding_box(89.9, 0, 50)[2:] == (-180.0, 180.0)


def test_fold_ignores_case_accents_and_dots() -> None:
    assert fold("  São   Paulo ") == "sao paulo"
    assert fold("St. Louis") == "st louis"


def test_index_is_built_once_per_process() -> None:
    assert city_index() is city_index()
    assert city_index.cache_info().currsize == 1


def test_exact_name() -> None:
    match = resolve_city("Sydney")
    assert (match.city.name, match.city.country_code) == ("Sydney", "AU")
    assert match.city.timezone == "Australia/Sydney"
    assert not match.via_alternate_name


def test_ambiguous_name_picks_most_populous_and_names_the_others() -> None:
    match = resolve_city("cambridge")
    assert match.city.country_code == "GB"
    labels = [c.label for c in match.others]
    assert "Cambridge, MA" in labels
    assert "Cambridge, Canada" in labels


@pytest.mark.parametrize(
    "text, country, region",
    [
        ("Cambridge, US", "US", "MA"),
        ("Cambridge, MA", "US", "MA"),
        ("Cambridge, Massachusetts", "US", "MA"),
        ("Cambridge, USA", "US", "MA"),
        ("Cambridge, UK", "GB", "ENG"),
        ("Cambridge, England", "GB", "ENG"),
        ("Cambridge, Canada", "CA", "08"),
        ("London, CA", "CA", "08"),
    ],
)
def test_country_or_region_narrows(text: str, country: str, region: str) -> None:
    match = resolve_city(text)
    assert (match.city.country_code, match.city.region_code) == (country, region)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Bangalore", "Bengaluru"),
        ("Koeln", "Köln"),
        ("Sao Paulo", "São Paulo"),
        ("BOMBAY", "Mumbai"),
    ],
)
def test_alternate_spellings(text: str, name: str) -> None:
    match = resolve_city(text)
    assert match.city.name == name
    assert text.lower() == "sao paulo" or match.via_alternate_name


def test_unknown_city_suggests_close_names() -> None:
    with pytest.raises(NotFound) as caught:
        resolve_city("Cambrige")
    message = str(caught.value)
    assert "No city called 'Cambrige'" in message
    assert "Did you mean: Cambridge, United Kingdom" in message


def test_unknown_area_is_a_clear_error() -> None:
    with pytest.raises(NotFound, match="Unknown country or region 'Narnia'"):
        resolve_city("Cambridge, Narnia")
    with pytest.raises(NotFound, match="Name a city"):
        resolve_city("  ")


def test_try_resolve_never_raises() -> None:
    assert try_resolve_city("Nowhere-on-earth-xyz") is None
    assert try_resolve_city(None) is None
    place = try_resolve_city("Cambridge", "United States")
    assert place is not None and place.region_code == "MA"


def test_suggestions_favour_well_known_places() -> None:
    with pytest.raises(NotFound, match=r"Did you mean: Sydney, Australia; Sidney, OH"):
        resolve_city("Sidny")
