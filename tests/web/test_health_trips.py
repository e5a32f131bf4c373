"""The health report with its charts, and trips: adding them and whom to see there."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import Trip
from tests.web.conftest import post
from tests.web.test_forms import count, field_error


def test_health_page_has_scores_findings_and_both_charts(demo_client: TestClient) -> None:
    page = demo_client.get("/health")
    assert page.status_code == 200
    text = page.text
    assert "Network health" in text and "/ 100" in text
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # the two charts
    assert 'aria-label="Orbit map of your network"' in text
    assert "What to do" in text
    assert '<a href="/health" aria-current="page">' in text


def test_health_page_on_an_empty_network(client: TestClient) -> None:
    page = client.get("/health")
    assert page.status_code == 200
    assert "0 people with a role" in page.text


def test_health_chart_names_are_escaped(demo_client: TestClient) -> None:
    post(demo_client, "/people/new", {"name": "<b>Bold</b> Friend", "role": "friend"})
    text = demo_client.get("/health").text
    assert "<b>Bold</b>" not in text
    assert "&lt;b&gt;Bold&lt;/b&gt; Friend" in text


def test_trips_list_and_plan(demo_client: TestClient) -> None:
    page = demo_client.get("/trips")
    assert page.status_code == 200
    trip_id = re.search(r'href="/trips/(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    plan = demo_client.get(f"/trips/{trip_id}")
    assert plan.status_code == 200
    assert "Whom to see there" in plan.text
    assert "Priya Raman" in plan.text  # she lives in Sydney, where the demo trip goes
    far = demo_client.get(f"/trips/{trip_id}?radius=9999")
    assert far.status_code == 400
    assert "radius" in far.text
    assert demo_client.get("/trips/9999").status_code == 404


def test_add_my_trip_then_see_whom_to_meet(demo_client: TestClient) -> None:
    added = post(
        demo_client,
        "/trips",
        {"city": "London", "start": "2026-12-03", "end": "2026-12-05", "note": "offsite"},
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get(added.headers["location"]).text  # type: ignore[attr-defined]
    assert "Added the trip to London" in page
    assert "Dana Whitfield" in page  # a London sponsor


def test_add_a_contacts_visit(demo_client: TestClient) -> None:
    added = post(
        demo_client,
        "/trips",
        {"city": "London", "start": "2026-11-27", "end": "2026-11-28", "visitor": "Priya Raman"},
    )
    assert added.headers["location"] == "/trips"  # type: ignore[attr-defined]
    assert "Priya Raman visits London" in demo_client.get("/trips").text


def test_trip_form_validation(demo_client: TestClient, db: Database) -> None:
    before = count(db, Trip)
    bad = post(demo_client, "/trips", {"city": "", "start": "soon", "end": ""})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    html = bad.text  # type: ignore[attr-defined]
    assert "Name the city" in field_error(html, "city")
    assert "not a date" in field_error(html, "start")
    assert "Give the last day" in field_error(html, "end")
    backwards = post(
        demo_client, "/trips", {"city": "Paris", "start": "2027-01-05", "end": "2027-01-01"}
    )
    assert "comes before" in field_error(backwards.text, "end")  # type: ignore[attr-defined]
    nowhere = post(
        demo_client, "/trips", {"city": "Qwxzzyville", "start": "2027-01-01", "end": "2027-01-02"}
    )
    assert field_error(nowhere.text, "city")  # type: ignore[attr-defined]
    stranger = post(
        demo_client,
        "/trips",
        {"city": "Paris", "start": "2027-01-01", "end": "2027-01-02", "visitor": "Nobody Known"},
    )
    assert "No one called" in field_error(stranger.text, "visitor")  # type: ignore[attr-defined]
    assert count(db, Trip) == before
