"""Forms: CSRF, validation next to the field, post/redirect/get, and nothing half-written."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.models import Interaction, Person
from mentormap.services.unit import open_ctx
from tests.web.conftest import post, token


def count(db: Database, model: Any) -> int:
    with open_ctx(db) as ctx:
        return ctx.session.scalar(select(func.count()).select_from(model)) or 0


def edit_values(client: TestClient, person_id: int, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it, with some fields changed."""
    page = client.get(f"/people/{person_id}/edit").text
    values = dict(re.findall(r'name="(\w+)" type="[a-z]+" value="([^"]*)"', page))
    for name, body in re.findall(r'name="(\w+)" rows="\d+"[^>]*>([^<]*)</textarea>', page):
        values[name] = body
    values.pop("csrf_token", None)
    return {**values, **changes}


def field_error(html: str, name: str) -> str:
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    assert found, f"no error next to {name}"
    return found.group(1)


# --- CSRF -------------------------------------------------------------------------------------


def test_post_without_token_is_refused_and_writes_nothing(
    demo_client: TestClient, db: Database
) -> None:
    before = count(db, Interaction)
    response = demo_client.post("/people/1/log", data={"kind": "call", "on": "2026-11-24"})
    assert response.status_code == 403
    assert "expired" in response.text
    assert count(db, Interaction) == before


def test_token_from_another_browser_or_process_is_refused(
    demo_client: TestClient, app: Any, db: Database
) -> None:
    before = count(db, Interaction)
    forged = "0" * 64
    response = demo_client.post("/people/1/log", data={"kind": "call", "csrf_token": forged})
    assert response.status_code == 403
    good = token(demo_client)
    demo_client.cookies.clear()  # same token, but a browser without the matching cookie
    response = demo_client.post("/people/1/log", data={"kind": "call", "csrf_token": good})
    assert response.status_code == 403
    assert count(db, Interaction) == before


def test_every_form_carries_a_token(demo_client: TestClient) -> None:
    for url in ("/people/1", "/people/1/edit", "/people/new", "/log", "/groups", "/groups/1"):
        page = demo_client.get(url).text
        forms = page.count('method="post"')
        assert forms and page.count('name="csrf_token"') == forms, url


def post_routes(app: Any) -> list[str]:
    """Every POST path of the app, with sample values for its parameters."""
    samples = {"key": "role_model"}
    found = []

    def walk(routes: list[Any]) -> Any:
        for route in routes:  # included routers are wrapped; look inside them
            inner = getattr(route, "original_router", None)
            yield from walk(inner.routes) if inner is not None else [route]

    for route in walk(app.routes):
        if "POST" in (getattr(route, "methods", None) or set()):
            found.append(
                re.sub(r"\{(\w+)(:\w+)?\}", lambda m: samples.get(m.group(1), "1"), route.path)
            )
    return found


def test_every_post_route_checks_the_token(demo_client: TestClient, app: Any) -> None:
    routes = post_routes(app)
    assert len(routes) >= 11
    for url in routes:
        # The JSON API never reads a cookie, only a bearer token: no CSRF token, but no entry.
        expected = 401 if url.startswith("/api/") else 403
        assert demo_client.post(url, data={}).status_code == expected, url


# --- onboarding -------------------------------------------------------------------------------


def test_demo_needs_confirmation_then_loads(client: TestClient, db: Database) -> None:
    refused = post(client, "/welcome/demo", {}, form_page="/welcome")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "Tick the box" in field_error(refused.text, "confirm")  # type: ignore[attr-defined]
    assert count(db, Person) == 0
    loaded = post(client, "/welcome/demo", {"confirm": "on"}, form_page="/welcome")
    assert loaded.status_code == 303  # type: ignore[attr-defined]
    assert loaded.headers["location"] == "/today"  # type: ignore[attr-defined]
    assert count(db, Person) >= 60
    page = client.get("/today")
    assert "Demo network loaded" in page.text  # the one-time message after the redirect
    assert "Demo network loaded" not in client.get("/people").text


