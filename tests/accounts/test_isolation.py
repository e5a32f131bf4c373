"""Two users on one server: for every route of the app, B can reach nothing of A's.

User A gets a demo network; user B, signed in with her own session and API token, calls every
route (`isolation.calls`: all methods, A's ids in every path parameter, A's names and ids in
queries and forms). Each answer must be a refusal (404, or 400/403 for a refused form) when it
names A's records, and must never show A's people; afterwards every row of A's is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import (
    Achievement,
    Advice,
    AgendaItem,
    Expense,
    FailureStory,
    Favour,
    FollowUp,
    Goal,
    Group,
    GroupMember,
    Interaction,
    LifeEvent,
    MenteeNote,
    OfficeHour,
    Opportunity,
    Person,
    PersonEmail,
    Prospect,
    Role,
    Trip,
)
from mentormap.services.accounts.invitations import create_invitation
from mentormap.services.accounts.tokens import create_token
from mentormap.services.demo.network import build_demo
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.accounts.conftest import csrf, make_user, sign_in
from tests.accounts.isolation import Records, api_body, calls, snapshot
from tests.conftest import TODAY, ZONE
from tests.web.conftest import BASE_URL

# Requests B makes that are about her own session, not anyone's data.
SKIPPED = {("POST", "/login"), ("POST", "/logout")}


def _first(db: Database, query: object) -> int:
    with db.session() as session:
        found = session.scalars(query).first()  # type: ignore[call-overload]
    assert found is not None, f"the demo has no row for {query}"
    return int(found)


def fill_a(db: Database, owner_id: int, user_id: int) -> tuple[Records, set[str]]:
    with open_ctx(db, owner_id) as ctx:
        build_demo(ctx, size=30)
    mine = Person.owner_id == owner_id
    person = _first(db, select(Person.id).where(mine).join(Role).join(AgendaItem).join(PersonEmail))
    with db.session() as session:
        role_key = session.scalars(select(Role.key).where(Role.person_id == person)).first()
        token = create_token(session, owner_id, "a's phone", user_id=user_id).view.id
        invitation = create_invitation(session, created_by=None)
        markers = set(session.scalars(select(Person.name).where(mine)))
        markers |= set(session.scalars(select(Group.name).where(Group.owner_id == owner_id)))
        markers |= set(
            session.scalars(select(Achievement.title).where(Achievement.owner_id == owner_id))
        )
    group = _first(db, select(Group.id).where(Group.owner_id == owner_id))
    records = Records(
        person=person,
        email=_first(db, select(PersonEmail.id).where(PersonEmail.person_id == person)),
        role_key=str(role_key),
        agenda_point=_first(db, select(AgendaItem.id).where(AgendaItem.person_id == person)),
        follow_up=_first(db, select(FollowUp.id).where(FollowUp.owner_id == owner_id)),
        favour=_first(db, select(Favour.id).where(Favour.owner_id == owner_id)),
        group=group,
        group_member=_first(db, select(GroupMember.person_id).where(GroupMember.group_id == group)),
        trip=_first(db, select(Trip.id).where(Trip.owner_id == owner_id)),
        achievement=_first(db, select(Achievement.id).where(Achievement.owner_id == owner_id)),
        interaction=_first(db, select(Interaction.id).where(Interaction.owner_id == owner_id)),
        token=token,
        life_event=_first(db, select(LifeEvent.id).where(LifeEvent.owner_id == owner_id)),
        spend=_first(db, select(Expense.id).where(Expense.owner_id == owner_id)),
        prospect=_first(db, select(Prospect.id).where(Prospect.owner_id == owner_id)),
        advice=_first(db, select(Advice.id).where(Advice.owner_id == owner_id)),
        goal=_first(db, select(Goal.id).where(Goal.owner_id == owner_id)),
        opportunity=_first(db, select(Opportunity.id).where(Opportunity.owner_id == owner_id)),
        office_hour=_first(db, select(OfficeHour.id).where(OfficeHour.owner_id == owner_id)),
        story=_first(db, select(FailureStory.id).where(FailureStory.owner_id == owner_id)),
        mentee_note=_first(db, select(MenteeNote.id).where(MenteeNote.owner_id == owner_id)),
        invitation=invitation,
    )
    return records, markers


@pytest.fixture(params=["sqlite", "postgresql"])
def server_settings(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield settings
        return
    url = request.getfixturevalue("postgres_url")
    yield Settings(database_url=url, timezone=ZoneInfo(ZONE), today_override=TODAY)


def test_b_reaches_nothing_of_a_on_any_route(server_settings: Settings) -> None:
    db = Database.open(server_settings)
    a = make_user(db, "alice@example.org")
    b = make_user(db, "bob@example.org")
    records, markers = fill_a(db, a.owner_id, a.id)
    with db.session() as session:
        b_token = create_token(session, b.owner_id, "b's script", user_id=b.id).token
    before = snapshot(db, a.owner_id)
    app = create_app(server_settings, multi_user=True)
    made, missing = calls(app, records)
    assert not missing, "routes with path parameters the isolation test cannot fill:\n" + "\n".join(
        missing
    )
    query = {
        "q": sorted(markers)[0].split()[0],
        "who": f"#{records.person}",
        "person": f"#{records.person}",
        "group": str(records.group),
    }
    problems: list[str] = []
    with TestClient(app, base_url=BASE_URL) as client:
        sign_in(client, "bob@example.org")
        client.headers["Authorization"] = f"Bearer {b_token}"
        token = csrf(client, "/settings")
        form = {
            "csrf_token": token,
            "name": "Intruder Person",
            "title": "Intruder",
            "text": "Intruder",
            "summary": "Intruder",
            **{k: v for k, v in query.items() if k != "q"},
            "kind": "call",
            "city": "Paris",
            "start": "2026-12-01",
            "end": "2026-12-02",
            "key": "friend",
            "role": "friend",
        }
        for call in made:
            if (call.method, call.template) in SKIPPED:
                continue
            if call.path.startswith("/api/"):
                options: dict[str, object] = {"params": query}
                if call.method != "GET":
                    options["json"] = api_body(call.template, records)
            elif call.method == "GET":
                options = {"params": query}
            else:
                options = {"data": form}
            answer = client.request(call.method, call.path, follow_redirects=False, **options)
            where = f"{call.method} {call.path}"
            if answer.status_code >= 500:
                problems.append(f"{where}: {answer.status_code}")
                continue
            if call.owned and answer.status_code not in (400, 403, 404, 422):
                problems.append(f"{where}: {answer.status_code}, not a refusal")
            if call.method == "GET" and call.owned and answer.status_code != 404:
                problems.append(f"{where}: {answer.status_code}, not 404")
            leaked = sorted(m for m in markers if m in answer.text)
            if leaked:
                problems.append(f"{where}: {answer.status_code} shows A's {leaked[:3]}")
            location = answer.headers.get("location", "")
            if location.startswith("/login"):
                problems.append(f"{where}: B was signed out, the rest would prove nothing")
                break
    after = snapshot(db, a.owner_id)
    changed = [name for name in before if before[name] != after[name]]
    db.close()
    assert not problems, "\n".join(problems)
    assert not changed, f"B changed A's rows in {changed}"
    assert len(made) > 60  # every route, each value of each parameter
