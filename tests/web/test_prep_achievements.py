"""Prep brief, agenda points, achievements, the highlights email and the group session plan."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.models import Achievement, AchievementShare, AgendaItem, Interaction
from mentormap.services.unit import open_ctx
from tests.web.conftest import post
from tests.web.test_forms import count, field_error


def test_prep_brief_page(demo_client: TestClient) -> None:
    page = demo_client.get("/people/1/prep")
    assert page.status_code == 200
    text = page.text
    assert "Prepare for Priya Raman" in text
    assert "As your role model" in text
    assert "What to bring" in text and "Open loops" in text
    assert 'id="agenda"' in text
    assert 'href="/people/1/prep"' in demo_client.get("/people/1").text
    assert demo_client.get("/people/99999/prep").status_code == 404


def test_park_and_drop_an_agenda_point(demo_client: TestClient, db: Database) -> None:
    added = post(demo_client, "/people/1/agenda", {"text": "Ask about the Staff rubric"})
    assert added.status_code == 303  # type: ignore[attr-defined]
    assert added.headers["location"] == "/people/1#agenda"  # type: ignore[attr-defined]
    page = demo_client.get("/people/1").text
    assert "Parked a point for Priya Raman." in page
    assert "Ask about the Staff rubric" in page
    assert "Ask about the Staff rubric" in demo_client.get("/people/1/prep").text
    with open_ctx(db) as ctx:
        point_id = ctx.session.scalar(
            select(AgendaItem.id).where(AgendaItem.text == "Ask about the Staff rubric")
        )
    dropped = post(demo_client, f"/people/1/agenda/{point_id}/drop", {"back": "prep"})
    assert dropped.headers["location"] == "/people/1/prep#agenda"  # type: ignore[attr-defined]
    assert "Ask about the Staff rubric" not in demo_client.get("/people/1/prep").text


def test_agenda_point_validation(demo_client: TestClient, db: Database) -> None:
    before = count(db, AgendaItem)
    empty = post(demo_client, "/people/1/agenda", {"text": "  ", "back": "prep"})
    assert empty.status_code == 400  # type: ignore[attr-defined]
    assert "Write the point" in field_error(empty.text, "text")  # type: ignore[attr-defined]
    with open_ctx(db) as ctx:
        other = ctx.session.scalar(select(AgendaItem.id).where(AgendaItem.person_id != 1))
    wrong = post(demo_client, f"/people/1/agenda/{other}/drop", {})
    assert wrong.status_code == 400  # type: ignore[attr-defined]
    assert "is not for Priya Raman" in wrong.text  # type: ignore[attr-defined]
    assert count(db, AgendaItem) == before


def test_achievements_page_lists_and_adds(demo_client: TestClient) -> None:
    page = demo_client.get("/achievements")
    assert page.status_code == 200
    assert "Reduced cloud spend on the batch pipeline" in page.text
    assert "Shared with" in page.text
    added = post(
        demo_client,
        "/achievements",
        {
            "title": "Shipped the search rewrite",
            "on": "-2d",
            "impact": "p95 halved",
            "tags": "perf",
        },
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = demo_client.get("/achievements").text
    assert "Added “Shipped the search rewrite”." in page
    assert "23 Nov 2026" in page and "p95 halved" in page


def test_achievement_validation(demo_client: TestClient, db: Database) -> None:
    before = count(db, Achievement)
    bad = post(demo_client, "/achievements", {"title": "", "on": "someday"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Say what you achieved" in field_error(bad.text, "title")  # type: ignore[attr-defined]
    assert "not a date" in field_error(bad.text, "on")  # type: ignore[attr-defined]
    future = post(demo_client, "/achievements", {"title": "Future win", "on": "2027-01-01"})
    assert "future" in field_error(future.text, "on")  # type: ignore[attr-defined]
    tag = post(demo_client, "/achievements", {"title": "Win", "tags": "no way!"})
    assert "not a tag" in field_error(tag.text, "tags")  # type: ignore[attr-defined]
    assert count(db, Achievement) == before


def test_highlights_draft_copy_and_mark_sent(demo_client: TestClient, db: Database) -> None:
    # Margaret last spoke with you on 26 Aug: the October calibration is news to her.
    page = demo_client.get("/achievements/highlights?who=Margaret")
    assert page.status_code == 200
    assert '<pre class="draft" id="highlights-text">' in page.text
    assert "Subject: A few highlights since we last spoke, Margaret" in page.text
    assert 'data-copy="#highlights-text"' in page.text
    shares = count(db, AchievementShare)
    sent = post(demo_client, "/achievements/highlights/sent", {"who": "#2"})
    assert sent.status_code == 303  # type: ignore[attr-defined]
    person = demo_client.get("/people/2").text
    assert "Logged the highlights email to Margaret Okafor: 1 shared." in person
    assert "highlights email" in person
    assert count(db, AchievementShare) == shares + 1
    again = demo_client.get("/achievements/highlights?who=Margaret")
    assert again.status_code == 400
    assert "Nothing new to tell Margaret Okafor" in field_error(again.text, "who")
    # Priya spoke with you in October, after every achievement: nothing is news since then.
    priya = demo_client.get("/achievements/highlights?who=Priya")
    assert "Nothing new to tell Priya Raman since 2026-10-21" in field_error(priya.text, "who")


def test_highlights_for_an_unknown_person(demo_client: TestClient) -> None:
    page = demo_client.get("/achievements/highlights?who=Nobody+Here")
    assert page.status_code == 400
    assert "No one called" in field_error(page.text, "who")
    assert demo_client.get("/achievements/highlights").status_code == 200
    missing = post(demo_client, "/achievements/highlights/sent", {"who": "#99999"})
    assert missing.status_code == 404  # type: ignore[attr-defined]


def test_group_page_has_a_session_plan_with_a_timer(demo_client: TestClient) -> None:
    page = demo_client.get("/groups/1").text
    assert 'id="session"' in page and "data-timer" in page
    slots = re.findall(r'<li data-minutes="(\d+)" data-label="([^"]+)"', page)
    assert slots[0] == ("6", "Opening")
    assert sum(int(m) for m, _ in slots) == 60
    assert len(slots) == 7  # the opening and six members


def test_session_plan_for_who_is_present(demo_client: TestClient) -> None:
    members = dict(
        (name, pid)
        for pid, name in re.findall(
            r'<a class="name" href="/people/(\d+)">([^<]+)</a>', demo_client.get("/groups/1").text
        )
    )
    ben, ines = members["Ben Sato"], members["Ines Moreau"]
    page = demo_client.get(f"/groups/1?present={ben}&present={ines}&pressing={ines}&minutes=30")
    slots = re.findall(r'<li data-minutes="(\d+)" data-label="([^"]+)"', page.text)
    assert [label for _, label in slots] == ["Opening", "Ben Sato", "Ines Moreau"]
    assert dict((label, int(m)) for m, label in slots)["Ines Moreau"] == 18  # a double share
    assert "pressing problem" in page.text
    too_short = demo_client.get("/groups/1?minutes=12")
    assert "too short" in too_short.text


def test_log_the_planned_session(demo_client: TestClient, db: Database) -> None:
    page = demo_client.get("/groups/1").text
    ben = re.search(r'<a class="name" href="/people/(\d+)">Ben Sato<', page).group(1)  # type: ignore[union-attr]
    before = count(db, Interaction)
    logged = post(
        demo_client, "/groups/1/session", {"present": ben, "minutes": "30", "notes": "Good one"}
    )
    assert logged.status_code == 303  # type: ignore[attr-defined]
    assert "with 1 present" in demo_client.get("/groups/1").text
    assert count(db, Interaction) == before + 1
    with open_ctx(db) as ctx:
        notes = ctx.session.scalar(
            select(Interaction.notes).where(
                Interaction.id == select(func.max(Interaction.id)).scalar_subquery()
            )
        )
    assert notes is not None and "Good one" in notes and "Schedule (30 minutes)" in notes


def test_log_session_validation(demo_client: TestClient, db: Database) -> None:
    before = count(db, Interaction)
    bad = post(demo_client, "/groups/1/session", {"minutes": "2"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "between 5 and 600" in bad.text  # type: ignore[attr-defined]
    assert count(db, Interaction) == before
