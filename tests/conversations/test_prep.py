"""`mentormap prep`: briefs on the demo network and on hand-made people and groups."""

from __future__ import annotations

import json
import re

from mentormap.domain.roles import RoleKey
from tests.conftest import CliInvoke


def test_sponsor_brief_on_the_demo(demo_cli: CliInvoke) -> None:
    result = demo_cli("prep", "Dana Whitfield")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Roles: Sponsor, Role model" in out
    assert "Local time now: Wed" in out and "(same time as you)" in out
    assert "Prefers: coffee, morning" in out
    assert "You owe: Act on it: put my name forward" in out
    assert "1. Share the API deprecation results" in out
    # achievements since the last share with her (the demo shared the first six)
    assert "Achievement to share: Ran the hiring loop calibration" in out
    assert "Achievement to share: Shipped the storage-tier" not in out
    assert "Thank Dana for: Put my name forward" in out
    assert "Challenge: Getting credit for cross-team work" in out
    assert "Watch out: Peers may resent it." in out
    assert "Time box: 30 minutes" in out


def test_role_model_brief_shows_her_time_zone_and_news(demo_cli: CliInvoke) -> None:
    brief = json.loads(demo_cli("prep", "Priya", "--json").stdout)
    assert brief["timezone"] == "Australia/Sydney"
    assert brief["hours_from_you"] == 11.0
    # Today is fixed (a Wednesday) but the time of day is real: Sydney is 11 hours ahead, so it is
    # Wednesday there until London's 13:00 and Thursday after.
    assert re.fullmatch(r"(Wed|Thu) \d\d:\d\d", brief["local_time"])
    assert brief["news"][0]["text"] == "Her daughter started school."
    assert [b["key"] for b in brief["bring"]] == ["role_model"]
    assert len(brief["recent"]) == 5
    assert brief["recent"][0]["occurred_on"] >= brief["recent"][-1]["occurred_on"]
    assert any("promotion packet" in loop["text"] for loop in brief["i_owe"])


def test_visionary_markdown_brief(demo_cli: CliInvoke) -> None:
    out = demo_cli("prep", "Margaret Okafor", "--md").stdout
    assert out.startswith("# Prep: Margaret Okafor\n")
    assert "## What to bring" in out
    assert "**Career visionary**, 30 min" in out
    assert "Strategic question: How to show next-level impact on a new team?" in out
    assert "Where you are heading: Reach Staff Software Engineer" in out
    assert "Tell Margaret what came of it" in out
    assert 'mentormap highlights "Margaret Okafor"' in out


def test_friend_mentee_coach_and_champion_briefs(demo_cli: CliInvoke) -> None:
    friend = demo_cli("prep", "Sam Patel").stdout
    assert "Positive action: ask for the stretch project" in friend
    assert "News: 2026-11-10 Training for a half marathon." in friend
    mentee = demo_cli("prep", "Aisha Khan").stdout
    assert "Aisha's open question: Friendly update on her project" in mentee
    assert "Could you put Aisha forward for: Platform Days CFP?" in mentee
    assert "You did for Aisha: Wrote her a recommendation" in mentee
    coach = demo_cli("prep", "Ruth Adeyemi").stdout
    assert "The task: Conference talk delivery" in coach
    assert "Spent with Ruth so far: GBP 450.00" in coach
    champion = demo_cli("prep", "Chiara").stdout
    assert "Chiara brought: Platform Days CFP (considering)" in champion


def test_person_with_no_history(cli: CliInvoke) -> None:
    cli("people", "add", "Nova Quinn")
    result = cli("prep", "Nova Quinn")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Last contact: never logged" in out
    assert "Nothing logged yet: this is a first conversation." in out
    assert "Nothing open either way." in out
    assert "None parked" in out
    assert "Contact, 30 min" in out
    assert "Local time now" not in out
    brief = json.loads(cli("prep", "Nova", "--json").stdout)
    assert brief["recent"] == [] and brief["roles"] == [] and brief["local_time"] is None


def test_person_with_every_role(cli: CliInvoke) -> None:
    cli("people", "add", "Alex Every", "--city", "Berlin")
    for key in RoleKey:
        assert cli("role", "add", "Alex Every", key.value).exit_code == 0
    brief = json.loads(cli("prep", "Alex Every", "--json").stdout)
    keys = [b["key"] for b in brief["bring"]]
    assert sorted(keys) == sorted(k.value for k in RoleKey)
    # closest role first: a friend leads, and sets the time box
    assert keys[0] == "friend"
    assert brief["time_box_minutes"] == 60
    role_model = next(b for b in brief["bring"] if b["key"] == "role_model")
    assert role_model["specifics"][0].startswith("Challenge: No challenge recorded yet")
    cli("goal", "add", "Speaking up in big meetings", "--challenge", "--top")
    again = json.loads(cli("prep", "Alex Every", "--json").stdout)
    role_model = next(b for b in again["bring"] if b["key"] == "role_model")
    assert role_model["specifics"] == ["Challenge: Speaking up in big meetings"]
    assert cli("prep", "Alex Every", "--md").exit_code == 0


def test_group_brief_has_members_and_a_schedule(demo_cli: CliInvoke) -> None:
    result = demo_cli("prep", "Leadership circle")
    assert result.exit_code == 0, result.output
    # Her local time: today is fixed (a Wednesday), the time of day is the real one, so late in
    # the London evening it is already Thursday in Amsterdam.
    assert re.search(r"Tom Eriksen, Amsterdam — (Wed|Thu) \d\d:\d\d", result.stdout)
    assert "SUGGESTED SCHEDULE" in result.stdout
    brief = json.loads(demo_cli("prep", "leadership", "--json").stdout)
    assert brief["is_group"] is True
    assert len(brief["members"]) == 6
    assert [s["minutes"] for s in brief["schedule"]["slots"]] == [6] + [9] * 6


def test_unknown_name_is_one_line_error(demo_cli: CliInvoke) -> None:
    result = demo_cli("prep", "Dana Whitfeld")
    assert result.exit_code == 1
    assert "Did you mean: Dana Whitfield" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