def test_demo_refuses_a_database_with_people(demo_client: TestClient, db: Database) -> None:
    before = count(db, Person)
    response = demo_client.post(
        "/welcome/demo",
        data={"confirm": "on", "csrf_token": token(demo_client)},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "already holds" in field_error(response.text, "confirm")
    assert count(db, Person) == before


# --- logging from the person page -------------------------------------------------------------


def test_log_a_conversation_then_see_it_on_the_timeline(demo_client: TestClient) -> None:
    response = post(
        demo_client,
        "/people/11/log",
        {"kind": "lunch", "on": "today", "direction": "mutual", "notes": "Asked about **Staff**"},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/people/11#timeline"  # type: ignore[attr-defined]
    page = demo_client.get("/people/11").text
    assert "Logged a lunch with Grace Liu." in page
    assert "Asked about <strong>Staff</strong>" in page
    assert "today (25 Nov 2026)" in page
    assert 'class="warmth warmth-warm"' in page


def test_bad_log_input_is_shown_next_to_each_field(demo_client: TestClient, db: Database) -> None:
    before = count(db, Interaction)
    response = post(
        demo_client,
        "/people/11/log",
        {"kind": "telegram", "on": "next tuesday", "direction": "sideways"},
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert "Unknown kind &#39;telegram&#39;" in field_error(html, "kind")
    assert "is not a date" in field_error(html, "on")
    assert "Unknown direction" in field_error(html, "direction")
    assert 'value="next tuesday"' in html  # what she typed stays in the form
    assert count(db, Interaction) == before


def test_future_dates_and_misplaced_reply_flags_are_refused(
    demo_client: TestClient, db: Database
) -> None:
    before = count(db, Interaction)
    future = post(demo_client, "/people/11/log", {"kind": "call", "on": "2026-12-01"})
    assert "still to come" in field_error(future.text, "on")  # type: ignore[attr-defined]
    reply = post(
        demo_client,
        "/people/11/log",
        {"kind": "message", "direction": "outbound", "needs_reply": "on"},
    )
    assert "Only an inbound" in field_error(reply.text, "needs_reply")  # type: ignore[attr-defined]
    assert count(db, Interaction) == before


def test_notes_render_sanitised(demo_client: TestClient) -> None:
    note = (
        "Fine *talk*.\n\n<script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)"> [click](javascript:alert(2))\n\n'
        '<a href="https://example.org" onclick="steal()">site</a>'
    )
    post(demo_client, "/people/11/log", {"kind": "call", "on": "today", "notes": note})
    html = demo_client.get("/people/11").text

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.scripts: list[str] = []
            self.handlers: list[tuple[str, str]] = []
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
                self.scripts.append(tag)
            for name, value in attrs:
                if name.startswith("on"):
                    self.handlers.append((tag, name))
                if name == "href" and value:
                    self.hrefs.append(value)

    parsed = Collect()
    parsed.feed(html)
    assert parsed.scripts == []
    assert parsed.handlers == []
    assert not [h for h in parsed.hrefs if h.lower().startswith("javascript:")]
    assert "<em>talk</em>" in html
    assert 'href="https://example.org"' in html


# --- people forms -----------------------------------------------------------------------------


def test_add_a_person(demo_client: TestClient) -> None:
    response = post(
        demo_client,
        "/people/new",
        {"name": "Lena Ortiz", "role": "champion", "city": "Lisbon", "email": "lena@ortiz.example"},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "Added Lena Ortiz." in page
    assert "Champion" in page and "lena@ortiz.example" in page


def test_add_a_person_validates(demo_client: TestClient, db: Database) -> None:
    before = count(db, Person)
    response = post(
        demo_client, "/people/new", {"name": " ", "email": "not-an-email", "role": "boss"}
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert "needs a name" in field_error(html, "name")
    assert "is not an email address" in field_error(html, "email")
    assert "Unknown role" in field_error(html, "role")
    assert count(db, Person) == before


def test_edit_a_person(demo_client: TestClient) -> None:
    values = edit_values(
        demo_client,
        1,
        city="Lisbon",
        cadence="3w",
        tags="staff-track, speaking",
        preferred_format="walk",
        timezone="Europe/Lisbon",
    )
    response = post(demo_client, "/people/1/edit", values)
    assert response.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get("/people/1").text
    assert "Saved Priya Raman." in page
    assert "Lisbon" in page and "every 21 days" in page and "walk" in page
    assert ">speaking<" in page and ">staff-track<" in page
    # Removing a tag from the list removes it from her.
    post(demo_client, "/people/1/edit", edit_values(demo_client, 1, tags="speaking"))
    assert ">staff-track<" not in demo_client.get("/people/1").text


def test_edit_validates_each_field(demo_client: TestClient) -> None:
    values = edit_values(
        demo_client,
        1,
        name="",
        timezone="Mars/Olympus",
        work_hours="9 to 5",
        cadence="often",
        met_on="someday",
        email="nope",
        tags="bad tag!",
    )
    response = post(demo_client, "/people/1/edit", values)
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert "needs a name" in field_error(html, "name")
    assert "Unknown time zone" in field_error(html, "timezone")
    assert "09:00-17:30" in field_error(html, "work_hours")
    assert "not a duration" in field_error(html, "cadence")
    assert "not a date" in field_error(html, "met_on")
    assert "not an email" in field_error(html, "email")
    assert "<h1>Priya Raman" in demo_client.get("/people/1").text


def test_bad_tag_rolls_the_whole_edit_back(demo_client: TestClient) -> None:
    response = post(
        demo_client, "/people/1/edit", edit_values(demo_client, 1, city="Oslo", tags="a b!")
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert field_error(response.text, "tags")  # type: ignore[attr-defined]
    assert "Oslo" not in demo_client.get("/people/1").text


def test_give_and_end_a_role(demo_client: TestClient) -> None:
    given = post(
        demo_client, "/people/1/roles", {"role": "champion", "cadence": "6w", "note": "talks"}
    )
    assert given.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get("/people/1").text
    assert "Priya Raman is now your champion." in page
    assert "every 42 days" in page and "talks" in page
    ended = post(demo_client, "/people/1/roles/champion/end", {})
    assert ended.status_code == 303  # type: ignore[attr-defined]
    assert "Earlier: Champion until" in demo_client.get("/people/1").text


def test_role_form_errors(demo_client: TestClient) -> None:
    missing = post(demo_client, "/people/1/roles", {"role": "", "cadence": "soon"})
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "Choose a role" in field_error(missing.text, "role")  # type: ignore[attr-defined]
    assert "not a duration" in field_error(missing.text, "cadence")  # type: ignore[attr-defined]
    ended = post(demo_client, "/people/1/roles/coach/end", {})
    assert ended.status_code == 404  # type: ignore[attr-defined]
    assert "not your coach" in ended.text  # type: ignore[attr-defined]


def test_archive_and_restore(demo_client: TestClient) -> None:
    post(demo_client, "/people/1/archive", {})
    assert "Archived Priya Raman." in demo_client.get("/people/1").text
    assert "Priya Raman" not in demo_client.get("/people?q=priya").text
    assert "(archived)" in demo_client.get("/people/1").text
    post(demo_client, "/people/1/archive", {"undo": "1"})
    assert "Restored Priya Raman." in demo_client.get("/people/1").text
    assert "Priya Raman" in demo_client.get("/people?q=priya").text


# --- quick log --------------------------------------------------------------------------------


def test_quick_log_one_person_goes_to_her_page(demo_client: TestClient) -> None:
    response = post(demo_client, "/log", {"who": "Grace Liu", "kind": "coffee", "on": "today"})
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/people/11"  # type: ignore[attr-defined]


def test_quick_log_several_people_and_a_group(demo_client: TestClient, db: Database) -> None:
    before = count(db, Interaction)
    several = post(demo_client, "/log", {"who": "Grace Liu, Priya", "kind": "walk"})
    assert several.headers["location"] == "/log"  # type: ignore[attr-defined]
    assert "with Grace Liu, Priya Raman" in demo_client.get("/log").text
    group = post(demo_client, "/log", {"who": "", "group": "Leadership circle", "kind": "call"})
    assert group.status_code == 303  # type: ignore[attr-defined]
    assert "group session with Leadership circle" in demo_client.get("/log").text
    assert count(db, Interaction) == before + 2


def test_quick_log_names_problems_next_to_the_name(demo_client: TestClient, db: Database) -> None:
    before = count(db, Interaction)
    unknown = post(demo_client, "/log", {"who": "Pria Raman", "kind": "call"})
    assert unknown.status_code == 400  # type: ignore[attr-defined]
    assert "Did you mean: Priya Raman" in field_error(unknown.text, "who")  # type: ignore[attr-defined]
    ambiguous = post(demo_client, "/log", {"who": "Gallagher", "kind": "call"})
    assert "matches" in field_error(ambiguous.text, "who")  # type: ignore[attr-defined]
    empty = post(demo_client, "/log", {"who": "", "kind": "call"})
    assert "Name at least one person" in field_error(empty.text, "who")  # type: ignore[attr-defined]
    bad_group = post(demo_client, "/log", {"group": "Knitting club", "kind": "call"})
    assert "No group" in field_error(bad_group.text, "group")  # type: ignore[attr-defined]
    assert count(db, Interaction) == before


# --- groups -----------------------------------------------------------------------------------


def test_create_a_group_and_manage_members(demo_client: TestClient) -> None:
    created = post(
        demo_client, "/groups", {"name": "Staff circle", "cadence": "6w", "minutes": "90"}
    )
    assert created.status_code == 303  # type: ignore[attr-defined]
    url = created.headers["location"]  # type: ignore[attr-defined]
    page = demo_client.get(url).text
    assert "Created Staff circle." in page and "every 42 days for 90 minutes" in page
    added = post(demo_client, f"{url}/members", {"who": "Priya Raman"})
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get(url).text
    assert "Added Priya Raman to Staff circle." in page
    assert 'href="/people/1"' in page
    removed = post(demo_client, f"{url}/members/1/remove", {})
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert "Priya Raman has left Staff circle." in demo_client.get(url).text


def test_group_forms_validate(demo_client: TestClient) -> None:
    duplicate = post(demo_client, "/groups", {"name": "Leadership circle", "minutes": "60"})
    assert "already exists" in field_error(duplicate.text, "name")  # type: ignore[attr-defined]
    bad = post(demo_client, "/groups", {"name": "", "cadence": "x", "minutes": "3"})
    html = bad.text  # type: ignore[attr-defined]
    assert "needs a name" in field_error(html, "name")
    assert "not a duration" in field_error(html, "cadence")
    assert "between 5 and 600" in field_error(html, "minutes")
    member = post(demo_client, "/groups/1/members", {"who": "Nobody Atall"})
    assert member.status_code == 400  # type: ignore[attr-defined]
    assert "No one called" in field_error(member.text, "who")  # type: ignore[attr-defined]
    again = post(demo_client, "/groups/1/members", {"who": "Ben Sato"})
    assert "already in" in field_error(again.text, "who")  # type: ignore[attr-defined]
