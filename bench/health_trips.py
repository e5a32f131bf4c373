"""Time the health report and a trip plan on the S or L network: python -m bench.health_trips L"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from bench.generate import network, settings_for
from mentormap.db import Database
from mentormap.services.cities import city_index
from mentormap.services.context import open_ctx
from mentormap.services.health import network_health
from mentormap.services.trips import add_trip, plan_trip

size = sys.argv[1]
db = Database.open(settings_for(network(size)))
t = time.perf_counter()
city_index()
print(f"city index build: {time.perf_counter() - t:.2f} s")
times = []
for _ in range(3):
    with open_ctx(db) as ctx:
        t = time.perf_counter()
        r = network_health(ctx)
        times.append(time.perf_counter() - t)
        ctx.session.rollback()
print(
    f"{size} health: median {statistics.median(times) * 1000:.0f} ms over 3 (people {r.people}, overall {r.overall})"
)
with open_ctx(db) as ctx:
    trip = add_trip(ctx, "London", date(2026, 12, 1), date(2026, 12, 3)).trip
    times = []
    for _ in range(5):
        t = time.perf_counter()
        p = plan_trip(ctx, f"#{trip.id}", 50)
        times.append(time.perf_counter() - t)
    print(
        f"{size} trip plan London 50 km: median {statistics.median(times) * 1000:.0f} ms, {len(p.people)} people"
    )
    ctx.session.rollback()
