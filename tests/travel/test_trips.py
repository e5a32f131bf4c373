"""Trips: adding (own and visits), listing, the radius search and the plan's order."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Person, Trip
from mentormap.services.context import Ctx
from mentormap.services.people.people import add_person, edit_person
from mentormap.services.travel.trips import (
    add_trip,
    list_trips,
    people_near,
    plan_trip,
    upcoming_visits,
)
from tests.conftest import CliInvoke
from tests.health.helpers import ago, someone, talk

SYDNEY = (-33.8688, 151.2093)


def placed(ctx: Ctx, name: str, lat: float, lon: float, *roles: str) -> Person:
    person = someone(ctx, name, *roles)
    person.latitude, person.longitude, person.city = lat, lon, "somewhere"
    ctx.session.flush()
    return person


def trips_count(ctx: Ctx) -> int:
    return ctx.session.scalar(select(func.count()).select_from(Trip)) or 0


def test_add_trip_resolves_the_city(ctx: Ctx) -> None:
    added = add_trip(ctx, "Cambridge", date(2026, 12, 3), date(2026, 12, 5))
    trip = added.trip
    assert (trip.city, trip.country, trip.timezone) == (
        "Cambridge",
        "United Kingdom",
        "Europe/London",
    )
    assert "Cambridge, MA" in added.others
    exact = add_trip(ctx, "Cambridge, MA", date(2026, 12, 3), date(2026, 12, 5))
    assert (exact.trip.region, exact.others) == ("Massachusetts", [])


def test_a_visit_is_stored_with_the_visitor(ctx: Ctx) -> None:
    chiara = someone(ctx, "Chiara", "champion")
    added = add_trip(ctx, "London", date(2026, 11, 28), date(2026, 11, 30), person=chiara)
    row = ctx.session.get(Trip, added.trip.id)
    assert row is not None and row.person_id == chiara.id and row.city == "London"
    assert added.trip.visitor == "Chiara"


def test_upcoming_visits_for_the_agenda(ctx: Ctx) -> None:
    chiara = someone(ctx, "Chiara", "champion")
    add_trip(ctx, "London", date(2026, 11, 28), date(2026, 11, 30), person=chiara)
    add_trip(ctx, "London", date(2027, 2, 1), date(2027, 2, 2), person=chiara)  # too far off
    add_trip(ctx, "Sydney", date(2026, 11, 26), date(2026, 11, 30))  # mine, not a visit
    assert [(v.visitor, v.start_on) for v in upcoming_visits(ctx)] == [
        ("Chiara", date(2026, 11, 28))
    ]


def test_bad_trips_are_refused(ctx: Ctx) -> None:
    with pytest.raises(InvalidInput, match="ends"):
        add_trip(ctx, "Sydney", date(2026, 12, 10), date(2026, 12, 3))
    with pytest.raises(NotFound, match="Did you mean"):
        add_trip(ctx, "Sydny Harbourr", date(2026, 12, 3), date(2026, 12, 4))
    assert trips_count(ctx) == 0


def test_list_hides_past_trips_unless_asked(ctx: Ctx) -> None:
    add_trip(ctx, "Berlin", ago(30), ago(25))
    add_trip(ctx, "Tokyo", date(2027, 1, 5), date(2027, 1, 9))
    assert [t.city for t in list_trips(ctx)] == ["Tokyo"]
    assert [t.city for t in list_trips(ctx, include_past=True)] == ["Berlin", "Tokyo"]


def test_radius_search(ctx: Ctx) -> None:
    placed(ctx, "Centre", *SYDNEY)
    placed(ctx, "Parramatta", -33.8150, 151.0011)  # about 20 km west
    placed(ctx, "Wollongong", -34.4278, 150.8931)  # about 68 km south
    placed(ctx, "Melbourne", -37.8136, 144.9631)
    placed(ctx, "Auckland", -36.8485, 174.7633)
    near = people_near(ctx, *SYDNEY, 50)
    assert [p.name for p, _d in near] == ["Centre", "Parramatta"]
    assert near[1][1] == pytest.approx(20, abs=2)
    assert [p.name for p, _d in people_near(ctx, *SYDNEY, 100)][-1] == "Wollongong"
    assert len(people_near(ctx, *SYDNEY, 2000)) == 4  # Auckland is some 2,150 km away


def test_radius_search_across_the_date_line(ctx: Ctx) -> None:
    placed(ctx, "East of the line", -17.0, 179.9)
    placed(ctx, "West of the line", -17.0, -179.9)
    near = people_near(ctx, -17.0, 179.95, 50)
    assert {p.name for p, _d in near} == {"East of the line", "West of the line"}


def test_people_with_only_a_city_are_placed(ctx: Ctx) -> None:
    person = someone(ctx, "Cityonly")
    ctx.session.flush()
    person.city = "Sydney"  # set directly: no coordinates stored
    ctx.session.flush()
    assert [p.name for p, _d in people_near(ctx, *SYDNEY, 50)] == ["Cityonly"]


def test_archived_people_are_left_out(ctx: Ctx) -> None:
    gone = placed(ctx, "Gone", *SYDNEY)
    gone.archived = True
    ctx.session.flush()
    assert people_near(ctx, *SYDNEY, 50) == []


def test_plan_orders_due_ties_then_roles(ctx: Ctx) -> None:
    add_trip(ctx, "Sydney", date(2026, 12, 3), date(2026, 12, 10))
    warm_friend = placed(ctx, "Warm Friend", *SYDNEY, "friend")
    due_contact = placed(ctx, "Due Contact", *SYDNEY, "contact")
    due_model = placed(ctx, "Due Model", *SYDNEY, "role_model")
    placed(ctx, "Far Away", 51.5, -0.12, "friend")
    due_model.preferred_format = "video call"
    talk(ctx, [warm_friend], 3)
    talk(ctx, [due_contact], 200, kind="lunch")
    talk(ctx, [due_model], 40, kind="video")
    plan = plan_trip(ctx)
    assert [p.name for p in plan.people] == ["Due Model", "Due Contact", "Warm Friend"]
    first = plan.people[0]
    assert (first.warmth, first.preferred_format) == ("cooling", "video call")
    assert first.propose.startswith("coffee")
    assert plan.people[2].propose == "dinner or a walk"


def test_plan_picks_trips_by_id_or_city_and_refuses_visits(ctx: Ctx) -> None:
    with pytest.raises(NotFound, match="No upcoming trip"):
        plan_trip(ctx)
    mine = add_trip(ctx, "Berlin", date(2026, 12, 3), date(2026, 12, 4)).trip
    chiara = someone(ctx, "Chiara", "champion")
    visit = add_trip(ctx, "London", date(2026, 12, 1), date(2026, 12, 2), person=chiara).trip
    assert plan_trip(ctx, "berlin").trip.id == mine.id
    assert plan_trip(ctx, f"#{mine.id}").trip.id == mine.id
    with pytest.raises(InvalidInput, match="visit"):
        plan_trip(ctx, str(visit.id))
    with pytest.raises(NotFound):
        plan_trip(ctx, "Lisbon")
    with pytest.raises(InvalidInput, match="radius"):
        plan_trip(ctx, None, 0)


def test_adding_a_person_with_a_city_places_her(ctx: Ctx) -> None:
    person = add_person(ctx, "Priya", city="Sydney")
    assert person.latitude == pytest.approx(-33.87, abs=0.05)
    assert person.timezone == "Australia/Sydney"
    edit_person(ctx, person, city="Cambridge", country="United States")
    assert person.timezone == "America/New_York"
    given = add_person(ctx, "Given", city="Sydney", latitude=1.0, longitude=2.0, timezone="UTC")
    assert (given.latitude, given.timezone) == (1.0, "UTC")
    unknown = add_person(ctx, "Nowhere", city="Qwxzplace")
    assert unknown.latitude is None


# --- through the CLI ----------------------------------------------------------------------------


def test_cli_trip_add_list_plan(demo_cli: CliInvoke) -> None:
    added = demo_cli("trip", "add", "Cambridge", "--from", "2026-12-12", "--to", "2026-12-13")
    assert added.exit_code == 0, added.output
    assert "Trip to Cambridge" in added.stdout and "Cambridge, MA" in added.stdout
    listed = json.loads(demo_cli("trip", "list", "--json").stdout)
    assert [t["city"] for t in listed] == ["London", "Sydney", "Cambridge"]
    assert listed[0]["visitor"] == "Chiara Bellini"
    plan = demo_cli("trip", "plan", "Cambridge", "--radius", "80")
    assert plan.exit_code == 0, plan.output
    assert "Ines Moreau" in plan.stdout  # her peer lives in Cambridge
    assert "London" in demo_cli("trip", "plan", "Cambridge", "--radius", "80", "--json").stdout
    sydney = json.loads(demo_cli("trip", "plan", "--json").stdout)
    assert sydney["trip"]["city"] == "Sydney" and sydney["radius_km"] == 50
    assert "Priya Raman" in [p["name"] for p in sydney["people"]]


def test_cli_visit_by_a_contact(demo_cli: CliInvoke) -> None:
    result = demo_cli(
        "trip", "add", "London", "--person", "Priya", "--from", "2026-12-20", "--to", "2026-12-22"
    )
    assert result.exit_code == 0, result.output
    assert "Priya Raman visits London" in result.stdout


def test_cli_trip_errors_write_nothing(cli: CliInvoke) -> None:
    before = cli("trip", "list", "--json").stdout
    for args in (
        ("trip", "add", "Qwxzplace", "--from", "2026-12-01", "--to", "2026-12-02"),
        ("trip", "add", "Sydney", "--from", "2026-12-05", "--to", "2026-12-02"),
        ("trip", "add", "Sydney", "--from", "someday", "--to", "2026-12-02"),
        ("trip", "add", "Sydney", "--from", "", "--to", "2026-12-02"),
        ("trip", "plan", "--radius", "-3"),
        (
            "trip",
            "add",
            "Sydney",
            "--person",
            "Nobody",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-02",
        ),
        ("trip", "plan"),
    ):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert cli("trip", "list", "--json").stdout == before == "[]\n"


def test_meeting_times_use_her_hours_and_zone(ctx: Ctx) -> None:
    from mentormap.services.travel.meeting_times import meeting_times

    ny = add_person(ctx, "Noor", city="New York", work_hours="10:00-18:00")
    times = meeting_times(ctx, ny, days=7)
    assert (times.their_zone, times.their_hours, times.outside_hours) == (
        "America/New_York",
        "10:00-18:00",
        False,
    )
    assert times.windows
    for window in times.windows:
        assert window.theirs_start.strftime("%H:%M") >= "10:00"
        assert window.mine_end.strftime("%H:%M") <= "17:30"
        assert window.mine_start.tzinfo is not None
    with pytest.raises(InvalidInput):
        meeting_times(ctx, ny, days=0)
