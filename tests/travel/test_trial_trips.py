"""Trips, as the trial found them wanting: while you are away Today leads with who to see there,
a visitor who comes while you are away is told so, and `when` finds a time for a whole group."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from mentormap.domain.overlap import common_windows, parse_days, parse_hours
from mentormap.domain.suggestions import visit_while_away
from tests.conftest import CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_today_leads_with_who_to_see_on_your_trip(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Ines Costa", "--city", "Lisbon", "--role", "friend"))
    ok(cli("people", "add", "Rui Alves", "--city", "Porto"))
    ok(cli("people", "add", "Sam Lee", "--city", "London", "--role", "sponsor"))
    ok(cli("log", "Sam", "--on", "-90d", "--note", "x", "--no-edit", "--needs-reply",
           "--kind", "message"))  # fmt: skip
    home = json.loads(ok(cli("today", "--json")))
    assert home["away"] is None
    ok(cli("trip", "add", "Lisbon", "--from", "-1d", "--to", "+3d"))
    agenda = json.loads(ok(cli("today", "--json")))
    assert agenda["away"]["trip"]["city"] == "Lisbon"
    assert [p["name"] for p in agenda["away"]["people"]] == ["Ines Costa"]  # Porto is too far
    out = ok(cli("today"))
    assert out.index("You are in Lisbon until Sat 28 Nov") < out.index("Replies you owe")
    assert "Ines Costa (friend" in out and "propose dinner or a walk" in out


def test_a_visit_while_you_are_away_says_so(cli: CliInvoke) -> None:
    ok(cli("config", "set", "home_city", "London"))
    ok(cli("people", "add", "Wen Tanaka", "--city", "Sydney"))
    ok(cli("people", "add", "Ada Obi", "--city", "Lagos"))
    ok(cli("trip", "add", "London", "--person", "Wen", "--from", "+1d", "--to", "+3d"))
    ok(cli("trip", "add", "London", "--person", "Ada", "--from", "+2d", "--to", "+6d"))
    ok(cli("trip", "add", "Berlin", "--from", "+1d", "--to", "+4d"))
    visits = {
        v["name"]: v["suggestion"] for v in json.loads(ok(cli("today", "--json")))["visiting"]
    }
    assert visits["Wen Tanaka"] == (
        "In London while you are away in Berlin (26 Nov to 29 Nov): "
        "propose a call instead, or meet on her next visit."
    )
    assert visits["Ada Obi"] == (
        "In London; you are away in Berlin 26 Nov to 29 Nov, "
        "so meet while you are both here: 30 Nov to 01 Dec."
    )
    assert "dinner" not in " ".join(visits.values()) and "lunch" not in " ".join(visits.values())


def test_visit_while_away_names_the_days_on_both_sides() -> None:
    said = visit_while_away(
        "London",
        (date(2026, 12, 1), date(2026, 12, 9)),
        ("Paris", date(2026, 12, 3), date(2026, 12, 5)),
    )
    assert said.endswith("meet while you are both here: 01 Dec to 02 Dec and 06 Dec to 09 Dec.")


def test_common_windows_is_the_time_everyone_is_at_work() -> None:
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    week = parse_days(None)
    found = common_windows(
        monday,
        [
            (london, parse_hours("09:00-17:30"), week),
            (new_york, parse_hours("09:00-17:00"), week),
            (london, parse_hours("13:00-18:00"), week),
        ],
        days=1,
    )
    # New York opens at 14:00 London time; the first London day closes at 17:30.
    assert found == [
        (datetime(2026, 11, 30, 14, 0, tzinfo=UTC), datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    ]
    assert found[0][0].astimezone(new_york).time() == time(9, 0)


def test_when_accepts_a_group(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Ana Lopez", "--tz", "America/New_York"))
    ok(cli("people", "add", "Ben Sato", "--city", "London"))
    ok(cli("people", "add", "Cal Noone"))  # no zone: left out, and said so
    ok(cli("group", "create", "Staff circle"))
    for name in ("Ana", "Ben", "Cal"):
        ok(cli("group", "add", "Staff circle", name))
    result = json.loads(ok(cli("when", "Staff circle", "--days", "3", "--json")))
    assert result["group"] == "Staff circle"
    assert [m["name"] for m in result["members"]] == ["Ana Lopez", "Ben Sato"]
    assert result["left_out"] == ["Cal Noone"]
    # Wall-clock time runs on in tests: the first window of today may be clipped or gone.
    full = [w for w in result["windows"] if w["mine_start"][11:16] == "14:00"]
    assert full and all(w["minutes"] == 210 for w in full)  # 14:00-17:30 London
    assert any(line.endswith(" 09:00") for line in full[0]["local"] if "Ana" in line)
    out = ok(cli("when", "Staff circle"))
    assert "Left out" in out and "Cal Noone" in out and "Ben Sato: " in out
