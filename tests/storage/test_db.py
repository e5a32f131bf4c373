"""Storage: migrations from empty, version refusal, SQLite pragmas, settings precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from mentormap.db import HEAD_REVISION, Database, alembic_config, current_revision
from mentormap.errors import DatabaseTooNew, InvalidInput
from mentormap.models import Base
from mentormap.settings import Settings, database_url_from
from tests.conftest import CliInvoke


def test_head_revision_matches_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert scripts.get_heads() == [HEAD_REVISION]


def test_opening_an_empty_file_migrates_to_head(db: Database) -> None:
    assert current_revision(db.engine) == HEAD_REVISION
    with db.engine.connect() as conn:
        tables = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master"))}
        owner = conn.execute(text("SELECT id, name FROM owners")).one()
    assert set(Base.metadata.tables) <= tables
    assert tuple(owner) == (1, "me")


def test_migrated_schema_matches_the_models(db: Database) -> None:
    """Autogenerate finds nothing to do: the migrations and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        # The full-text index (FTS5 and its shadow tables) is derived data the models leave out.
        derived = {"include_name": lambda name, _k, _p: not (name or "").startswith("search_index")}
        diff = compare_metadata(MigrationContext.configure(conn, opts=derived), Base.metadata)
    assert diff == []


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_a_newer_database_is_refused(db: Database, settings: Settings) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(DatabaseTooNew, match="newer than this mentormap knows"):
        Database.open(settings)


def test_a_newer_database_is_refused_on_the_cli(cli: CliInvoke, db_path: Path) -> None:
    assert cli("people", "list").exit_code == 0
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    result = cli("people", "list")
    assert result.exit_code == 1
    assert "newer than this mentormap knows" in result.stderr
    assert "Traceback" not in result.output


def test_settings_precedence(tmp_path: Path) -> None:
    env = {"MENTORMAP_DB": str(tmp_path / "env.db")}
    assert Settings.load(env=env).database_url.endswith("/env.db")
    assert Settings.load(db=str(tmp_path / "flag.db"), env=env).database_url.endswith("/flag.db")
    assert Settings.load(db="postgresql+psycopg://u@h/db", env=env).database_url.startswith(
        "postgresql"
    )
    default = Settings.load(env={})
    assert default.database_url.startswith("sqlite:///")
    assert default.database_url.endswith("mentormap/mentormap.db")
    assert default.create_folder and not Settings.load(env=env).create_folder


def test_database_url_from_path_and_url(tmp_path: Path) -> None:
    assert database_url_from(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path}/a.db"
    assert database_url_from("sqlite:///x.db") == "sqlite:///x.db"


def test_bad_today_override_is_a_user_error() -> None:
    with pytest.raises(InvalidInput, match="not a date"):
        Settings.load(env={"MENTORMAP_TODAY": "someday", "MENTORMAP_DB": "/tmp/x.db"})


def test_unknown_time_zone_is_a_user_error(cli: CliInvoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORMAP_TZ", "Mars/Olympus")
    result = cli("people", "list")
    assert result.exit_code == 1
    assert "Unknown time zone 'Mars/Olympus'" in result.stderr


def test_failed_command_leaves_database_unchanged(cli: CliInvoke) -> None:
    """An error half-way through a command rolls back what it had already written."""
    result = cli("people", "add", "Sam Patel", "--role", "friend", "--role", "wizard")
    assert result.exit_code == 1
    assert "Unknown role 'wizard'" in result.stderr
    assert cli("people", "list", "--json").stdout.strip() == "[]"


def test_unusable_database_locations_are_one_line_errors(cli: CliInvoke, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    result = cli("--db", str(not_a_folder / "x.db"), "people", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No folder")
    typo = cli("--db", str(tmp_path / "no-such-dir" / "x.db"), "today")
    assert typo.exit_code == 1 and "create it first" in typo.stderr
    assert not (tmp_path / "no-such-dir").exists()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    result = cli("--db", str(garbage), "people", "list")
    assert result.exit_code == 1
    assert "file is not a database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_upgrade_leaves_statistics_for_the_indexes_it_made(tmp_path: Path) -> None:
    """A new index without statistics looks the most selective to SQLite: after 0281 made the
    birthday index, every "latest check of the owner's people" walked it instead of its own."""
    import sqlite3

    from bench.generate import build_network

    path = tmp_path / "old.db"
    build_network(path, 300, 3_000)
    plan = "EXPLAIN QUERY PLAN SELECT max(clock_checked_n) FROM people WHERE owner_id = 1"
    with sqlite3.connect(path) as conn:  # as it was before 0281 (and 0291, 0301)
        conn.execute("ALTER TABLE owners DROP COLUMN data_version")
        conn.execute("ALTER TABLE interaction_participants DROP COLUMN owed")
        conn.execute("DROP INDEX ix_people_owner_birthday")
        conn.execute("PRAGMA analysis_limit=400")  # as mentormap samples them
        conn.execute("ANALYZE")
        conn.execute("UPDATE alembic_version SET version_num = '0271'")
    db = Database.open(Settings(database_url=f"sqlite:///{path}"))
    try:  # at once, not when the connection closes: the web app keeps its connections open
        with db.engine.connect() as conn:
            chosen = " ".join(row[3] for row in conn.exec_driver_sql(plan))
    finally:
        db.close()
    assert "ix_people_owner_clock_checked" in chosen, chosen
