"""`mentormap agenda …` and `mentormap goal …`."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def _points(cli: CliInvoke, who: str) -> list[dict[str, object]]:
    return json.loads(cli("agenda", "list", who, "--json").stdout)


def test_add_list_move_drop(demo_cli: CliInvoke) -> None:
    for text in ("Ask how the promotion packet was built", "Ask about the Sydney offsite"):
        result = demo_cli("agenda", "add", "Priya Raman", text)
        assert result.exit_code == 0, result.output
    points = _points(demo_cli, "Priya")
    assert [p["position"] for p in points] == [1, 2, 3]
    assert points[0]["text"] == "Ask how she framed scope in her staff packet"
    last = points[2]["id"]
    assert demo_cli("agenda", "move", str(last), "1").exit_code == 0
    moved = _points(demo_cli, "Priya")
    assert moved[0]["id"] == last and [p["position"] for p in moved] == [1, 2, 3]
    assert demo_cli("agenda", "drop", str(moved[1]["id"])).exit_code == 0
    after = _points(demo_cli, "Priya")
    assert [p["position"] for p in after] == [1, 2]
    everything = json.loads(demo_cli("agenda", "list", "Priya", "--all", "--json").stdout)
    assert [p["state"] for p in everything].count("dropped") == 1
    table = demo_cli("agenda", "list").stdout
    assert "Dana Whitfield" in table and "Priya Raman" in table


def test_points_for_a_group(demo_cli: CliInvoke) -> None:
    assert demo_cli("agenda", "add", "Leadership circle", "Agree the next date").exit_code == 0
    points = _points(demo_cli, "Leadership circle")
    assert points[0]["for_group"] is True and points[0]["who"] == "Leadership circle"
    assert "Agree the next date" in demo_cli("prep", "Leadership circle").stdout


def test_bad_agenda_input_is_one_line_and_changes_nothing(demo_cli: CliInvoke) -> None:
    before = _points(demo_cli, "Priya")
    point = before[0]["id"]
    for args, message in [
        (["add", "Priya", "   "], "needs some text"),
        (["add", "Nobody Atall", "x"], "No one called"),
        (["move", str(point), "9"], "between 1 and"),
        (["move", "9999", "1"], "No agenda point #9999"),
        (["drop", "9999"], "No agenda point"),
    ]:
        result = demo_cli("agenda", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr
    assert demo_cli("agenda", "drop", str(point)).exit_code == 0
    again = demo_cli("agenda", "drop", str(point))
    assert again.exit_code == 1 and "already dropped" in again.stderr


def test_empty_agenda_message(cli: CliInvoke) -> None:
    assert "No agenda points" in cli("agenda", "list").stdout
    assert json.loads(cli("agenda", "list", "--json").stdout) == []


def test_goals_and_challenges(cli: CliInvoke) -> None:
    assert "No goals yet" in cli("goal", "list").stdout
    assert cli("goal", "add", "Reach Staff Engineer").exit_code == 0
    assert cli("goal", "add", "Credit for glue work", "--challenge", "--top").exit_code == 0
    assert cli("goal", "add", "Too many meetings", "--challenge").exit_code == 0
    goals = json.loads(cli("goal", "list", "--json").stdout)
    assert [(g["kind"], g["top"]) for g in goals] == [
        ("challenge", True),
        ("challenge", False),
        ("goal", False),
    ]
    done = cli("goal", "done", str(goals[0]["id"]))
    assert done.exit_code == 0 and "done" in done.stdout
    assert len(json.loads(cli("goal", "list", "--json").stdout)) == 2
    closed = json.loads(cli("goal", "list", "--all", "--json").stdout)
    assert closed[-1]["state"] == "done" and closed[-1]["done_on"] == "2026-11-25"
    again = cli("goal", "done", str(goals[0]["id"]))
    assert again.exit_code == 1 and "already done" in again.stderr
    assert cli("goal", "done", "999").exit_code == 1
    assert cli("goal", "add", " ").exit_code == 1
    dropped = cli("goal", "done", str(goals[1]["id"]), "--dropped")
    assert "dropped" in dropped.stdout
