"""A goal or challenge added by mistake goes for good, from the CLI and the web (closing one as
reached or dropped keeps it)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def ok(result: object) -> str:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


def ids(cli: CliInvoke) -> list[int]:
    return [g["id"] for g in json.loads(ok(cli("goal", "list", "--all", "--json")))]


def test_goal_remove_from_the_cli(cli: CliInvoke) -> None:
    ok(cli("goal", "add", "Reach Staff Engineer"))
    ok(cli("goal", "add", "Too many meetings", "--challenge", "--top"))
    ok(cli("goal", "done", "1"))
    assert "Removed challenge #2: Too many meetings" in ok(cli("goal", "remove", "2"))
    assert ids(cli) == [1]
    assert "Removed goal #1: Reach Staff Engineer" in ok(cli("goal", "remove", "1"))  # closed too
    assert ids(cli) == []
    again = cli("goal", "remove", "1")
    assert again.exit_code == 1 and again.stderr == "Error: No goal #1.\n"


def test_goal_remove_on_the_web(cli: CliInvoke, client: TestClient) -> None:  # noqa: F811
    ok(cli("goal", "add", "Reach Staff Engineer"))
    ok(cli("goal", "add", "Speak at a conference"))
    ok(cli("goal", "done", "2"))
    page = client.get("/goals").text
    assert 'action="/goals/1/remove"' in page and 'action="/goals/2/remove"' in page
    gone = post(client, "/goals/1/remove", {}, "/goals")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/goals"  # type: ignore[attr-defined]
    assert "Removed goal #1: Reach Staff Engineer" in client.get("/goals").text
    assert ids(cli) == [2]
    assert post(client, "/goals/1/remove", {}, "/goals").status_code == 404  # type: ignore[attr-defined]
    assert ids(cli) == [2]
