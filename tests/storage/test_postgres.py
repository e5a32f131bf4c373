"""PostgreSQL, the supported server engine: migrations and the core services on a real server."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from mentormap.db import HEAD_REVISION, Database, current_revision
from mentormap.services.demo.network import build_demo
from mentormap.services.people.merge import merge_people
from mentormap.services.people.people import PeopleFilter, list_people
from mentormap.services.people.resolve import find_person
from mentormap.services.unit import open_ctx
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


def _pg_settings(url: str) -> Settings:
    return Settings(
        database_url=url, timezone=ZoneInfo("Europe/London"), today_override=date(2026, 11, 25)
    )


def test_backup_restores_through_postgres_unchanged(
    postgres_url: str, demo_template: Path, tmp_path: Path
) -> None:
    """SQLite demo → backup → restore into PostgreSQL → backup → restore into SQLite: same rows."""
    from mentormap.services.interop.backup import backup_chunks, restore

    def dump(db: Database) -> str:
        with open_ctx(db) as ctx:
            return "".join(backup_chunks(ctx))

    source = Database.open(_pg_settings(f"sqlite:///{demo_template}"))
    original = dump(source)
    source.close()
    pg = Database.open(_pg_settings(postgres_url))
    try:
        with open_ctx(pg) as ctx:
            restore(ctx, original.encode())
        with open_ctx(pg) as ctx:
            assert list_people(ctx, PeopleFilter(role="visionary"))[0].name == "Margaret Okafor"
            # The planner knows the restored tables at once, not when autovacuum comes round:
            # without statistics it took them for empty and ran the agenda's candidate list
            # once per person.
            analysed = ctx.session.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
                    "AND relname IN ('people', 'interactions', 'roles')"
                )
            ).scalars()
            assert sorted(analysed) == ["interactions", "people", "roles"]
            # Taken after the checks were worked out: none says "work it out again" (0 for a
            # clock, 2 for a message), which sent the owed replies through the wrong index.
            stats = dict(
                ctx.session.execute(
                    text(
                        "SELECT attname, coalesce(most_common_vals::text, '') || ' ' || "
                        "coalesce(histogram_bounds::text, '') FROM pg_stats "
                        "WHERE attname IN ('owed_state', 'clock_check_n')"
                    )
                ).all()
            )
            assert "2" not in re.findall(r"\d+", stats["owed_state"])
            assert "0" not in re.findall(r"\d+", stats["clock_check_n"])
        via_pg = dump(pg)
    finally:
        pg.close()
    back = Database.open(_pg_settings(f"sqlite:///{tmp_path / 'back.db'}"))
    with open_ctx(back) as ctx:
        restore(ctx, via_pg.encode())
    # Only the header's export time may differ.
    assert dump(back).splitlines()[1:] == original.splitlines()[1:]
    back.close()


def test_linkedin_import_on_postgres(postgres_url: str) -> None:
    from mentormap.services.interop.imports import import_file

    db = Database.open(_pg_settings(postgres_url))
    sample = (Path(__file__).parents[2] / "docs" / "samples" / "Connections.csv").read_bytes()
    try:
        with open_ctx(db) as ctx:
            plan = import_file(ctx, sample, skip_bad=True)
        assert plan.counts["new"] > 0
        with open_ctx(db) as ctx:
            again = import_file(ctx, sample, skip_bad=True)
        assert again.counts["new"] == 0
    finally:
        db.close()


def test_a_long_statement_is_parsed_once(postgres_url: str) -> None:
    """psycopg keeps the parse of statements under 4 kB only; ours (the standing's: 12 kB)
    would be parsed again on every call without `db.keep_long_queries_parsed`."""
    from psycopg import _queries

    pg = Database.open(_pg_settings(postgres_url))
    padding = "x" * 10_000
    statement = text(f"SELECT CAST(:a AS integer) + 1 /* {padding} */")
    try:
        with pg.engine.connect() as conn:
            assert conn.execute(statement, {"a": 1}).scalar() == 2
            before = _queries._query2pg.cache_info().hits
            assert conn.execute(statement, {"a": 2}).scalar() == 3
            assert _queries._query2pg.cache_info().hits == before + 1
    finally:
        pg.close()
