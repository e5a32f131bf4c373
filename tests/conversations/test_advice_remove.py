"""Advice recorded by mistake goes, from the CLI and the web, with the "tell her it helped" it
opened; the conversation it came up in stays."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as con:
        return con.execute(sql).fetchall()


def ok(result: object) -> str:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


def test_advice_remove_from_the_cli(cli: CliInvoke, db_path: Path) -> None:
    ok(cli("people", "add", "Priya Raman"))
    ok(cli("log", "Priya", "--on", "-3d", "--kind", "coffee"))
    ok(cli("advice", "add", "Priya", "Ask for examples, not adjectives"))
    ok(cli("advice", "add", "Priya", "Write the packet early"))
    ok(cli("advice", "review", "1", "--followed", "yes", "--helped", "yes"))
    helped = "SELECT title FROM follow_ups WHERE rule = 'advice_helped' AND state = 'open'"
    assert rows(db_path, helped) == [
        ("Tell Priya her advice helped: Ask for examples, not adjectives",)
    ]
    done = cli("advice", "remove", "1")
    assert "Removed advice #1 from Priya Raman: Ask for examples, not adjectives" in ok(done)
    assert rows(db_path, "SELECT id FROM advice") == [(2,)]
    assert rows(db_path, helped) == []
    assert rows(db_path, "SELECT count(*) FROM interactions") == [(1,)]
    again = cli("advice", "remove", "1")
    assert again.exit_code == 1 and again.stderr == "Error: No advice #1.\n"
    assert rows(db_path, "SELECT id FROM advice") == [(2,)]


def test_advice_remove_on_the_web(cli: CliInvoke, client: TestClient, db_path: Path) -> None:  # noqa: F811
    ok(cli("people", "add", "Priya Raman"))
    ok(cli("advice", "add", "Priya", "Write the packet early"))
    assert 'action="/advice/1/remove"' in client.get("/people/1").text
    gone = post(client, "/advice/1/remove", {}, "/people/1")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/people/1#advice"  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT count(*) FROM advice") == [(0,)]
    assert "Removed the advice: Write the packet early" in client.get("/people/1").text
    assert post(client, "/advice/1/remove", {}, "/people/1").status_code == 404  # type: ignore[attr-defined]
