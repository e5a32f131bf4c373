"""Time imports and the backup: 30,000 LinkedIn rows, 10,000 vCards into 20,000 people, 8,000
rows sharing one surname, a 50 MB vCard preview, L backup.

    python -m bench.interop            # all of them
    python -m bench.interop --skip-l   # without the L backup/restore (which needs bench/data/L.db)
    python -m bench.interop --scale 0.001 --size T   # a smoke run: every path, tiny inputs

Each figure is wall time of the service call inside one transaction, commit included. The L
backup and restore each run in a process of their own, so that their peak memory (max RSS,
target for the restore: under 400 MB) is theirs alone.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import SIZES, build_network, network, settings_for
from mentormap.db import Database
from mentormap.services.demo.data import COMPANIES, FIRST_NAMES, LAST_NAMES, TITLES
from mentormap.services.interop.backup import backup_chunks, restore
from mentormap.services.interop.files import write_atomically
from mentormap.services.interop.imports import import_file
from mentormap.services.unit import open_ctx

PREAMBLE = (
    'Notes:\r\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\r\n\r\n'
)


def linkedin_csv(rows: int, seed: int = 3) -> bytes:
    rng = random.Random(seed)
    lines = [PREAMBLE + "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for n in range(rows):
        first, last = rng.choice(FIRST_NAMES), f"{rng.choice(LAST_NAMES)}{n}"
        email = f"{first.lower()}.{n}@example.com" if rng.random() < 0.3 else ""
        lines.append(
            f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{n},{email},"
            f'"{rng.choice(COMPANIES)}","{rng.choice(TITLES)}",'
            f"{rng.randint(1, 28):02d} {rng.choice(months)} {rng.randint(2010, 2026)}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def vcards(count: int, existing: list[tuple[str, str]], seed: int = 4) -> bytes:
    """A third are people already in the database (same name and company), a tenth repeat."""
    rng = random.Random(seed)
    cards: list[str] = []
    for n in range(count):
        if rng.random() < 0.33:
            name, company = rng.choice(existing)
        else:
            name, company = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} v{n}", "Initech"
        if rng.random() < 0.1 and cards:
            cards.append(rng.choice(cards))
            continue
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{name}\r\nORG:{company}\r\n"
            f"EMAIL;TYPE=work:card{n}@example.org\r\n"
            f"TEL;TYPE=cell:+44 7700 {n:06d}\r\n"
            "END:VCARD\r\n"
        )
    return "".join(cards).encode()


def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = work()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def bench_linkedin(folder: Path, scale: float = 1.0) -> None:
    rows = _scaled(30_000, scale)
    data = linkedin_csv(rows)
    db = Database.open(settings_for(folder / "linkedin.db"))

    def run() -> Any:
        with open_ctx(db) as ctx:
            return import_file(ctx, data)

    plan = timed(f"import {rows:,} LinkedIn rows into an empty database (target <= 3 s)", run)
    print(f"  plan: {plan.counts}")
    db.close()


def bench_vcards(folder: Path, scale: float = 1.0) -> None:
    people, cards = _scaled(20_000, scale), _scaled(10_000, scale)
    path = folder / "people.db"
    build_network(path, people, people)
    db = Database.open(settings_for(path))
    with open_ctx(db) as ctx:
        from sqlalchemy import select

        from mentormap.models import Person

        existing = [
            (n, c or "") for n, c in ctx.session.execute(select(Person.name, Person.company))
        ]
    data = vcards(cards, existing)

    def run() -> Any:
        with open_ctx(db) as ctx:
            return import_file(ctx, data)

    plan = timed(f"import {cards:,} vCards into {people:,} people (duplicate checks included)", run)
    print(f"  plan: {plan.counts}")
    db.close()


def _backup_or_restore(mode: str, db_path: Path, backup: Path) -> None:
    """One L backup or restore, in this process; prints its time, peak memory and size."""
    db = Database.open(settings_for(db_path))
    started = time.perf_counter()
    with open_ctx(db) as ctx:
        if mode == "backup":
            size = f"{write_atomically(backup, backup_chunks(ctx)) / 1e6:.0f} MB"
        else:
            size = f"{restore(ctx, backup).total:,} rows"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{seconds:.2f} s, peak {peak:.0f} MB, {size}", flush=True)
    db.close()


def same_surname_csv(rows: int, seed: int = 5) -> bytes:
    """Rows all called Smith at one employer: matching once compared each with every Smith."""
    rng = random.Random(seed)
    lines = ["name,email,company"]
    for n in range(rows):
        first = f"{rng.choice(FIRST_NAMES)}{rng.choice('abcdefghij')}{n}"
        lines.append(f"{first} Smith,smith{n}@example.com,Initech")
    return ("\n".join(lines) + "\n").encode()


def bench_same_surname(folder: Path, scale: float = 1.0) -> None:
    rows = _scaled(8_000, scale)
    data = same_surname_csv(rows)
    db = Database.open(settings_for(folder / "smiths.db"))

    def run() -> Any:
        with open_ctx(db) as ctx:
            return import_file(ctx, data)

    plan = timed(f"import {rows:,} rows sharing one surname and employer (was 40 s)", run)
    print(f"  plan: {plan.counts}")
    db.close()


def big_vcard(megabytes: float = 50) -> bytes:
    """About `megabytes` of cards, each with a note, as an address book of a lifetime might be."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\n"
        "EMAIL;TYPE=work:person{n}@example.org\r\nTEL;TYPE=cell:+44 7700 {n:06d}\r\n"
        "ORG:Initech\r\nNOTE:" + "Met at a conference and talked about careers. " * 4 + "\r\n"
        "END:VCARD\r\n"
    )
    size = len(card.format(n=0))
    count = max(1, int(megabytes * 1_000_000) // size)
    return "".join(card.format(n=n) for n in range(count)).encode()


def bench_big_preview(folder: Path, scale: float = 1.0) -> None:
    data = big_vcard(50 * scale)
    db = Database.open(settings_for(folder / "preview.db"))

    def run() -> Any:
        with open_ctx(db) as ctx:
            return import_file(ctx, data, dry_run=True)

    plan = timed(f"dry run of a {len(data) / 1e6:.0f} MB vCard file", run)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  plan: {plan.counts}; peak RSS of this process so far {peak:.0f} MB")
    db.close()


def bench_backup(folder: Path, size: str = "L") -> None:
    people, interactions = SIZES[size]
    source = folder / f"{size}.db"
    shutil.copy(network(size), source)
    out = folder / "L.json"
    target = folder / "restored.db"
    Database.open(settings_for(target)).close()
    for label, mode, path in (
        (f"backup of {size} ({people:,} people, {interactions:,} interactions)", "backup", source),
        ("restore of that backup into an empty database (peak target < 400 MB)", "restore", target),
    ):
        figures = subprocess.run(
            [sys.executable, "-m", "bench.interop", "--one", mode, str(path), str(out)],
            cwd=Path(__file__).parent.parent,  # where `bench` imports from
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"{label}: {figures}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-l", action="store_true", help="Skip the backup and restore.")
    parser.add_argument("--size", choices=list(SIZES), default="L", help="Network to back up.")
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply every input size.")
    parser.add_argument("--one", nargs=3, metavar=("MODE", "DB", "BACKUP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        mode, db_path, backup = args.one
        _backup_or_restore(mode, Path(db_path), Path(backup))
        return
    with tempfile.TemporaryDirectory(prefix="mentormap-bench-") as name:
        folder = Path(name)
        bench_linkedin(folder, args.scale)
        bench_vcards(folder, args.scale)
        bench_same_surname(folder, args.scale)
        bench_big_preview(folder, args.scale)
        if not args.skip_l:
            bench_backup(folder, args.size)


if __name__ == "__main__":
    main()
