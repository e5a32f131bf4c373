"""Time the daily agenda: in-process on S and L, and `mentormap today --json` on the last size.

    python -m bench.today            # builds bench/data/{S,L}.db on first use (L takes ~30 s)
    python -m bench.today --sizes L XL   # XL only when asked: building it takes minutes

Targets (DESIGN.md, issue 11): agenda on L and XL <= 150 ms in-process; `mentormap today --json`
on L <= 1.25 times `python -c "import sqlalchemy.orm"`, medians of 5, measured side by side.
Also prints the query plans of the main queries.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import SIZES, TODAY, compile_package, network, settings_for
from mentormap.db import Database
from mentormap.services.clock.owed_replies import owed_replies_query
from mentormap.services.clock.standing import due_query
from mentormap.services.clock.today import compute_today
from mentormap.services.unit import open_ctx

RUNS = 5


def in_process(path: Path, runs: int = RUNS) -> tuple[float, float, float, str]:
    """First run, median wall and median CPU of the next `runs` runs (ms), and what it held."""
    db = Database.open(settings_for(path))
    times = []
    cpu = []
    with open_ctx(db) as ctx:
        for _ in range(runs + 1):
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


def cli_wall(path: Path, runs: int = RUNS) -> tuple[list[float], list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each `mentormap today --json` run, and the wall
    time of `python -c "import sqlalchemy.orm"` run alternately with it."""
    env = dict(
        os.environ,
        MENTORMAP_DB=str(path),
        MENTORMAP_TODAY=TODAY.isoformat(),
        MENTORMAP_TZ="Europe/London",
    )
    compile_package()
    script = Path(sys.executable).with_name("mentormap")  # what the user runs
    today_command = [str(script), "today", "--json"]
    baseline_command = [sys.executable, "-c", "import sqlalchemy.orm"]
    times = []
    cpu = []
    baseline = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(baseline_command, env=env, check=True)
        baseline.append(time.perf_counter() - started)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(today_command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu, baseline


def plans(path: Path) -> None:
    db = Database.open(settings_for(path))
    with open_ctx(db) as ctx:
        for title, query in (
            ("due people", due_query(ctx)),
            (
                "owed replies",
                owed_replies_query(ctx.owner_id, ctx.today(), ctx.today().replace(day=1)),
            ),
        ):
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            print(f"\nEXPLAIN QUERY PLAN — {title}")
            for row in ctx.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql):
                print("  " * (1 + (row[1] > 0)) + row[3])
    db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["S", "L"])
    parser.add_argument("--runs", type=int, default=RUNS, help="Timed runs of each figure.")
    args = parser.parse_args(argv)
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    for size in args.sizes:
        path = network(size)
        first, median, cpu, held = in_process(path, args.runs)
        verdict = ""
        if size in ("L", "XL"):
            verdict = "  (target <= 150 ms: " + ("met)" if median <= 150 else "MISSED)")
        print(
            f"agenda in-process, {size}: first run {first:.0f} ms, median of the next "
            f"{args.runs} {median:.1f} ms wall, {cpu:.1f} ms CPU{verdict}"
        )
        print(f"  {held}")
    last = args.sizes[-1]
    walls, cpus, baseline = cli_wall(network(last), args.runs)
    median = statistics.median(walls)
    ratio = median / statistics.median(baseline)
    verdict = "met" if ratio <= 1.25 else "MISSED"
    print(
        f"`mentormap today --json` on {last}: median of {args.runs} {median:.3f} s wall, "
        f"{statistics.median(cpus):.3f} s CPU (walls: {', '.join(f'{w:.3f}' for w in walls)}); "
        f"`import sqlalchemy.orm` {statistics.median(baseline):.3f} s; ratio {ratio:.2f} "
        f"(target <= 1.25: {verdict})"
    )
    plans(network(last))


if __name__ == "__main__":
    main()
