"""Today: the agenda page, its one-click actions, and follow-ups and favours on a person."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import Favour, FollowUp, Interaction, Person
from mentormap.services.unit import open_ctx
from tests.web.conftest import post
from tests.web.test_forms import count


def due_names(client: TestClient, url: str = "/today") -> list[str]:
    return re.findall(r'data-person="([^"]+)"', client.get(url).text)


def test_main_view_is_today(demo_client: TestClient) -> None:
    response = demo_client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/today"
    assert '<a href="/today" aria-current="page">' in demo_client.get("/today").text


def test_today_lists_replies_follow_ups_visitors_and_who_is_due(demo_client: TestClient) -> None:
    page = demo_client.get("/today")
    assert page.status_code == 200
    text = page.text
    assert "Replies you owe" in text and "Aisha Khan" in text
    assert "Send Priya the draft promotion packet" in text
    assert "Visiting soon" in text and "Chiara Bellini" in text
    due = due_names(demo_client)
    assert "Grace Liu" in due and "Priya Raman" in due
    assert len(due) == 8  # the short list
    assert len(due_names(demo_client, "/today?all=1")) > 8
    assert "warmth warmth-cooling" in text


def test_today_on_an_empty_network(client: TestClient) -> None:
    page = client.get("/today")
    assert page.status_code == 200
    assert "All clear" in page.text


def test_ping_takes_a_friend_off_the_due_list_but_not_a_sponsor(
    demo_client: TestClient, db: Database
) -> None:
    """A ping keeps a friend's clock; a sponsor's needs a conversation or a highlights email."""
    assert {"Olivia Brandt", "Grace Liu"} <= set(due_names(demo_client))
    done = post(demo_client, "/people/12/quick/ping", {"back": "/today"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == "/today"  # type: ignore[attr-defined]
    page = demo_client.get("/today").text
    assert "Logged a ping to Olivia Brandt." in page
    assert "Olivia Brandt" not in due_names(demo_client)
    post(demo_client, "/people/11/quick/ping", {"back": "/today"})
    assert "Grace Liu" in due_names(demo_client)


def test_snooze_hides_her_and_reply_clears_the_owed_reply(demo_client: TestClient) -> None:
    post(demo_client, "/people/1/quick/snooze", {"for": "3w"})
    assert "Snoozed Priya Raman until 16 Dec 2026." in demo_client.get("/today").text
    assert "Priya Raman" not in due_names(demo_client)
    aisha = re.search(  # type: ignore[union-attr]
        r'action="/people/(\d+)/quick/replied"', demo_client.get("/today").text
    ).group(1)
    post(demo_client, f"/people/{aisha}/quick/replied", {})
    page = demo_client.get("/today").text
    assert "Logged your reply to Aisha Khan." in page
    assert "Replies you owe" not in page


def test_quick_actions_refuse_bad_input(demo_client: TestClient, db: Database) -> None:
    before = count(db, Interaction)
    bad = post(demo_client, "/people/1/quick/dance", {})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Unknown quick action" in bad.text  # type: ignore[attr-defined]
    snooze = post(demo_client, "/people/1/quick/snooze", {"for": "forever"})
    assert snooze.status_code == 400  # type: ignore[attr-defined]
    assert "not a duration" in snooze.text  # type: ignore[attr-defined]
    assert post(demo_client, "/people/99999/quick/ping", {}).status_code == 404  # type: ignore[attr-defined]
    outside = post(demo_client, "/people/1/quick/ping", {"back": "https://evil.example/"})
    assert outside.headers["location"] == "/today"  # type: ignore[attr-defined]
    assert count(db, Interaction) == before + 1  # only the last, valid ping


def test_follow_up_done_snooze_and_drop(demo_client: TestClient, db: Database) -> None:
    with open_ctx(db) as ctx:
        ids = list(
            ctx.session.scalars(
                select(FollowUp.id).where(FollowUp.state == "open").order_by(FollowUp.id)
            )
        )
    first, second, third = ids[:3]
    assert post(demo_client, f"/followups/{first}/done", {}).status_code == 303  # type: ignore[attr-defined]
    post(demo_client, f"/followups/{second}/snooze", {})
    post(demo_client, f"/followups/{third}/cancel", {})
    with open_ctx(db) as ctx:
        rows = ctx.session.execute(
            select(FollowUp.id, FollowUp.state).where(FollowUp.id.in_(ids[:3]))
        ).all()
        states = {row[0]: row[1] for row in rows}
        snoozed = ctx.session.get(FollowUp, second)
        assert snoozed is not None and str(snoozed.snoozed_until) == "2026-12-02"
    assert states == {first: "done", second: "open", third: "cancelled"}
    again = post(demo_client, f"/followups/{first}/done", {})
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "already done" in again.text  # type: ignore[attr-defined]
    assert post(demo_client, f"/followups/{first}/explode", {}).status_code == 400  # type: ignore[attr-defined]
    assert post(demo_client, "/followups/99999/done", {}).status_code == 404  # type: ignore[attr-defined]


def test_person_page_shows_follow_ups_and_favours(demo_client: TestClient) -> None:
    page = demo_client.get("/people/1").text
    assert 'id="follow-ups"' in page and "Send Priya the draft promotion packet" in page
    assert 'id="favours"' in page and "She did for you" in page


def test_favour_loop_from_the_person_page(demo_client: TestClient, db: Database) -> None:
    with open_ctx(db) as ctx:
        favour = ctx.session.scalar(select(Favour).where(Favour.state == "received"))
        assert favour is not None
        favour_id, person_id = favour.id, favour.person_id
    acted = post(demo_client, f"/favours/{favour_id}/acted", {"back": f"/people/{person_id}"})
    assert acted.status_code == 303  # type: ignore[attr-defined]
    assert "now tell the giver" in demo_client.get(f"/people/{person_id}").text
    reported = post(demo_client, f"/favours/{favour_id}/reported", {})
    assert reported.headers["location"] == f"/people/{person_id}#favours"  # type: ignore[attr-defined]
    with open_ctx(db) as ctx:
        closed = ctx.session.get(Favour, favour_id)
        assert closed is not None and closed.state == "reported_back"
    twice = post(demo_client, f"/favours/{favour_id}/reported", {})
    assert twice.status_code == 400  # type: ignore[attr-defined]
    assert post(demo_client, f"/favours/{favour_id}/forgot", {}).status_code == 400  # type: ignore[attr-defined]


def test_warmth_badges_agree_with_today(demo_client: TestClient, db: Database) -> None:
    """A peer who missed the last group session drifts: her page and Today say the same."""
    from mentormap.services.clock.standing import standing_of

    with open_ctx(db) as ctx:
        ines = ctx.session.scalars(select(Person).where(Person.name == "Ines Moreau")).one()
        where = standing_of(ctx, ines)
    assert where.cadence_source == "group" and where.warmth is not None
    page = demo_client.get(f"/people/{ines.id}").text
    assert f'class="warmth warmth-{where.warmth.value}"' in page
    assert "Ines Moreau" in due_names(demo_client, "/today?all=1")
