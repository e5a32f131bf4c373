"""Time the health report and a trip plan on a bench network.

    python -m bench.health_trips S
    python -m bench.health_trips L

Each run works inside one transaction that is rolled back, so the cached network stays as built.
The first report works out the kept history from nothing (as after an upgrade or a restore); the
next ones read it, and one after a backdated lunch works out only the three people in it.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from sqlalchemy import select

from bench.generate import network, settings_for
from mentormap.db import Database
from mentormap.models import Person
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.health.report import network_health
from mentormap.services.health.spans import forget
from mentormap.services.travel.cities import city_index
from mentormap.services.travel.trips import add_trip, plan_trip
from mentormap.services.unit import open_ctx


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "S"
    db = Database.open(settings_for(network(size)))
    started = time.perf_counter()
    city_index()
    print(f"city index build: {time.perf_counter() - started:.2f} s")
    samples = []
    with open_ctx(db) as ctx:
        forget(ctx)  # the kept history, worked out from nothing by the first report
        started = time.perf_counter()
        report = network_health(ctx)
        first = median_ms([time.perf_counter() - started])
        print(f"{size} health, first report (works out the kept history): {first}")
        for _ in range(3):
            started = time.perf_counter()
            report = network_health(ctx)
            samples.append(time.perf_counter() - started)
        print(f"{size} health: median {median_ms(samples)} of 3 ({report.people} people)")
        someone = ctx.session.scalars(select(Person).order_by(Person.id).limit(3)).all()
        log_interaction(ctx, list(someone), kind="lunch", on=date(2026, 2, 10))  # backdated
        started = time.perf_counter()
        network_health(ctx)
        after = median_ms([time.perf_counter() - started])
        print(f"{size} health after a backdated lunch with 3: {after}")
        trip = add_trip(ctx, "London", date(2026, 12, 1), date(2026, 12, 3)).trip
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            plan = plan_trip(ctx, f"#{trip.id}", 50)
            samples.append(time.perf_counter() - started)
        print(f"{size} trip plan, 50 km: median {median_ms(samples)} ({len(plan.people)} people)")
        ctx.session.rollback()


if __name__ == "__main__":
    main()
