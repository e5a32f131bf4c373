"""Time the conversation-prep paths on a demo network of a given size.

.venv/bin/python -m bench.prep --people 1000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from mentormap.db import Database
from mentormap.services.conversations.highlights import draft_highlights
from mentormap.services.conversations.prep import group_brief, person_brief
from mentormap.services.demo.network import build_demo
from mentormap.services.people.resolve import find_group, find_person
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.db'}",
            timezone=ZoneInfo("Europe/London"),
            today_override=date(2026, 11, 25),
        )
        db = Database.open(settings)
        started = time.perf_counter()
        with open_ctx(db) as ctx:
            counts = build_demo(ctx, size=args.people)
        print(f"built {counts} in {time.perf_counter() - started:.1f}s")
        with open_ctx(db) as ctx:
            dana = find_person(ctx, "Dana Whitfield")
            margaret = find_person(ctx, "Margaret Okafor")
            group = find_group(ctx, "Leadership circle")
            paths: dict[str, Callable[[], object]] = {
                "prep sponsor+role model": lambda: person_brief(ctx, dana),
                "prep visionary": lambda: person_brief(ctx, margaret),
                "prep group": lambda: group_brief(ctx, group),
                "highlights draft": lambda: draft_highlights(ctx, margaret),
            }
            for name, run in paths.items():
                print(f"{name:26} {_median_ms(run, args.repeat):7.1f} ms median")
        db.close()


if __name__ == "__main__":
    main()
