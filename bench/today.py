"""Time the daily agenda: in-process on S and L, and `mentormap today --json` on L.

    python -m bench.today            # builds bench/data/{S,L}.db on first use (L takes ~30 s)

Targets (DESIGN.md): agenda on L <= 150 ms in-process; `mentormap today --json` on L <= 0.5 s
wall time, median of 5. Also prints the query plans of the main queries.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import TODAY, network, settings_for
from mentormap.db import Database
from mentormap.services.context import open_ctx
from mentormap.services.owed_replies import owed_replies_query
from mentormap.services.standing import due_query
from mentormap.services.today import compute_today

RUNS = 5


def in_process(path: Path) -> tuple[float, float, float, str]:
    """First run, median wall and median CPU of the next RUNS runs (ms), and what it held."""
    db = Database.open(settings_for(path))
    times = []
    cpu = []
    with open_ctx(db) as ctx:
        for _ in range(RUNS + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            agenda = compute_today(ctx)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    db.close()
    held = (
        f"shown: {len(agenda.due)} due, {len(agenda.owed_replies)} owed replies, "
        f"{len(agenda.follow_ups)} follow-ups; left for --all: {agenda.hidden}"
    )
    return times[0], statistics.median(times[1:]), statistics.median(cpu[1:]), held


def cli_wall(path: Path) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each `mentormap today --json` run."""
    mentormap = Path(sys.executable).with_name("mentormap")
    env = dict(
        os.environ,
        MENTORMAP_DB=str(path),
        MENTORMAP_TODAY=TODAY.isoformat(),
        MENTORMAP_TZ="Europe/London",
    )
    times = []
    cpu = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [str(mentormap), "today", "--json"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def plans(path: Path) -> None:
    db = Database.open(settings_for(path))
    with open_ctx(db) as ctx:
        for title, query in (
            ("due people", due_query(ctx)),
            ("owed replies", owed_replies_query(ctx, ctx.today().replace(day=1))),
        ):
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            print(f"\nEXPLAIN QUERY PLAN — {title}")
            for row in ctx.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql):
                print("  " * (1 + (row[1] > 0)) + row[3])
    db.close()


def main() -> None:
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    for size in ("S", "L"):
        path = network(size)
        first, median, cpu, held = in_process(path)
        verdict = ""
        if size == "L":
            verdict = "  (target <= 150 ms: " + ("met)" if median <= 150 else "MISSED)")
        print(
            f"agenda in-process, {size}: first run {first:.0f} ms, median of the next {RUNS} "
            f"{median:.1f} ms wall, {cpu:.1f} ms CPU{verdict}"
        )
        print(f"  {held}")
    walls, cpus = cli_wall(network("L"))
    median = statistics.median(walls)
    verdict = "met" if median <= 0.5 else "MISSED"
    print(
        f"`mentormap today --json` on L: median of {RUNS} {median:.3f} s wall, "
        f"{statistics.median(cpus):.3f} s CPU "
        f"(walls: {', '.join(f'{w:.3f}' for w in walls)}; target <= 0.5 s: {verdict})"
    )
    plans(network("L"))


if __name__ == "__main__":
    main()
