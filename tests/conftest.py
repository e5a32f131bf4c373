"""Shared fixtures: a real SQLite file per test, a fixed clock and zone, and the CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from mentormap.db import Database
from mentormap.services.context import Ctx
from mentormap.services.unit import open_ctx
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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo network, built once per test process and copied into each test."""
    from mentormap.services.demo.network import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    settings = Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo(ZONE), today_override=TODAY
    )
    database = Database.open(settings)
    with open_ctx(database) as context:
        build_demo(context)
    database.close()  # the last connection closing folds the WAL back into the file
    return path


@pytest.fixture
def demo_cli(cli: CliInvoke, demo_template: Path, db_path: Path) -> CliInvoke:
    """The CLI on a database already filled with the demo network (as `mentormap demo` makes)."""
    import shutil

    shutil.copyfile(demo_template, db_path)
    return cli


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A real PostgreSQL server for this test process; skipped off CI when not installed."""
    import os

    from tests.pg import pg_bin, postgres_server

    if pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install PostgreSQL (see .ci/run)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server_url: str, request: pytest.FixtureRequest) -> str:
    """URL of a fresh, empty PostgreSQL database for one test."""
    import re

    from tests.pg import create_database

    name = re.sub(r"[^a-z0-9_]", "_", request.node.name.lower())[:50]
    return create_database(postgres_server_url, name)
