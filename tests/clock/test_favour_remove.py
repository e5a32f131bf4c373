"""A favour recorded by mistake goes, with the follow-ups its loop opened, from the CLI and the
web; the conversations around it stay."""

from __future__ import annotations

import json
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


def test_favour_remove_from_the_cli(cli: CliInvoke, db_path: Path) -> None:
    ok(cli("people", "add", "Dana Whitfield"))
    ok(cli("log", "Dana", "--on", "-5d", "--kind", "coffee", "--note", "Talked about the packet"))
    ok(cli("favour", "add", "Dana", "Put my name forward", "--on", "-2d"))
    ok(cli("favour", "add", "Dana", "Read her CV", "--given"))
    assert rows(db_path, "SELECT count(*) FROM follow_ups WHERE favour_id = 1") == [(2,)]
    done = cli("favour", "remove", "1")
    assert "Removed favour #1 from Dana Whitfield: Put my name forward" in ok(done)
    assert [f["id"] for f in json.loads(ok(cli("favour", "list", "--json")))] == [2]
    assert rows(db_path, "SELECT count(*) FROM follow_ups") == [(0,)]  # thank her, act on it
    assert rows(db_path, "SELECT count(*) FROM interactions") == [(1,)]  # the coffee stays
    again = cli("favour", "remove", "1")
    assert again.exit_code == 1 and again.stderr == "Error: No favour with id 1.\n"
    assert "Removed favour #2 to Dana Whitfield" in ok(cli("favour", "remove", "2"))


def test_a_reported_favour_goes_but_the_telling_stays(cli: CliInvoke, db_path: Path) -> None:
    ok(cli("people", "add", "Dana Whitfield"))
    ok(cli("favour", "add", "Dana", "An intro", "--on", "-9d", "--acted", "-5d"))
    ok(cli("favour", "reported", "1"))
    ok(cli("favour", "remove", "1"))
    assert rows(db_path, "SELECT count(*) FROM favours") == [(0,)]
    assert rows(db_path, "SELECT notes FROM interactions") == [
        ("Told them what came of: An intro",)
    ]


def test_favour_remove_on_the_web(cli: CliInvoke, client: TestClient, db_path: Path) -> None:  # noqa: F811
    ok(cli("people", "add", "Dana Whitfield"))
    ok(cli("favour", "add", "Dana", "Put my name forward"))
    page = client.get("/people/1").text
    assert 'action="/favours/1/remove"' in page
    gone = post(client, "/favours/1/remove", {"back": "/people/1#favours"}, "/people/1")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/people/1#favours"  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT count(*) FROM favours") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM follow_ups") == [(0,)]
    assert "Removed the favour: Put my name forward" in client.get("/people/1").text
    missing = post(client, "/favours/1/remove", {}, "/people/1")
    assert missing.status_code == 404  # type: ignore[attr-defined]
    still = post(client, "/favours/1/acted", {}, "/people/1")  # the step route is still there
    assert still.status_code == 404  # type: ignore[attr-defined]
