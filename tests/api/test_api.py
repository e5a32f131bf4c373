"""The JSON API in-process: tokens, people from creation to deletion, interactions, the reads."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import LOCAL_OWNER_ID
from mentormap.services.accounts.tokens import create_token, revoke_token
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.web.conftest import BASE_URL


@pytest.fixture
def api(settings: Settings, demo_template: Path, db_path: Path) -> Iterator[TestClient]:
    """Local mode on the demo network, with a token for its one owner."""
    shutil.copyfile(demo_template, db_path)
    db = Database.open(settings)
    with db.session() as session:
        secret = create_token(session, LOCAL_OWNER_ID, "tests").token
    db.close()
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client


def test_the_api_needs_a_valid_token(api: TestClient, db: Database) -> None:
    bare = TestClient(api.app, base_url=BASE_URL)
    missing = bare.get("/api/v1/people")
    assert missing.status_code == 401 and "mentormap token create" in missing.json()["error"]
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = bare.get("/api/v1/people", headers={"Authorization": "Bearer mm_not-a-token"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]
    cookie_only = bare.get("/api/v1/today", headers={"Cookie": "mm_session=x"})
    assert cookie_only.status_code == 401  # a cookie never opens the API
    assert api.get("/api/v1/people").status_code == 200
    with db.session() as session:
        revoke_token(session, LOCAL_OWNER_ID, 1)
    assert api.get("/api/v1/people").status_code == 401


def test_openapi_and_docs_are_served_without_a_token(api: TestClient) -> None:
    bare = TestClient(api.app, base_url=BASE_URL)
    document = bare.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    paths = document["paths"]
    for path in (
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/today",
        "/api/v1/interactions/{interaction_id}",
        "/api/v1/search",
        "/api/v1/who",
        "/api/v1/health",
        "/api/v1/people/{person_id}/prep",
        "/api/v1/roles",
        "/api/v1/followups",
        "/api/v1/favours",
        "/api/v1/achievements",
    ):
        assert path in paths, path
    assert not any(p.startswith(("/people", "/today")) for p in paths)  # the pages stay out
    # The API's routes are matched first (web/app.py), which is only safe while no page
    # lives under /api/ and no page's pattern could catch an API path.
    under_api = {r.path for r in api.app.routes if getattr(r, "path", "").startswith("/api")}  # type: ignore[attr-defined]
    assert under_api - {*paths, "/api/openapi.json", "/api/docs", "/api/docs/assets"} == set()
    assert not any(getattr(r, "path", "").startswith("/{") for r in api.app.routes)  # type: ignore[attr-defined]
    page = bare.get("/api/docs")
    assert page.status_code == 200 and "/api/docs/assets/swagger-ui-bundle.js" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP stays as strict
    assert bare.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_a_person_from_creation_to_deletion(api: TestClient) -> None:
    made = api.post(
        "/api/v1/people",
        json={
            "name": "Grace Hopper",
            "roles": ["coach"],
            "company": "Navy",
            "emails": ["grace@example.org"],
        },
    )
    assert made.status_code == 201, made.text
    person = made.json()
    assert person["roles"] == ["coach"] and person["emails"] == ["grace@example.org"]
    pid = person["id"]
    assert api.get("/api/v1/people", params={"q": "Hopper"}).json()[0]["id"] == pid
    changed = api.patch(f"/api/v1/people/{pid}", json={"title": "Rear Admiral"})
    assert changed.json()["title"] == "Rear Admiral" and changed.json()["company"] == "Navy"
    roles = api.post(f"/api/v1/people/{pid}/roles", json={"key": "mentee", "cadence_days": 30})
    assert {r["key"] for r in roles.json()} == {"coach", "mentee"}
    ended = api.delete(f"/api/v1/people/{pid}/roles/coach").json()
    assert [r["until"] is not None for r in ended if r["key"] == "coach"] == [True]
    logged = api.post(
        "/api/v1/interactions", json={"people": [pid], "kind": "call", "notes": "Talked compilers"}
    )
    assert logged.status_code == 201, logged.text
    iid = logged.json()["id"]
    edited = api.patch(f"/api/v1/interactions/{iid}", json={"notes": "Talked COBOL"})
    assert edited.json()["notes"] == "Talked COBOL"
    listed = api.get(f"/api/v1/people/{pid}/interactions").json()
    assert [i["id"] for i in listed] == [iid]
    archived = api.post(f"/api/v1/people/{pid}/archive", json={"archived": True})
    assert archived.json()["archived"] is True
    assert pid not in [p["id"] for p in api.get("/api/v1/people").json()]
    assert api.delete(f"/api/v1/people/{pid}").status_code == 204
    gone = api.get(f"/api/v1/people/{pid}")
    assert gone.status_code == 404 and gone.json() == {"error": f"No person with id #{pid}."}


def test_errors_are_the_cli_one_liners(api: TestClient) -> None:
    bad_role = api.post("/api/v1/people", json={"name": "X Y", "roles": ["boss"]})
    assert bad_role.status_code == 400
    assert bad_role.json()["error"].startswith("Unknown role 'boss'; choose one of:")
    missing = api.post("/api/v1/people", json={})
    assert missing.status_code == 422 and missing.json() == {"error": "Check these values: name."}
    extra = api.post("/api/v1/people", json={"name": "X", "password": "x"})
    assert extra.status_code == 422
    assert api.get("/api/v1/nothing-here").json() == {"error": "No such API endpoint."}
    assert api.get("/api/v1/interactions/999999").json() == {
        "error": "No interaction with id 999999."
    }


def test_the_reads_answer_from_the_demo(api: TestClient) -> None:
    today = api.get("/api/v1/today").json()
    assert today["today"] == "2026-11-25" and today["due"]
    every = api.get("/api/v1/followups").json()
    assert len(every) >= 3
    pages = [api.get("/api/v1/followups", params={"limit": 2, "offset": n}).json() for n in (0, 2)]
    assert pages[0] + pages[1] == every[:4] and len(pages[0]) == 2
    assert api.get("/api/v1/favours", params={"open": True}).status_code == 200
    assert api.get("/api/v1/achievements").json()
    assert api.get("/api/v1/health").json()["people"] > 30
    first = api.get("/api/v1/people", params={"limit": 1}).json()[0]
    brief = api.get(f"/api/v1/people/{first['id']}/prep").json()
    assert brief["name"] == first["name"]
    hits = api.get("/api/v1/search", params={"q": first["name"].split()[-1]}).json()["hits"]
    assert any(first["id"] in hit["person_ids"] or hit["id"] == first["id"] for hit in hits)
    assert "helpers" in api.get("/api/v1/who", params={"q": "hiring"}).json()
    assert {r["key"] for r in api.get("/api/v1/roles").json()} >= {"sponsor", "mentee"}


def test_a_call_takes_one_connection_and_notes_the_tokens_use(api: TestClient) -> None:
    """The token is checked in the session the call's unit of work goes on in: one connection
    from the pool per call, and the token's last use is saved with or without a unit of work."""
    from sqlalchemy import event, select, update

    from mentormap.models import ApiToken

    db = api.app.state.db  # type: ignore[attr-defined]
    checkouts: list[object] = []
    event.listen(db.engine, "checkout", lambda *_args: checkouts.append(1))
    for path in ("/api/v1/today", "/api/v1/people", "/api/v1/roles"):
        checkouts.clear()
        assert api.get(path).status_code == 200, path
        assert len(checkouts) == 1, path
    # A route without a unit of work (the role catalogue) still saves the token's last use,
    # and a call that changes something commits its change with it.
    with db.session() as session:
        session.execute(update(ApiToken).values(last_used_at=None))
    assert api.get("/api/v1/roles").status_code == 200
    with db.session() as session:
        assert session.scalar(select(ApiToken.last_used_at)) is not None
        session.execute(update(ApiToken).values(last_used_at=None))
    made = api.post("/api/v1/people", json={"name": "Ines Checkout"})
    assert made.status_code == 201
    with db.session() as session:
        assert session.scalar(select(ApiToken.last_used_at)) is not None
    assert api.get(f"/api/v1/people/{made.json()['id']}").json()["name"] == "Ines Checkout"
