"""Time sync: a first CardDAV sync of 5,000 cards from a real Radicale, a sync with nothing
changed, and the reminder feed of a large network.

    python -m bench.sync                              # 5,000 cards; the feed of L
    python -m bench.sync --cards 30 --size T --runs 1 # a smoke run

Targets: first sync of 5,000 cards <= 60 s; a sync with nothing changed <= 2 s; the feed of L
<= 300 ms. The cards are uploaded to Radicale as one address book first (not timed). Radicale
itself does most of a first sync's work: cards written in one upload have no sync history yet,
so its first sync-collection writes a history entry per card (and waits for the disk on each);
cards a phone writes one by one get theirs as they are written. Each sync line says how long
the server took to answer and how long mentormap's own work took.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.generate import SIZES, network, settings_for
from mentormap.db import Database
from mentormap.services.sync.report import SyncReport
from mentormap.services.sync.sources import add_source, run_sources
from mentormap.services.unit import open_ctx


def card(n: int) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:bench-{n}\r\nFN:Bench Person{n}\r\nN:Person{n};Bench;;;\r\n"
        f"EMAIL;TYPE=work:bench{n}@example.org\r\nTEL;TYPE=cell:+44 7700 9{n:05d}\r\n"
        f"ORG:Company {n % 97}\r\nTITLE:Engineer\r\nADR:;;;City{n % 31};;;UK\r\n"
        f"NOTE:Met at meetup {n}\r\nX-PHONE-APP:kept {n}\r\nEND:VCARD\r\n"
    )


def carddav(cards: int) -> None:
    from tests.sync.radicale import radicale_server

    with tempfile.TemporaryDirectory() as folder, radicale_server(Path(folder)) as server:
        user = server.new_user()
        url = server.collection(user, "contacts")
        with server.client(user, timeout=1800) as http:
            started = time.monotonic()
            answer = http.put(
                f"/{user}/contacts/",
                content="".join(card(n) for n in range(cards)),
                headers={"Content-Type": "text/vcard"},
            )
            assert answer.status_code in (201, 204), answer.text
            print(f"upload of {cards:,} cards to Radicale: {time.monotonic() - started:.1f} s")
        db = Database.open(settings_for(Path(folder) / "sync.db"))
        try:
            with open_ctx(db) as ctx:
                add_source(
                    ctx, "bench", kind="carddav", url=url, user=user, password_command="echo x"
                )
            first, report = _timed_run(db)
            verdict = "met" if first <= 60 or cards < 5000 else "MISSED"
            print(
                f"first CardDAV sync of {cards:,} cards: {first:.1f} s "
                f"({report.created:,} people made; {_server(report, first)}; "
                f"target <= 60 s at 5,000: {verdict})"
            )
            again, report = _timed_run(db)
            counts = ", ".join(f"{v} {k}" for k, v in report.counts().items())
            verdict = "met" if again <= 2 else "MISSED"
            print(
                f"sync with nothing changed: {again:.2f} s ({counts}; {_server(report, again)}; "
                f"target <= 2 s: {verdict})"
            )
        finally:
            db.close()


def _server(report: SyncReport, wall: float) -> str:
    """How much of a run was the server's: its answers' wait, beside the run's own time."""
    ours = max(wall - report.server_seconds, 0.0)
    return (
        f"the server answered {report.requests} request{'s' if report.requests != 1 else ''} "
        f"in {report.server_seconds:.2f} s, "
        f"mentormap's own work {ours:.2f} s"
    )


def _timed_run(db: Database) -> tuple[float, SyncReport]:
    started = time.monotonic()
    with open_ctx(db) as ctx:
        [report] = run_sources(ctx, "bench")
    return time.monotonic() - started, report


def feed(size: str, runs: int) -> None:
    from mentormap.services.sync.feed import feed_text

    db = Database.open(settings_for(network(size)))
    try:
        walls = []
        events = 0
        for _ in range(runs + 1):
            started = time.perf_counter()
            with open_ctx(db) as ctx:
                text = feed_text(ctx)
            walls.append((time.perf_counter() - started) * 1000)
            events = text.count("BEGIN:VEVENT")
        median = statistics.median(walls[1:])
        verdict = ""
        if size in ("L", "XL"):
            verdict = "; target <= 300 ms: " + ("met" if median <= 300 else "MISSED")
        print(
            f"feed of {size} ({events:,} events): first {walls[0]:.0f} ms, median of the next "
            f"{runs} {median:.0f} ms{verdict}"
        )
    finally:
        db.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000, help="Cards on the server.")
    parser.add_argument("--size", choices=list(SIZES), default="L", help="Network of the feed.")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs of the feed.")
    args = parser.parse_args(argv)
    print(
        f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    carddav(args.cards)
    feed(args.size, args.runs)


if __name__ == "__main__":
    main()
