"""The API's kept answers (web.response_cache): a repeated read is one statement, and any change,
from the API or from another unit of work, a new day or the clock, is seen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, select, text

from mentormap.db import Database
from mentormap.models import Owner
from mentormap.services.people.people import add_person, edit_person
from mentormap.services.people.resolve import find_person
from mentormap.services.unit import open_ctx
from mentormap.web.response_cache import Answer, ResponseCache
from tests.api.test_api import api  # noqa: F401  (the fixture)


@contextmanager
def counted(client: TestClient) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])

    engine = client.app.state.db.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_repeated_read_is_one_statement_until_something_changes(api: TestClient) -> None:  # noqa: F811
    api.get("/api/v1/today")  # notes the token's first use: a write, so a new version
    first = api.get("/api/v1/today")
    with counted(api) as statements:
        again = api.get("/api/v1/today")
    assert again.status_code == 200 and again.content == first.content
    assert len(statements) == 1 and "api_tokens" in statements[0]  # the token's check alone
    # The guards' headers on a kept answer too, each once, and its own server time.
    assert set(again.headers) == set(first.headers)
    assert again.headers["server-timing"].count("dur=") == 1
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    listed = api.get("/api/v1/people", params={"limit": 1000}).json()
    made = api.post("/api/v1/people", json={"name": "Ada Kept"})
    assert made.status_code == 201
    after = api.get("/api/v1/people", params={"limit": 1000}).json()
    assert len(after) == len(listed) + 1 and "Ada Kept" in {p["name"] for p in after}


def test_a_change_from_another_unit_of_work_is_seen(api: TestClient) -> None:  # noqa: F811
    db: Database = api.app.state.db  # type: ignore[attr-defined]
    with open_ctx(db) as ctx:
        pid = add_person(ctx, "Bea Elsewhere", company="Before").id
    assert api.get(f"/api/v1/people/{pid}").json()["company"] == "Before"
    assert api.get(f"/api/v1/people/{pid}").json()["company"] == "Before"  # kept now
    with open_ctx(db) as ctx:  # as the CLI would, in its own session
        edit_person(ctx, find_person(ctx, f"#{pid}"), company="After")
    assert api.get(f"/api/v1/people/{pid}").json()["company"] == "After"


def test_only_a_unit_that_wrote_moves_its_owners_data_version(db: Database) -> None:
    def versions() -> dict[int, int]:
        with db.session() as session:
            return dict(session.execute(select(Owner.id, Owner.data_version)).all())

    with db.session() as session:
        session.add(Owner(name="someone else"))
    start = versions()
    with open_ctx(db) as ctx:  # reads only, a WITH among them
        ctx.session.execute(text("WITH x AS (SELECT 1 AS one) SELECT one FROM x")).all()
        ctx.session.execute(select(Owner)).all()
    assert versions() == start
    with open_ctx(db) as ctx:
        add_person(ctx, "Cy Writer")
    moved = versions()
    assert moved[1] != start[1] and moved[2] == start[2]  # hers only
    with db.session() as session:  # no unit of work: every owner's
        session.execute(text("UPDATE owners SET name = name"))
    assert all(versions()[k] != moved[k] for k in moved)


def test_a_new_day_is_a_new_answer(api: TestClient) -> None:  # noqa: F811
    db: Database = api.app.state.db  # type: ignore[attr-defined]
    day = api.get("/api/v1/today").json()["today"]
    db.settings = db.settings.with_(today_override=db.settings.today() + timedelta(days=1))
    later = api.get("/api/v1/today").json()["today"]
    assert later != day


def test_an_answer_that_read_the_clock_is_not_kept(api: TestClient) -> None:  # noqa: F811
    made = api.post("/api/v1/people", json={"name": "Dee Faraway", "timezone": "Asia/Tokyo"})
    pid = made.json()["id"]
    api.get(f"/api/v1/people/{pid}/prep").raise_for_status()
    with counted(api) as statements:
        brief = api.get(f"/api/v1/people/{pid}/prep")
    assert brief.status_code == 200 and len(statements) > 1  # worked out again: her local time
    with counted(api) as statements:
        api.get(f"/api/v1/people/{pid}").raise_for_status()
    assert len(statements) > 1  # her page was never asked for: nothing kept to answer from


def test_the_kept_answers_stay_within_their_memory() -> None:
    cache = ResponseCache(max_bytes=5_000)
    today = date(2026, 12, 2)
    for n in range(10):
        cache.put((1, 7, today, f"/p/{n}", b""), Answer(200, [], b"x" * 1_000))
    assert 0 < len(cache) < 5 and cache._bytes <= 5_000
    assert cache.get((1, 7, today, "/p/9", b"")) is not None  # the newest stay
    assert cache.get((1, 7, today, "/p/0", b"")) is None
    cache.put((1, 7, today, "/big", b""), Answer(200, [], b"x" * 10_000))  # too big to keep
    assert cache.get((1, 7, today, "/big", b"")) is None
