"""The web shows the same standing as the CLI: the reason, her own clock setting, groups due."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import Person
from mentormap.services.clock.standing import standing_of
from mentormap.services.unit import open_ctx
from tests.web.conftest import post


def person_id(db: Database, name: str) -> int:
    with open_ctx(db) as ctx:
        return int(ctx.session.scalar(select(Person.id).where(Person.name == name)) or 0)


def test_the_person_page_gives_the_reason(demo_client: TestClient, db: Database) -> None:
    priya = person_id(db, "Priya Raman")
    with open_ctx(db) as ctx:
        person = ctx.session.get(Person, priya)
        assert person is not None
        reason = standing_of(ctx, person).reason
    page = demo_client.get(f"/people/{priya}").text
    assert "Monthly as your role model; last real conversation" in reason
    assert f'<dd class="standing-reason">{reason}</dd>' in page


def test_her_clock_setting_is_edited_on_the_web(demo_client: TestClient, db: Database) -> None:
    priya = person_id(db, "Priya Raman")
    form = demo_client.get(f"/people/{priya}/edit").text
    assert 'name="keeps_clock"' in form
    done = post(
        demo_client,
        f"/people/{priya}/edit",
        {"name": "Priya Raman", "keeps_clock": "conversation"},
        form_page=f"/people/{priya}/edit",
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    with open_ctx(db) as ctx:
        person = ctx.session.get(Person, priya)
        assert person is not None and person.keeps_clock == "conversation"
    again = post(
        demo_client,
        f"/people/{priya}/edit",
        {"name": "Priya Raman", "keeps_clock": ""},
        form_page=f"/people/{priya}/edit",
    )
    assert again.status_code == 303  # type: ignore[attr-defined]
    with open_ctx(db) as ctx:
        person = ctx.session.get(Person, priya)
        assert person is not None and person.keeps_clock is None
    bad = post(
        demo_client,
        f"/people/{priya}/edit",
        {"name": "Priya Raman", "keeps_clock": "sometimes"},
        form_page=f"/people/{priya}/edit",
    )
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Unknown clock setting" in bad.text  # type: ignore[attr-defined]


def test_a_group_due_with_its_members_is_one_entry(client: TestClient, db: Database) -> None:
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.groups import add_member, create_group
    from mentormap.services.people.people import add_person
    from tests.conftest import TODAY

    with open_ctx(db) as ctx:
        circle = create_group(ctx, "Circle")
        for name in ("Nadia Haddad", "Tom Eriksen"):
            add_member(ctx, circle, add_person(ctx, name), since=TODAY.replace(year=2025))
        log_interaction(
            ctx, [], kind="group_session", group=circle, on=TODAY.replace(month=10, day=1)
        )
    page = client.get("/today?all=1").text
    assert "Due with it: Nadia Haddad, Tom Eriksen." in page
    assert 'data-person="Nadia Haddad"' not in page
