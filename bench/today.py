"""Time the daily agenda: in-process on S and L, and `mentormap today --json` on L.

    python -m bench.today            # builds bench/data/{S,L}.db on first use (L takes ~30 s)

Targets (DESIGN.md): agenda on L <= 150 ms in-process; `mentormap today --json` on L <= 0.5 s
wall time, median of 5. Also prints the query plans of the main queries.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import TODAY, network, settings_for
from mentormap.db import Database
from mentormap.services.context import open_ctx
from mentormap.services.keep_in_touch import due_people_query, owed_replies_query
from mentormap.services.today import compute_today

RUNS = 5


def in_process(path: Path) -> tuple[float, float, str]:
    """(first run, median of the next RUNS runs) in ms, and what the agenda held."""
    db = Database.open(settings_for(path))
    times = []
    with open_ctx(db) as ctx:
        for _ in range(RUNS + 1):
            started = time.perf_counter()
            agenda = compute_today(ctx)
            times.append((time.perf_counter() - started) * 1000)
    db.close()
    held = (
        f"shown: {len(agenda.due)} due, {len(agenda.owed_replies)} owed replies, "
        f"{len(agenda.follow_ups)} follow-ups; left for --all: {agenda.hidden}"
    )
    return times[0], statistics.median(times[1:]), held


def cli_wall(path: Path) -> list[float]:
    mentormap = Path(sys.executable).with_name("mentormap")
    env = dict(
        os.environ,
        MENTORMAP_DB=str(path),
        MENTORMAP_TODAY=TODAY.isoformat(),
        MENTORMAP_TZ="Europe/London",
    )
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            [str(mentormap), "today", "--json"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return times


def plans(path: Path) -> None:
    db = Database.open(settings_for(path))
    with open_ctx(db) as ctx:
        for title, query in (
            ("due people", due_people_query(ctx, ctx.today())),
            ("owed replies", owed_replies_query(ctx, ctx.today().replace(day=1))),
        ):
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            print(f"\nEXPLAIN QUERY PLAN — {title}")
            for row in ctx.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql):
                print("  " * (1 + (row[1] > 0)) + row[3])
    db.close()


def main() -> None:
    for size in ("S", "L"):
        path = network(size)
        first, median, held = in_process(path)
        verdict = (
            ""
            if size == "S"
            else ("  (target <= 150 ms: met)" if median <= 150 else "  (target <= 150 ms: MISSED)")
        )
        print(
            f"agenda in-process, {size}: first run {first:.0f} ms, "
            f"median of the next {RUNS} {median:.1f} ms{verdict}"
        )
        print(f"  {held}")
    walls = cli_wall(network("L"))
    median = statistics.median(walls)
    verdict = "met" if median <= 0.5 else "MISSED"
    print(
        f"`mentormap today --json` on L: median of {RUNS} {median:.3f} s "
        f"(runs: {', '.join(f'{w:.3f}' for w in walls)}; target <= 0.5 s: {verdict})"
    )
    plans(network("L"))


if __name__ == "__main__":
    main()
