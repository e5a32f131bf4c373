"""Behaviour pinned after review: visits to other cities, zero-minute sessions, empty edits."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_today_shows_only_visits_to_your_home_city(demo_cli: CliInvoke) -> None:
    demo_cli("trip", "add", "Sydney", "--person", "Wen Tanaka", "--from", "2026-11-26",
             "--to", "2026-11-28")  # fmt: skip
    visiting = [v["name"] for v in json.loads(demo_cli("today", "--json").stdout)["visiting"]]
    assert visiting == ["Chiara Bellini"]  # her visit is to London, the demo's home city
    demo_cli("config", "unset", "home_city")
    visiting = [v["name"] for v in json.loads(demo_cli("today", "--json").stdout)["visiting"]]
    assert sorted(visiting) == ["Chiara Bellini", "Wen Tanaka"]


def test_a_zero_minute_session_is_refused(demo_cli: CliInvoke) -> None:
    result = demo_cli("group", "session", "Leadership circle", "--minutes", "0")
    assert result.exit_code == 1 and "positive number of minutes" in result.stderr


def test_an_edit_that_changes_nothing_says_so(demo_cli: CliInvoke) -> None:
    result = demo_cli("interaction", "edit", "1")
    assert result.exit_code == 1 and "Nothing to change" in result.stderr
