"""The health report on PostgreSQL gives what it gives on SQLite for the same demo network."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mentormap.db import Database
from mentormap.domain.health import HealthReport
from mentormap.models import Interaction, Person
from mentormap.services.conversations.interactions import edit_interaction, log_interaction
from mentormap.services.demo.network import build_demo
from mentormap.services.health.report import network_health
from mentormap.services.health.spans import forget
from mentormap.services.people.people import set_archived
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

pytestmark = pytest.mark.postgres

TODAY = date(2026, 11, 25)


def report_on(url: str) -> HealthReport:
    """The report after a first look and a few writes since, which its kept history (and on
    PostgreSQL its plpgsql triggers) must follow."""
    settings = Settings(database_url=url, timezone=ZoneInfo("Europe/London"), today_override=TODAY)
    db = Database.open(settings)
    try:
        with open_ctx(db) as ctx:
            build_demo(ctx, size=80, seed=7)
        with open_ctx(db) as ctx:
            network_health(ctx)
        with open_ctx(db) as ctx:
            people = list(ctx.session.scalars(select(Person).order_by(Person.id).limit(4)))
            log_interaction(ctx, people[:2], kind="lunch", on=date(2026, 3, 2))  # backdated
            first = ctx.session.scalars(select(Interaction).order_by(Interaction.id)).first()
            assert first is not None
            edit_interaction(ctx, first, on=date(2026, 9, 30))
            set_archived(ctx, people[3])
        with open_ctx(db) as ctx:
            kept = network_health(ctx)
            forget(ctx)
            assert network_health(ctx).warmth_history == kept.warmth_history
            return kept
    finally:
        db.close()


@pytest.fixture
def own_database(postgres_url: str) -> str:
    """A database of this test's own on the shared server: the session's one may hold data."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    name = f"health_{uuid.uuid4().hex[:12]}"
    dsn = f"host={url.host} port={url.port} user={url.username} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.set(database=name).render_as_string(hide_password=False)


def test_health_report_matches_sqlite(own_database: str, tmp_path: Path) -> None:
    on_pg = report_on(own_database)
    on_sqlite = report_on(f"sqlite:///{tmp_path / 'health.db'}")
    assert on_pg.people == on_sqlite.people == 79
    assert on_pg.overall == on_sqlite.overall
    scores = {a.key: (a.score, a.summary, a.details) for a in on_pg.areas}
    assert scores == {a.key: (a.score, a.summary, a.details) for a in on_sqlite.areas}
    cadence = scores["cadence"]
    assert cadence[0] is not None and 0 < cadence[2]["adherence"] < 1
    assert on_pg.warmth_history == on_sqlite.warmth_history
    assert sum(m.warm + m.cooling + m.cold + m.dormant for m in on_pg.warmth_history) > 0
    assert [(f.key, f.ok, f.title) for f in on_pg.findings] == [
        (f.key, f.ok, f.title) for f in on_sqlite.findings
    ]
    assert [(p.name, p.role, p.warmth) for p in on_pg.orbit] == [
        (p.name, p.role, p.warmth) for p in on_sqlite.orbit
    ]
