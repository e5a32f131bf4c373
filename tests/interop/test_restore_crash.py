"""A restore is all or nothing, with every index in place: killed (kill -9) at any moment, or
failing half-way, it leaves the database empty and sound, and a later restore succeeds."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentormap.db import Database
from mentormap.models import Base
from mentormap.services.interop.backup import BIG_TABLE, backup_chunks, owned_tables, restore
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY

PEOPLE = 60_000
CHILD = """
import sys
from pathlib import Path
from zoneinfo import ZoneInfo
from datetime import date
from mentormap.db import Database
from mentormap.services.interop.backup import restore
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

settings = Settings(database_url=f"sqlite:///{sys.argv[1]}", timezone=ZoneInfo("Europe/London"),
                    today_override=date(2026, 11, 25))
database = Database.open(settings)
print("checking", flush=True)

def progress(done, total):
    print(f"wrote {done} {total}", flush=True)

with open_ctx(database) as ctx:
    restore(ctx, Path(sys.argv[2]), progress=progress)
    print("committing", flush=True)
print("done", flush=True)
"""


def _settings(path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo("Europe/London"), today_override=TODAY
    )


@pytest.fixture(scope="module")
def big_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A backup of 60,000 people (made once, by the benchmark's bulk writer) and an empty db."""
    from bench.generate import build_network

    folder = tmp_path_factory.mktemp("big")
    source = folder / "source.db"
    build_network(source, PEOPLE, 2_000)
    database = Database.open(_settings(source))
    backup = folder / "backup.json"
    with open_ctx(database) as ctx, backup.open("w", encoding="utf-8") as out:
        out.writelines(backup_chunks(ctx))
    database.close()
    empty = folder / "empty.db"
    Database.open(_settings(empty)).close()
    return backup, empty


def _model_indexes() -> set[str]:
    return {str(index.name) for table in owned_tables() for index in table.indexes}


def _assert_sound(path: Path) -> int:
    """The database opens, passes SQLite's own check, has every index; returns its people."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert _model_indexes() <= names, _model_indexes() - names
        people = connection.execute("SELECT count(*) FROM people").fetchone()[0]
        counts = [
            connection.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
            for t in Base.metadata.sorted_tables
            if "owner_id" in t.c
        ]
    finally:
        connection.close()
    assert people in (0, PEOPLE)
    assert (sum(counts) == 0) == (people == 0)  # nothing, or everything
    return int(people)


def _restore_in_child(db: Path, backup: Path, kill_after: str | None, delay: float) -> str:
    """Run a restore in its own process; SIGKILL it `delay` s after it prints `kill_after`."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(backup)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert child.stdout is not None
    last = ""
    for line in child.stdout:
        last = line.strip()
        if kill_after and last.startswith(kill_after):
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    return last


def test_restore_killed_at_any_moment_leaves_nothing_or_everything(
    big_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    backup, empty = big_backup
    assert PEOPLE >= BIG_TABLE  # so the people indexes are dropped and rebuilt
    moments = [
        ("checking", 0.3),  # while the backup is being checked
        ("wrote 5000 ", 0.0),  # the first rows are in, the people indexes just dropped
        ("wrote 30000 ", 0.0),  # half the people written
        (f"wrote {PEOPLE} ", 0.0),  # every person in, indexes being rebuilt
        ("committing", 0.0),  # at the commit
    ]
    outcomes = []
    for n, (after, delay) in enumerate(moments):
        db = tmp_path / f"trial{n}.db"
        shutil.copy(empty, db)
        _restore_in_child(db, backup, after, delay)
        people = _assert_sound(db)
        outcomes.append(people)
        if people == 0:  # a later restore works on what the killed one left
            database = Database.open(_settings(db))
            with open_ctx(database) as ctx:
                assert restore(ctx, backup).rows["people"] == PEOPLE
            database.close()
            assert _assert_sound(db) == PEOPLE
    assert outcomes[:3] == [0, 0, 0]  # killed before the commit: nothing stays


def test_restore_that_fails_half_way_keeps_the_indexes(
    big_backup: tuple[Path, Path], tmp_path: Path
) -> None:
    backup, empty = big_backup
    db = tmp_path / "failed.db"
    shutil.copy(empty, db)
    before = db.read_bytes()
    database = Database.open(_settings(db))

    def stop(done: int, total: int) -> None:
        if done >= 10_000:
            raise KeyboardInterrupt  # she pressed Ctrl-C with the people indexes dropped

    with pytest.raises(KeyboardInterrupt), open_ctx(database) as ctx:
        restore(ctx, backup, progress=stop)
    database.close()
    assert _assert_sound(db) == 0
    assert db.read_bytes() == before
