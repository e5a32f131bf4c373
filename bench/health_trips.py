"""Time the health report and a trip plan on a bench network.

    python -m bench.health_trips S
    python -m bench.health_trips L

Each run works inside one transaction that is rolled back, so the cached network stays as built.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from bench.generate import network, settings_for
from mentormap.db import Database
from mentormap.services.health.report import network_health
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
        for _ in range(3):
            started = time.perf_counter()
            report = network_health(ctx)
            samples.append(time.perf_counter() - started)
        print(f"{size} health: median {median_ms(samples)} of 3 ({report.people} people)")
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
