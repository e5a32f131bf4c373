"""Generate benchmark networks quickly: T (300 people, 3k interactions), S (500, 10k),
M (5k, 250k), L (20k, 1M), XL (100k, 5M).

    python -m bench.generate L            # builds bench/data/L.db once, reuses it afterwards
    python -m bench.generate S --fresh    # rebuild
    python -m bench.generate XL           # only on demand: minutes, and about 1 GB on disk

T is for the test suite's smoke runs of every bench (tests/test_bench.py). Networks go to
bench/data, or to $MENTORMAP_BENCH_DATA when set.

Rows go in through executemany on the driver's connection: the ORM would take minutes for L.
The schema itself comes from the real migrations (Database.open), so benchmarks run on exactly
what users have. As in a restore, the triggers that keep derived data (the search index, the
clocks' check days, owed replies) are set aside while the rows go in, and that data is then
worked out once by the same service functions a restore uses.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from mentormap.db import Database
from mentormap.domain.folding import fold
from mentormap.domain.roles import RoleKey
from mentormap.domain.vocab import InteractionKind
from mentormap.services.clock.checks import (
    recheck_everything,
    resume_triggers,
    suspend_triggers,
)
from mentormap.services.conversations.interactions import refresh_every_last_contact
from mentormap.services.demo.data import CITIES, COMPANIES, FIRST_NAMES, LAST_NAMES, TITLES
from mentormap.services.search.index import rebuild as rebuild_search_index
from mentormap.services.search.index import suspend as suspend_search_index
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

SIZES = {
    "T": (300, 3_000),
    "S": (500, 10_000),
    "M": (5_000, 250_000),
    "L": (20_000, 1_000_000),
    "XL": (100_000, 5_000_000),
}
DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 25)
ZONE = ZoneInfo("Europe/London")
ROLE_WEIGHTS = {
    RoleKey.CONTACT: 70,
    RoleKey.FRIEND: 4,
    RoleKey.WORK_FRIEND: 5,
    RoleKey.PEER: 3,
    RoleKey.ROLE_MODEL: 2,
    RoleKey.VISIONARY: 1,
    RoleKey.COACH: 1,
    RoleKey.CHAMPION: 3,
    RoleKey.SPONSOR: 2,
    RoleKey.MENTEE: 4,
}


def settings_for(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}", timezone=ZONE, today_override=TODAY)


def build_network(path: Path, people: int, interactions: int, seed: int = 1) -> None:
    """Write a network of the given size into a new SQLite file at `path`."""
    if path.exists():
        path.unlink()
    rng = random.Random(seed)
    db = Database.open(settings_for(path))
    with open_ctx(db) as ctx:
        indexed = suspend_search_index(ctx)
        marking = suspend_triggers(ctx)
        _fill(ctx.session.connection(), rng, people, interactions)
        refresh_every_last_contact(ctx)
        if indexed:
            rebuild_search_index(ctx)
        resume_triggers(ctx, marking)
        recheck_everything(ctx)  # the unit settles them as it ends
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    db.close()


def _fill(connection: Connection, rng: random.Random, people: int, interactions: int) -> None:
    def many(statement: str, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            connection.exec_driver_sql(statement, list(rows))

    now = datetime(2026, 11, 25, 9, 0)
    person_rows = []
    for pid in range(1, people + 1):
        city, country, zone, lat, lon = rng.choice(CITIES)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {pid}"
        person_rows.append(
            (
                pid,
                1,
                name,
                fold(name),
                rng.choice(COMPANIES),
                rng.choice(TITLES),
                city,
                country,
                zone,
                lat,
                lon,
                0 if rng.random() > 0.02 else 1,
                now,
                now,
            )
        )
    many(
        "INSERT INTO people (id, owner_id, name, name_key, company, title, city, country, "
        "timezone, latitude, longitude, archived, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        person_rows,
    )
    keys = list(ROLE_WEIGHTS)
    weights = list(ROLE_WEIGHTS.values())
    role_rows = []
    for pid in range(1, people + 1):
        since = TODAY - timedelta(days=rng.randint(30, 2000))
        picked = set(rng.choices(keys, weights, k=rng.choice([1, 1, 1, 2])))
        for key in sorted(picked, key=keys.index):  # a set's order changes from run to run
            role_rows.append((1, pid, key.value, since))
    many("INSERT INTO roles (owner_id, person_id, key, since) VALUES (?,?,?,?)", role_rows)
    kinds = [k.value for k in InteractionKind if k != InteractionKind.GROUP_SESSION]
    span = 3 * 365
    batch_i: list[tuple[object, ...]] = []
    batch_p: list[tuple[object, ...]] = []
    for iid in range(1, interactions + 1):
        on = TODAY - timedelta(days=int(span * rng.random() ** 1.5))
        at = datetime.combine(on, datetime.min.time(), ZONE) + timedelta(
            minutes=rng.randint(7 * 60, 21 * 60)
        )
        inbound = rng.random() < 0.15
        batch_i.append(
            (
                iid,
                1,
                at.astimezone(UTC).replace(tzinfo=None),
                on,
                rng.choice(kinds),
                "inbound" if inbound else rng.choice(["outbound", "mutual"]),
                "Talked about the roadmap and her new team." if rng.random() < 0.3 else None,
                1 if inbound and rng.random() < 0.1 else 0,
                0,
                "bench",
                now,
            )
        )
        first = rng.randint(1, people)
        batch_p.append((iid, first, 1))
        if rng.random() < 0.05:
            second = rng.randint(1, people)
            if second != first:
                batch_p.append((iid, second, 1))
        if len(batch_i) >= 50_000:
            _flush(many, batch_i, batch_p)
    _flush(many, batch_i, batch_p)
    follow_rows = []
    for n in range(max(10, people // 10)):
        pid = rng.randint(1, people)
        due = TODAY + timedelta(days=rng.randint(-30, 30))
        state = "open" if rng.random() < 0.6 else "done"
        follow_rows.append((1, f"Follow up #{n}", pid, due, "me", state, now))
    many(
        "INSERT INTO follow_ups (owner_id, title, person_id, due_on, owed_by, state, created_at) "
        "VALUES (?,?,?,?,?,?,?)",
        follow_rows,
    )


def _flush(
    many: Callable[[str, Sequence[tuple[object, ...]]], None],
    batch_i: list[tuple[object, ...]],
    batch_p: list[tuple[object, ...]],
) -> None:
    many(
        "INSERT INTO interactions (id, owner_id, occurred_at, occurred_on, kind, direction, "
        "notes, needs_reply, private, source, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        batch_i,
    )
    many(
        "INSERT INTO interaction_participants (interaction_id, person_id, owner_id) VALUES (?,?,?)",
        batch_p,
    )
    batch_i.clear()
    batch_p.clear()


def compile_package() -> None:
    """Compile mentormap's bytecode, as an installed package has it, before timing commands: a
    checkout run with PYTHONDONTWRITEBYTECODE would compile every module on every start."""
    import compileall

    compileall.compile_dir(
        str(Path(__file__).resolve().parent.parent / "src" / "mentormap"), quiet=1
    )


def data_folder() -> Path:
    return Path(os.environ.get("MENTORMAP_BENCH_DATA") or DATA)


def network(size: str, fresh: bool = False) -> Path:
    """Path to the cached network of this size, building it when missing."""
    people, interactions = SIZES[size]
    path = data_folder() / f"{size}.db"
    if fresh or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build_network(path, people, interactions)
        print(
            f"built {size}: {people:,} people, {interactions:,} interactions "
            f"in {time.perf_counter() - started:.1f} s -> {path}",
            file=sys.stderr,
        )
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=list(SIZES))
    parser.add_argument("--fresh", action="store_true", help="Rebuild even if cached.")
    args = parser.parse_args(argv)
    print(network(args.size, fresh=args.fresh))


if __name__ == "__main__":
    main()
