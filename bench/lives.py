"""Time their lives and money: the week's birthdays, a year of them (a calendar feed's range),
recent news, and the health report's money area, on many people and payments.

    .venv/bin/python -m bench.lives --people 20000 --payments 20000

Targets: the week's birthdays and news (read by every `today`) under 30 ms on 20,000 people
(one query each); the money area under 60 ms on 20,000 payments in four currencies with rates
set (two aggregate queries). A year of birthdays (a calendar feed's range) is one query too, but
builds a row per birthday in Python: about 0.5 s for 20,000 (measured on a shared machine).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from mentormap.db import Database
from mentormap.models import Base, Expense, LifeEvent, Person
from mentormap.services.health.ledger import money
from mentormap.services.people.lives import birthdays_this_week, recent_news, upcoming_birthdays
from mentormap.services.preferences import all_preferences, set_preference
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

TODAY = date(2026, 11, 25)
CURRENCIES = ("GBP", "EUR", "USD", "CHF")


def _median_ms(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def build(path: Path, people: int, payments: int) -> Database:
    settings = Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo("Europe/London"), today_override=TODAY
    )
    db = Database.open(settings)
    rng = random.Random(16)
    with open_ctx(db) as ctx:
        owner = ctx.owner_id
        rows = []
        for n in range(people):
            day = date(2000, 1, 1) + timedelta(days=rng.randrange(366))
            year = rng.choice([None, rng.randrange(1950, 2005)])
            birthday = f"--{day:%m-%d}" if year is None else f"{year}-{day:%m-%d}"
            if birthday.endswith("02-29") and year is not None and year % 4:
                birthday = f"{year}-02-28"
            rows.append({"owner_id": owner, "name": f"Person {n}", "birthday": birthday})
        ctx.session.execute(insert(Base.metadata.tables[Person.__tablename__]), rows)
        ctx.session.execute(
            insert(LifeEvent),
            [
                {
                    "owner_id": owner,
                    "person_id": rng.randrange(1, people + 1),
                    "occurred_on": TODAY - timedelta(days=rng.randrange(400)),
                    "kind": "other",
                    "text": "news",
                }
                for _ in range(people // 4)
            ],
        )
        ctx.session.execute(
            insert(Expense),
            [
                {
                    "owner_id": owner,
                    "spent_on": TODAY - timedelta(days=rng.randrange(700)),
                    "amount": Decimal(rng.randrange(1000, 90000)) / 100,
                    "currency": rng.choice(CURRENCIES),
                    "category": rng.choice(["coaching", "course", "conference", "other"]),
                }
                for _ in range(payments)
            ],
        )
        set_preference(ctx, "currency", "GBP")
        set_preference(ctx, "coaching_budget", "5000")
        for code, rate in (("EUR", "0.86"), ("USD", "0.79"), ("CHF", "0.9")):
            set_preference(ctx, f"rate.{code}", rate)
    return db


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--payments", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db = build(Path(folder) / "lives.db", args.people, args.payments)
        print(
            f"built {args.people} people with birthdays and {args.payments} payments "
            f"in {time.perf_counter() - started:.1f} s"
        )
        with open_ctx(db) as ctx:
            prefs = all_preferences(ctx)
            year_end = TODAY + timedelta(days=364)
            for label, run in (
                ("birthdays this week", lambda: birthdays_this_week(ctx)),
                ("birthdays for a year", lambda: upcoming_birthdays(ctx, TODAY, year_end)),
                ("news of two weeks", lambda: recent_news(ctx)),
                ("money area", lambda: money(ctx, prefs, TODAY)),
            ):
                ms, result = _median_ms(run, args.repeat)
                size = len(result) if isinstance(result, list) else "-"
                print(f"{label}: {ms:.1f} ms (median of {args.repeat}; {size} rows)")
        db.close()


if __name__ == "__main__":
    main()
