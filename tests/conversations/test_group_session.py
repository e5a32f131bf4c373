"""`mentormap group session`: time boxes, rotation, and connections logged as favours."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_plan_for_everyone_with_clock_times(demo_cli: CliInvoke) -> None:
    result = demo_cli(
        "group", "session", "Leadership circle", "--minutes", "60", "--start", "18:00"
    )
    assert result.exit_code == 0, result.output
    assert "60 minutes for 6 present" in result.stdout
    assert "18:00  18:06  Opening" in result.stdout
    assert "18:51  19:00  Tom Eriksen" in result.stdout


def test_pressing_problem_and_present_subset(demo_cli: CliInvoke) -> None:
    plan = json.loads(
        demo_cli(
            "group",
            "session",
            "Leadership circle",
            "--minutes",
            "60",
            "--start",
            "18:00",
            "-p",
            "Nadia",
            "-p",
            "Tom",
            "-p",
            "Marcus",
            "--pressing",
            "Tom",
            "--json",
        ).stdout
    )
    slots = {s["label"]: s for s in plan["slots"]}
    assert list(slots) == ["Opening", "Marcus Webb", "Nadia Haddad", "Tom Eriksen"]
    assert slots["Tom Eriksen"]["pressing"] and slots["Tom Eriksen"]["minutes"] == 28
    assert slots["Tom Eriksen"]["ends"] == "19:00"


def test_group_with_one_member_present(demo_cli: CliInvoke) -> None:
    plan = json.loads(
        demo_cli(
            "group",
            "session",
            "Leadership",
            "--minutes",
            "30",
            "--start",
            "08:00",
            "--present",
            "Ben Sato",
            "--json",
        ).stdout
    )
    assert [(s["label"], s["starts"], s["ends"]) for s in plan["slots"]] == [
        ("Opening", "08:00", "08:03"),
        ("Ben Sato", "08:03", "08:30"),
    ]


def test_logging_rotates_the_first_speaker_and_records_connections(demo_cli: CliInvoke) -> None:
    first = demo_cli(
        "group",
        "session",
        "Leadership circle",
        "--start",
        "18:00",
        "--log",
        "--note",
        "Good round.",
        "--gave",
        "Nadia: intro to a staff engineer at Tessellate",
        "--got",
        "Kwame: intro to the platform guild lead",
    )
    assert first.exit_code == 0, first.output
    assert "2 connection(s) recorded as favours" in first.stdout
    session = json.loads(demo_cli("timeline", "Ben Sato", "--json").stdout)[0]
    assert session["kind"] == "group_session"
    assert "Good round." in session["notes"] and "18:06–18:15 Ben Sato" in session["notes"]
    second = json.loads(
        demo_cli("group", "session", "Leadership circle", "--start", "18:00", "--json").stdout
    )
    assert second["first_last_time"] == "Ben Sato"
    assert second["slots"][1]["label"] == "Ines Moreau"
    assert second["slots"][-1]["label"] == "Ben Sato"
    kwame = json.loads(demo_cli("prep", "Kwame Mensah", "--json").stdout)
    assert any("intro to the platform guild lead" in loop["text"] for loop in kwame["i_owe"])
    nadia = json.loads(demo_cli("prep", "Nadia Haddad", "--json").stdout)
    assert any("intro to a staff engineer" in loop["text"] for loop in nadia["they_owe"])


def test_refusals_leave_nothing_behind(demo_cli: CliInvoke) -> None:
    before = len(json.loads(demo_cli("timeline", "Ben Sato", "--json").stdout))
    cases = [
        (["--present", "Dana Whitfield", "--log"], "No member of Leadership circle called"),
        (["--minutes", "10"], "too short"),
        (["--gave", "Nadia: x"], "recorded with --log"),
        (["--log", "--present", "Ben", "--gave", "Nadia: x"], "was not at the session"),
        (["--log", "--gave", "no colon here"], "Name: what"),
        (["--start", "6pm"], "not a time"),
    ]
    for extra, message in cases:
        result = demo_cli("group", "session", "Leadership circle", *extra)
        assert result.exit_code == 1, extra
        assert message in result.stderr, (extra, result.stderr)
    assert len(json.loads(demo_cli("timeline", "Ben Sato", "--json").stdout)) == before


def test_a_zero_minute_session_is_refused(demo_cli: CliInvoke) -> None:
    result = demo_cli("group", "session", "Leadership circle", "--minutes", "0")
    assert result.exit_code == 1 and "positive number of minutes" in result.stderr
