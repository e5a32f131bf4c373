"""The web side: the prospects board, opportunity forms, and the mentoring pages, each
change made with a plain form (no script) and each bad value shown next to its field."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.models import FailureStory, OfficeHour, Opportunity, Prospect, Role
from mentormap.services.unit import open_ctx
from tests.web.conftest import post
from tests.web.test_forms import field_error


def count(db: Database, model: type) -> int:
    with open_ctx(db) as ctx:
        return ctx.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_board_has_a_column_per_stage_and_forms_with_tokens(demo_client: TestClient) -> None:
    page = demo_client.get("/prospects").text
    for stage in ("noticed", "in_touch", "shared_interest", "asked_advice", "recurring"):
        assert f'id="stage-{stage}"' in page
    assert "Hiro Tanaka" in page and "Next: " in page
    assert page.count('method="post"') == page.count('name="csrf_token"')
    assert "<script" not in page.split("<main", 1)[1]  # the board needs no script
    assert '<meta name="viewport"' in page


def test_add_move_edit_and_drop_a_prospect(client: TestClient, db: Database) -> None:
    missing = post(client, "/prospects", {"name": "", "as": "sponsor"}, form_page="/prospects")
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "Name her" in field_error(missing.text, "a-name")  # type: ignore[attr-defined]
    wrong = post(client, "/prospects", {"name": "Chiyo Sato", "as": "guru"}, "/prospects")
    assert "Unknown prospect kind" in field_error(wrong.text, "a-as")  # type: ignore[attr-defined]
    assert count(db, Prospect) == 0
    added = post(client, "/prospects", {"name": "Chiyo Sato", "as": "mentor"}, "/prospects")
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/prospects").text
    assert "Chiyo Sato (new to your network) is now a prospect." in page
    pid = re.search(r'id="prospect-(\d+)"', page).group(1)  # type: ignore[union-attr]
    bad = post(client, f"/prospects/{pid}/move", {"stage": "soulmates"}, "/prospects")
    assert "Unknown stage" in field_error(bad.text, f"m{pid}-stage")  # type: ignore[attr-defined]
    moved = post(client, f"/prospects/{pid}/move", {"stage": "role_given"}, "/prospects")
    assert moved.status_code == 303  # type: ignore[attr-defined]
    assert "She is now your role model." in client.get("/prospects").text
    assert count(db, Role) == 1
    post(client, f"/prospects/{pid}/edit", {"as": "sponsor", "why": "Backs me"}, "/prospects")
    assert "Backs me" in client.get("/prospects").text
    post(client, f"/prospects/{pid}/drop", {}, "/prospects")
    assert count(db, Prospect) == 0


def test_opportunity_forms(demo_client: TestClient, db: Database) -> None:
    before = count(db, Opportunity)
    bad = post(
        demo_client,
        "/opportunities",
        {"title": "", "from": "Nobody Atall", "deadline": "someday", "kind": "cfp"},
        "/opportunities",
    )
    html = bad.text  # type: ignore[attr-defined]
    assert "Name the opportunity" in field_error(html, "a-title")
    assert "No one called" in field_error(html, "a-from")
    assert "is not a date" in field_error(html, "a-deadline")
    assert count(db, Opportunity) == before
    added = post(
        demo_client,
        "/opportunities",
        {"title": "QCon CFP", "from": "Chiara", "deadline": "+5d", "kind": "cfp"},
        "/opportunities",
    )
    where = added.headers["location"]  # type: ignore[attr-defined]
    assert re.fullmatch(r"/opportunities/\d+", where)
    assert "QCon CFP" in demo_client.get("/today").text  # deadline in five days
    values = {"title": "QCon London CFP", "status": "accepted", "kind": "cfp", "from": "Chiara",
              "deadline": "", "url": "https://qconlondon.com", "note": ""}  # fmt: skip
    saved = post(demo_client, where, values, where)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get(where).text
    assert "Say thank you to Chiara Bellini" in page
    assert 'href="https://qconlondon.com"' in page
    unsafe = post(demo_client, where, {**values, "url": "javascript:alert(1)"}, where)
    assert "not a web address" in field_error(unsafe.text, "e-url")  # type: ignore[attr-defined]
    refused = post(demo_client, f"{where}/pass", {"to": "Grace Liu"}, where)
    assert "not your mentee" in field_error(refused.text, "p-to")  # type: ignore[attr-defined]
    post(demo_client, f"{where}/pass", {"to": "Leo Martins", "note": "go"}, where)
    assert "Leo Martins" in demo_client.get(where).text
    leo = re.search(r'href="/mentoring/mentees/(\d+)">Leo', demo_client.get(where).text)
    assert leo and "QCon London CFP" in demo_client.get(f"/mentoring/mentees/{leo.group(1)}").text
    assert f"/mentoring/mentees/{leo.group(1)}" in demo_client.get(f"/people/{leo.group(1)}").text
    post(demo_client, f"{where}/unpass/{leo.group(1)}", {}, where)
    assert "Take back" not in demo_client.get(where).text
    post(demo_client, f"{where}/remove", {}, where)
    assert count(db, Opportunity) == before


def test_mentoring_forms(demo_client: TestClient, db: Database) -> None:
    page = demo_client.get("/mentoring").text
    assert "Aisha Khan" in page and "Tuesday 16:00–17:00" in page
    hours, stories = count(db, OfficeHour), count(db, FailureStory)
    clash = post(demo_client, "/mentoring/office-hours", {"day": "tue", "hours": "16:30-17:30"},
                 "/mentoring")  # fmt: skip
    assert "overlaps" in field_error(clash.text, "nh-hours")  # type: ignore[attr-defined]
    post(
        demo_client, "/mentoring/office-hours", {"day": "fri", "hours": "12:00-12:45"}, "/mentoring"
    )
    assert count(db, OfficeHour) == hours + 1
    assert "Friday 12:00–12:45" in demo_client.get("/mentoring/office-hours").text
    hour_id = re.findall(
        r'action="/mentoring/office-hours/(\d+)"', demo_client.get("/mentoring").text
    )[-1]
    post(demo_client, f"/mentoring/office-hours/{hour_id}", {"day": "fri", "hours": "13:00-13:45"},
         "/mentoring")  # fmt: skip
    assert "Friday 13:00–13:45" in demo_client.get("/mentoring/office-hours").text
    post(demo_client, f"/mentoring/office-hours/{hour_id}/remove", {}, "/mentoring")
    assert count(db, OfficeHour) == hours
    empty = post(demo_client, "/mentoring/stories", {"text": " "}, "/mentoring")
    assert "Say what the story is" in field_error(empty.text, "ns-text")  # type: ignore[attr-defined]
    post(
        demo_client,
        "/mentoring/stories",
        {"text": "Broke prod", "lesson": "Stage it"},
        "/mentoring",
    )
    story_id = re.findall(r'action="/mentoring/stories/(\d+)"', demo_client.get("/mentoring").text)[
        0
    ]
    post(demo_client, f"/mentoring/stories/{story_id}", {"text": "Broke prod twice", "lesson": ""},
         "/mentoring")  # fmt: skip
    assert "Broke prod twice" in demo_client.get("/mentoring").text
    post(demo_client, f"/mentoring/stories/{story_id}/remove", {}, "/mentoring")
    assert count(db, FailureStory) == stories
    mentee = re.search(r'href="/mentoring/mentees/(\d+)">Aisha', page).group(1)  # type: ignore[union-attr]
    url = f"/mentoring/mentees/{mentee}"
    bad = post(demo_client, f"{url}/notes", {"kind": "goal", "text": "", "on": ""}, url)
    assert "Say what the goal is" in field_error(bad.text, "a-text")  # type: ignore[attr-defined]
    post(demo_client, f"{url}/notes", {"kind": "achievement", "text": "Shipped the SDK"}, url)
    assert "Shipped the SDK" in demo_client.get(url).text
    note_id = re.findall(r'action="/mentoring/notes/(\d+)"', demo_client.get(url).text)[0]
    post(demo_client, f"/mentoring/notes/{note_id}", {"text": "Shipped SDK v2", "on": "today"}, url)
    assert "Shipped SDK v2" in demo_client.get(url).text
    post(demo_client, f"/mentoring/notes/{note_id}/remove", {}, url)
    assert "Shipped SDK v2" not in demo_client.get(url).text
