"""PostgreSQL, the supported server engine: migrations and the core services on a real server."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from mentormap.db import HEAD_REVISION, Database, current_revision
from mentormap.services.context import open_ctx
from mentormap.services.demo import build_demo
from mentormap.services.people import PeopleFilter, list_people, merge_people
from mentormap.services.resolve import find_person
from mentormap.settings import Settings

pytestmark = pytest.mark.postgres


def test_migrations_demo_and_queries_on_postgres(postgres_url: str) -> None:
    settings = Settings(
        database_url=postgres_url,
        timezone=ZoneInfo("Europe/London"),
        today_override=date(2026, 11, 25),
    )
    db = Database.open(settings)
    try:
        assert current_revision(db.engine) == HEAD_REVISION
        with open_ctx(db) as ctx:
            counts = build_demo(ctx, size=40, seed=3)
        assert counts["people"] == 40
        with open_ctx(db) as ctx:
            sponsors = list_people(ctx, PeopleFilter(role="sponsor", sort="last_contact"))
            assert {p.name for p in sponsors} == {"Dana Whitfield", "Grace Liu"}
            keep, dup = find_person(ctx, "Dana Whitfield"), find_person(ctx, "Grace Liu")
            merge_people(ctx, keep, dup)
        with open_ctx(db) as ctx:
            assert [p.name for p in list_people(ctx, PeopleFilter(role="sponsor"))] == [
                "Dana Whitfield"
            ]
        # A second owner can be created: the local owner's id did not take the sequence's 1.
        with db.engine.begin() as conn:
            new_id = conn.execute(
                text("INSERT INTO owners (name, created_at) VALUES ('b', now()) RETURNING id")
            ).scalar()
        assert new_id == 2
    finally:
        db.close()
