"""Birthdays in a range and the money area's converted total give the same on PostgreSQL as on
SQLite (their SQL: the MM-DD ending of a stored birthday, a rate times an amount)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mentormap.db import Database
from mentormap.services.health.ledger import money
from mentormap.services.money.spend import add_spend
from mentormap.services.people.lives import upcoming_birthdays
from mentormap.services.people.people import add_person
from mentormap.services.preferences import all_preferences, set_preference
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

pytestmark = pytest.mark.postgres
TODAY = date(2026, 11, 25)


def figures(url: str) -> tuple[list[Any], dict[str, Any], list[Any]]:
    settings = Settings(database_url=url, timezone=ZoneInfo("Europe/London"), today_override=TODAY)
    db = Database.open(settings)
    try:
        with open_ctx(db) as ctx:
            add_person(ctx, "Leap Year", birthday="2000-02-29")
            add_person(ctx, "Eve", birthday="1990-12-31")
            add_person(ctx, "New Year", birthday="--01-02")
            set_preference(ctx, "currency", "GBP")
            set_preference(ctx, "coaching_budget", "1000")
            set_preference(ctx, "rate.EUR", "0.86")
            set_preference(ctx, "rate.USD", "0.79")
            add_spend(ctx, "120.10", currency="EUR", on=date(2026, 3, 1))
            add_spend(ctx, "99.99", currency="USD", on=date(2026, 4, 1), category="conference")
            add_spend(ctx, "250", currency="GBP", on=date(2026, 5, 1))
        with open_ctx(db) as ctx:
            found = upcoming_birthdays(ctx, date(2026, 12, 28), date(2027, 3, 1))
            area, findings = money(ctx, all_preferences(ctx), TODAY)
            return (
                [(b.name, b.on, b.age) for b in found],
                area.details,
                [(f.key, f.title) for f in findings],
            )
    finally:
        db.close()


def test_the_same_on_postgresql_as_on_sqlite(postgres_url: str, tmp_path: Path) -> None:
    on_pg = figures(postgres_url)
    assert on_pg == figures(f"sqlite:///{tmp_path / 'lives.db'}")
    assert on_pg[0] == [
        ("Eve", date(2026, 12, 31), 36),
        ("New Year", date(2027, 1, 2), None),
        ("Leap Year", date(2027, 2, 28), 27),
    ]
    # 120.10 × 0.86 + 99.99 × 0.79 + 250 = 103.286 + 78.9921 + 250 = 432.28
    assert on_pg[1]["total_spent"] == "432.28"
