"""Time `mentormap people list` as a user runs it: on a terminal and piped, and `--json`.

    python -m bench.lists                  # M (5,000 people) and L (20,000), built on first use
    python -m bench.lists --sizes T --runs 1   # a smoke run (tests/test_bench.py)

Targets (issue 11): `people list` <= 0.4 s wall for 5,000 people and <= 1.5 s for L, on a
terminal and piped; `--json` of L <= 1 s. Beside them it prints what every command pays before
it reads a row (`mentormap --version`, `import sqlalchemy.orm`, loading the models), measured
alternately in the same run, so the figures say how much of a list is start-up.
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import SIZES, TODAY, compile_package, network

RUNS = 5


def command_env(path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        MENTORMAP_DB=str(path),
        MENTORMAP_TODAY=TODAY.isoformat(),
        MENTORMAP_TZ="Europe/London",
        COLUMNS="120",
    )


def wall(command: list[str], env: dict[str, str], terminal: bool = False) -> float:
    """Seconds for one run; on a pseudo-terminal when `terminal`, else piped into a file."""
    started = time.perf_counter()
    if terminal:
        leader, follower = pty.openpty()
        process = subprocess.Popen(command, env=env, stdout=follower, stderr=follower)
        os.close(follower)
        while True:  # drain what it draws, as a terminal would
            try:
                if not os.read(leader, 65536):
                    break
            except OSError:  # the other end closed
                break
        process.wait()
        os.close(leader)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed on a terminal")
    else:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["M", "L"])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    compile_package()
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    script = str(Path(sys.executable).with_name("mentormap"))
    floors = {
        "`mentormap --version`": [script, "--version"],
        "`import sqlalchemy.orm`": [sys.executable, "-c", "import sqlalchemy.orm"],
        "loading the models": [sys.executable, "-c", "import mentormap.models"],
    }
    for size in args.sizes:
        path = network(size)
        env = command_env(path)
        people = SIZES[size][0]
        timed: dict[str, list[float]] = {name: [] for name in floors}
        shown = {
            "on a terminal": ([script, "people", "list"], True),
            "piped": ([script, "people", "list"], False),
            "--json": ([script, "people", "list", "--json"], False),
        }
        lists: dict[str, list[float]] = {name: [] for name in shown}
        for _ in range(args.runs):
            for name, command in floors.items():
                timed[name].append(wall(command, env))
            for name, (command, terminal) in shown.items():
                lists[name].append(wall(command, env, terminal))
        target = 0.4 if people <= 5_000 else 1.5
        for name, walls in lists.items():
            median = statistics.median(walls)
            goal = 1.0 if name == "--json" and size == "L" else target
            verdict = "met" if median <= goal else "MISSED"
            note = f" (target <= {goal} s: {verdict})" if size in ("M", "L") else ""
            print(f"people list {name}, {size} ({people:,} people): median {median:.3f} s{note}")
        start = ", ".join(f"{name} {statistics.median(t):.3f} s" for name, t in timed.items())
        print(f"  start-up in the same run: {start}")


if __name__ == "__main__":
    main()
