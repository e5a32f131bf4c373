"""Data at rest: private files, a database file that holds everything, and `mentormap backup`."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from mentormap.db import Database
from mentormap.services.context import Ctx
from mentormap.services.people.people import add_person
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import CliInvoke


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentormap", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_new_database_and_its_journal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "net.db"
    database = Database.open(Settings(database_url=f"sqlite:///{path}"))
    try:
        with open_ctx(database) as ctx:
            add_person(ctx, "Ada Lovelace")
        siblings = [p for p in tmp_path.iterdir() if p.name.startswith("net.db")]
        assert {p.name for p in siblings} >= {"net.db", "net.db-wal", "net.db-shm"}
        assert {p.name: mode(p) for p in siblings} == {p.name: 0o600 for p in siblings}
    finally:
        database.close()


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Database.open(Settings(database_url=f"sqlite:///{path}")).close()
    path.chmod(0o644)
    Database.open(Settings(database_url=f"sqlite:///{path}")).close()
    assert mode(path) == 0o600


def test_the_default_data_folder_is_created_private(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "MENTORMAP_DB": ""}
    result = run_cli("people", "add", "Ada Lovelace", env=env)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "xdg" / "mentormap"
    assert mode(folder) == 0o700
    assert mode(folder / "mentormap.db") == 0o600


def test_a_writing_command_leaves_everything_in_the_database_file(tmp_path: Path) -> None:
    """The `.db` alone, copied as one file, holds the whole network once a command ends."""
    path = tmp_path / "demo.db"
    result = run_cli("--db", str(path), "demo")
    assert result.returncode == 0, result.stderr
    wal = tmp_path / "demo.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copied.db"
    copy.write_bytes(path.read_bytes())  # the file alone, without -wal or -shm
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM people").fetchone() == (80,)


def test_schema_changes_in_a_failed_unit_of_work_are_rolled_back(db: Database) -> None:
    """DDL first in a transaction used to commit on its own (the driver began only at DML)."""

    def indexes() -> set[str]:
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people'")
            )
            return {name for (name,) in rows}

    before = indexes()
    assert before
    victim = sorted(before)[0]
    with pytest.raises(RuntimeError), open_ctx(db) as ctx:
        ctx.session.execute(text(f'DROP INDEX "{victim}"'))
        raise RuntimeError("the rest of the work failed")
    assert indexes() == before


def test_backup_copies_the_database_privately(cli: CliInvoke, tmp_path: Path) -> None:
    assert cli("people", "add", "Grace Hopper").exit_code == 0
    target = tmp_path / "copy.db"
    result = cli("backup", str(target))
    assert result.exit_code == 0, result.output
    assert "Backed up the database to" in result.output
    assert mode(target) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM people").fetchall() == [("Grace Hopper",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_backup_refuses_to_overwrite_without_force(cli: CliInvoke, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    result = cli("backup", str(target))
    assert result.exit_code == 1
    assert "exists; use --force" in result.output
    assert target.read_text() == "keep me"
    assert cli("backup", str(target), "--force").exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("where", ["folder", "missing", "itself"])
def test_backup_to_a_bad_place_is_one_line(
    cli: CliInvoke, tmp_path: Path, db_path: Path, where: str
) -> None:
    cli("people", "add", "Grace Hopper")
    target = {
        "folder": tmp_path,
        "missing": tmp_path / "nowhere" / "x.db",
        "itself": db_path,
    }[where]
    result = cli("backup", str(target))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_backup_is_consistent_while_another_process_writes(tmp_path: Path) -> None:
    """A copy taken while the database is being written is a whole, valid database."""
    path = tmp_path / "busy.db"
    database = Database.open(Settings(database_url=f"sqlite:///{path}"))
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            with open_ctx(database) as ctx:
                for _ in range(20):
                    n += 1
                    add_person(ctx, f"Writer {n}")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = []
        for k in range(3):
            target = tmp_path / f"copy{k}.db"
            result = run_cli("--db", str(path), "backup", str(target))
            assert result.returncode == 0, result.stderr
            copies.append(target)
    finally:
        stop.set()
        writer.join()
        database.close()
    for target in copies:
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            (count,) = conn.execute("SELECT count(*) FROM people").fetchone()
            assert count % 20 == 0  # whole units of work only


def test_demo_sizes_beyond_the_plain_names_finish(
    cli: CliInvoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With first x last names used up, middle initials make room (it used to loop forever)."""
    from mentormap.services.demo import network as demo

    monkeypatch.setattr(demo, "FIRST_NAMES", ["Ana", "Ben"])  # 2 x 26 plain names
    result = cli("demo", "--size", "120")
    assert result.exit_code == 0, result.output
    assert "120 people" in result.output
    names = cli("people", "list", "--json")
    assert names.exit_code == 0
    listed = [p["name"] for p in json.loads(names.output)]
    assert len(listed) == len(set(listed)) == 120
    assert any(". " in name for name in listed)


def test_demo_size_limit_is_one_line(cli: CliInvoke) -> None:
    result = cli("demo", "--size", "50000")
    assert result.exit_code == 1
    assert "at most 10,000 people" in result.output


def test_closing_the_database_leaves_planner_statistics(tmp_path: Path) -> None:
    """Without them SQLite walks every role by owner for the agenda (see db._optimize_on_close)."""
    path = tmp_path / "stats.db"
    assert run_cli("--db", str(path), "demo").returncode == 0
    assert run_cli("--db", str(path), "today", "--json").returncode == 0
    with sqlite3.connect(path) as conn:
        tables = {name for (name,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert {"people", "roles", "interactions"} <= tables


def test_bulk_writes_refresh_planner_statistics_at_once(ctx: Ctx) -> None:
    """A web app keeps its connections open: the demo, a big import or a restore do not wait."""
    from mentormap.services.demo.network import build_demo

    build_demo(ctx)
    rows = ctx.session.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars().all()
    assert {"people", "roles", "interactions"} <= set(rows)


def test_a_read_only_command_closes_without_analysing(tmp_path: Path) -> None:
    """Reading leaves the statistics true; with no message left owing a reply, SQLite 3.40
    took the interactions for unanalysed and read them all again as every command closed."""
    path = tmp_path / "stats.db"
    assert run_cli("--db", str(path), "demo").returncode == 0
    marker = (
        "SELECT stat FROM sqlite_stat1 "
        "WHERE tbl = 'interactions' AND idx = 'ix_interactions_owner_on'"
    )
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE interactions SET needs_reply = 0, owed_state = 0")
        conn.execute("ANALYZE")
        # A figure no ANALYZE would write: it stays only if the table is not analysed again.
        conn.execute(
            "UPDATE sqlite_stat1 SET stat = '424242 1 1' "
            "WHERE tbl = 'interactions' AND idx = 'ix_interactions_owner_on'"
        )
        assert conn.execute(marker).fetchone() == ("424242 1 1",)
    for command in (("today", "--json"), ("people", "list", "--json"), ("log", "--help")):
        assert run_cli("--db", str(path), *command).returncode == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute(marker).fetchone() == ("424242 1 1",)
