"""Shared fixtures: a real SQLite file per test, a fixed clock and zone, and the CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from mentormap.db import Database
from mentormap.services.context import Ctx, open_ctx
from mentormap.settings import Settings

TODAY = date(2026, 11, 25)
ZONE = "Europe/London"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mentormap.db"


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{db_path}", timezone=ZoneInfo(ZONE), today_override=TODAY
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database.open(settings)
    yield database
    database.close()


@pytest.fixture
def ctx(db: Database) -> Iterator[Ctx]:
    """A service context whose work is committed when the test ends."""
    with open_ctx(db) as context:
        yield context


CliInvoke = Callable[..., Result]


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliInvoke:
    """Run `mentormap ARGS…` in-process against this test's database, with a fixed today."""
    from mentormap.cli.app import app

    monkeypatch.setenv("MENTORMAP_DB", str(db_path))
    monkeypatch.setenv("MENTORMAP_TODAY", TODAY.isoformat())
    monkeypatch.setenv("MENTORMAP_TZ", ZONE)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def demo_cli(cli: CliInvoke) -> CliInvoke:
    """The CLI on a database already filled with the demo network."""
    result = cli("demo")
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a real PostgreSQL database; skipped off CI when the server is not installed."""
    import os

    from tests.pg import pg_bin, postgres_server

    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install PostgreSQL (see .ci/run)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with postgres_server() as url:
        yield url
