"""The routes that change and remove what the demo makes (#16): another user who posts to one
of them with the first user's ids gets 404, as if the record did not exist, and nothing of the
first user's changes. (`test_isolation.py` allows any refusal; these say "not found".)"""

from __future__ import annotations

from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.accounts.conftest import csrf, make_user, sign_in
from tests.accounts.isolation import calls, snapshot
from tests.accounts.test_isolation import fill_a
from tests.web.conftest import BASE_URL

PARITY_ROUTES = {
    "/people/{person_id:id}/edit",
    "/people/{person_id:id}/emails/{email_id:id}/remove",
    "/people/{person_id:id}/followups",
    "/people/{person_id:id}/agenda/{point_id:id}/edit",
    "/groups/{group_id:id}/edit",
    "/groups/{group_id:id}/delete",
    "/favours/{favour_id:id}/remove",
    "/advice/{advice_id:id}/remove",
    "/goals/{goal_id:id}/remove",
    "/achievements/{achievement_id:id}/edit",
    "/achievements/{achievement_id:id}/remove",
    "/achievements/{achievement_id:id}/shares/{person_id:id}/remove",
}


def test_another_user_gets_404_from_every_parity_route(settings: Settings) -> None:
    db = Database.open(settings)
    a = make_user(db, "alice@example.org")
    make_user(db, "bob@example.org")
    records, _markers = fill_a(db, a.owner_id, a.id)
    before = snapshot(db, a.owner_id)
    app = create_app(settings, multi_user=True)
    made, _missing = calls(app, records)
    mine = [c for c in made if c.template in PARITY_ROUTES]
    assert {c.template for c in mine} == PARITY_ROUTES
    answers = {}
    with TestClient(app, base_url=BASE_URL) as client:
        sign_in(client, "bob@example.org")
        form = {"csrf_token": csrf(client, "/settings"), "name": "Intruder", "title": "Intruder"}
        form |= {"text": "Intruder", "cadence": "2w", "minutes": "30", "on": "today"}
        for call in mine:
            answer = client.request(call.method, call.path, data=form, follow_redirects=False)
            answers[f"{call.method} {call.path}"] = answer.status_code
    after = snapshot(db, a.owner_id)
    db.close()
    assert {where: code for where, code in answers.items() if code != 404} == {}
    assert before == after
