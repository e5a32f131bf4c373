"""The ways in: Host names, cross-site posts, security headers, HEAD, huge ids, unsafe links."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import AgendaItem, Person
from mentormap.web.render import TEMPLATES
from tests.web.conftest import BASE_URL, post, token
from tests.web.test_forms import count

# --- DNS rebinding: only the names we are known by -------------------------------------------


@pytest.mark.parametrize("path", ["/export/json", "/", "/people/1", "/static/style.css"])
def test_a_foreign_host_is_refused(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(path, headers={"Host": "evil.example:8000"})
    assert response.status_code == 400
    assert "Priya" not in response.text and "{" not in response.text  # nothing of the network


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.1:8000", "localhost", "LocalHost:1234", "[::1]", "[::1]:8000"],
)
def test_loopback_names_are_answered_on_any_port(demo_client: TestClient, host: str) -> None:
    assert demo_client.get("/people/1", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host", ["127.0.0.1.evil.example", "localhost.evil.example", "[::2]:8000", "127.0.0.2"]
)
def test_names_that_only_look_local_are_refused(demo_client: TestClient, host: str) -> None:
    assert demo_client.get("/people/1", headers={"Host": host}).status_code == 400


def test_a_post_with_a_foreign_host_creates_nothing(demo_client: TestClient, db: Database) -> None:
    before = count(db, Person)
    response = demo_client.post(
        "/people/new",
        data={"name": "Rebound Visitor", "csrf_token": token(demo_client, "/people/new")},
        headers={"Host": "evil.example:8000", "Origin": "http://evil.example:8000"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert count(db, Person) == before


# --- cross-site posts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},  # another program on this machine is another site
        {"Origin": "http://localhost:8000"},  # another name for us is another origin too
        {"Referer": "http://evil.example/page"},
    ],
)
def test_a_cross_site_post_creates_nothing(
    demo_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    before = count(db, Person)
    response = demo_client.post(
        "/people/new",
        data={"name": "Forged Friend", "csrf_token": token(demo_client, "/people/new")},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "another website" in response.text
    assert count(db, Person) == before


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://127.0.0.1:8000"}, {"Referer": "http://127.0.0.1:8000/people/new"}, {}],
)
def test_a_same_site_post_goes_through(
    demo_client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    before = count(db, Person)
    response = demo_client.post(
        "/people/new",
        data={"name": "Real Friend", "csrf_token": token(demo_client, "/people/new")},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert count(db, Person) == before + 1


# --- headers on every response -----------------------------------------------------------------


def _requests(client: TestClient) -> dict[str, object]:
    """One response of each kind the app gives."""
    return {
        "page": client.get("/people/1"),
        "static": client.get("/static/style.css"),
        "not found": client.get("/people/999999"),
        "no route": client.get("/nowhere"),
        "export": client.get("/export/json"),
        "refused host": client.get("/", headers={"Host": "evil.example"}),
        "refused origin": client.post("/people/new", headers={"Origin": "http://evil.example"}),
        "expired form": client.post("/people/1/log", data={}),
        "redirect": client.get("/", follow_redirects=False),
        "head": client.head("/people/1"),
    }


def test_every_response_carries_the_security_headers(demo_client: TestClient) -> None:
    for kind, response in _requests(demo_client).items():
        headers = response.headers  # type: ignore[attr-defined]
        policy = {
            part.split()[0]: part.split()[1:]
            for part in headers.get("content-security-policy", "").split(";")
            if part.strip()
        }
        assert policy.get("default-src") == ["'self'"], kind
        assert policy.get("frame-ancestors") == ["'none'"], kind
        assert policy.get("base-uri") == ["'none'"], kind
        assert policy.get("form-action") == ["'self'"], kind
        assert policy.get("object-src") == ["'none'"], kind
        assert "script-src" not in policy and "style-src" not in policy, kind  # nothing inline
        assert headers.get("x-frame-options") == "DENY", kind
        assert headers.get("x-content-type-options") == "nosniff", kind
        assert headers.get("referrer-policy") == "same-origin", kind
        expected = None if kind == "static" else "no-store"
        assert headers.get("cache-control") == expected, kind


def test_a_crash_answers_500_with_the_security_headers(app: FastAPI) -> None:
    """Starlette answers an unhandled error outside every middleware; the handler adds them."""

    def crash() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/crash-for-the-test", crash)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        response = client.get("/crash-for-the-test")
    assert response.status_code == 500
    assert "a bug" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_templates_have_no_inline_style_or_script() -> None:
    """The policy blocks inline styles and handlers, so none may be relied on."""
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text()
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"<style", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), template.name
        assert "javascript:" not in text, template.name


def test_health_page_draws_its_bars_and_dots_without_inline_style(
    demo_client: TestClient,
) -> None:
    text = demo_client.get("/health").text
    assert "style=" not in text
    assert '<svg class="bar"' in text and '<svg class="dot"' in text


@pytest.mark.parametrize(
    "path",
    ["/", "/welcome", "/today", "/people", "/people/1", "/people/1/edit", "/people/1/prep",
     "/log", "/groups", "/groups/1", "/achievements", "/achievements/highlights", "/trips",
     "/trips/1", "/health", "/import", "/export/csv", "/people-suggest?q=pr",
     "/static/app.js", "/people/999999", "/nowhere"],
)  # fmt: skip
def test_head_answers_like_get(demo_client: TestClient, path: str) -> None:
    got = demo_client.get(path, follow_redirects=False)
    head = demo_client.head(path, follow_redirects=False)
    assert head.status_code == got.status_code != 405
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.content == b""


# --- ids past SQLite's integers ----------------------------------------------------------------

HUGE = "99999999999999999999"  # > 2^63


@pytest.mark.parametrize(
    "path",
    [f"/people/{HUGE}", f"/people/{HUGE}/edit", f"/people/{HUGE}/prep", f"/groups/{HUGE}",
     f"/trips/{HUGE}", "/people/9223372036854775808"],
)  # fmt: skip
def test_an_id_past_2_63_is_not_found(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(path)
    assert response.status_code == 404
    assert "There is no page at this address" in response.text


@pytest.mark.parametrize(
    "path",
    [f"/people/{HUGE}/log", f"/people/{HUGE}/roles", f"/people/{HUGE}/archive",
     f"/people/{HUGE}/edit", f"/people/{HUGE}/agenda", f"/people/1/agenda/{HUGE}/drop",
     f"/people/{HUGE}/quick/ping", f"/followups/{HUGE}/done", f"/favours/{HUGE}/acted",
     f"/groups/{HUGE}/members", f"/groups/1/members/{HUGE}/remove", f"/groups/{HUGE}/session"],
)  # fmt: skip
def test_a_post_to_an_id_past_2_63_is_not_found(demo_client: TestClient, path: str) -> None:
    response = post(demo_client, path, {"text": "x", "who": "Priya Raman"})
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_the_largest_real_ids_still_reach_their_page(demo_client: TestClient) -> None:
    assert demo_client.get("/people/999999999999999999").status_code == 404  # no such person
    assert demo_client.get("/people/01").status_code == 200  # the same person as /people/1


# --- links --------------------------------------------------------------------------------------


def test_a_stored_script_link_renders_as_plain_text(demo_client: TestClient, db_path: Path) -> None:
    """An older database may hold a javascript: link; it must not become a clickable <a>."""
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO person_links (owner_id, person_id, kind, url) VALUES (1, 1, ?, ?)",
            [
                ("site", "javascript://x.example/%0Aalert(document.domain)"),
                ("other", " JaVa\tScRiPt:alert(1)"),
                ("other", "data:text/html,<script>alert(1)</script>"),
                ("github", "https://github.com/priya"),
            ],
        )
    page = demo_client.get("/people/1").text
    hrefs = re.findall(r'<a href="([^"]*)"', page)
    assert "https://github.com/priya" in hrefs
    assert not [h for h in hrefs if "script" in h.lower() or h.startswith("data:")]
    assert "javascript://x.example/%0Aalert(document.domain)" in page  # still shown, as text
    assert "&lt;script&gt;" in page and "<script>alert" not in page


# --- the agenda card on the person page --------------------------------------------------------


def test_the_agenda_form_on_the_person_page_parks_a_point(
    demo_client: TestClient, db: Database
) -> None:
    page = demo_client.get("/people/3").text
    actions = re.findall(r'<form method="post" action="([^"]*agenda[^"]*)"', page)
    assert "/people/3/agenda" in actions
    assert not [a for a in actions if "//" in a]
    before = count(db, AgendaItem)
    parked = post(demo_client, "/people/3/agenda", {"text": "Ask about the offsite"}, "/people/3")
    assert parked.status_code == 303  # type: ignore[attr-defined]
    assert parked.headers["location"] == "/people/3#agenda"  # type: ignore[attr-defined]
    assert count(db, AgendaItem) == before + 1
    page = demo_client.get("/people/3").text
    drop = re.search(
        r'action="(/people/3/agenda/\d+/drop)"((?!</form>).)*Drop: Ask about the offsite',
        page,
        re.DOTALL,
    )
    assert drop, "no drop button for the new point"
    dropped = post(demo_client, drop.group(1), {}, "/people/3")
    assert dropped.status_code == 303  # type: ignore[attr-defined]
    assert "Ask about the offsite" not in demo_client.get("/people/3").text
