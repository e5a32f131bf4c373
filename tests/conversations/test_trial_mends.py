"""What the two-week trial found in conversations, mended: both sides' actions after a vent,
follow-ups dated from the log, highlights since you last spoke, advice that helped, and the
asks of a visionary counted."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def follow_ups(cli: CliInvoke, who: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(ok(cli("followup", "list", "--person", who, "--json")))


@pytest.fixture
def friends(cli: CliInvoke) -> CliInvoke:
    ok(cli("people", "add", "Ana Lopez", "--role", "friend"))
    ok(cli("people", "add", "Bea Kim", "--role", "friend"))
    ok(cli("people", "add", "Cleo Marsh", "--role", "visionary"))
    return cli


def test_vent_then_both_act_each_on_the_right_person(friends: CliInvoke) -> None:
    ok(
        friends(
            *("log", "Ana Lopez", "Bea Kim", "--kind", "call", "--note", "vented", "--no-edit"),
            *("--action", "Bea: ask my manager for the transfer"),
            *("--their-action", "Ana: book the climbing course"),
            *("--their-action", "bea kim: send me her CV template"),
        )
    )
    ana, bea = follow_ups(friends, "Ana Lopez"), follow_ups(friends, "Bea Kim")
    assert [(f["title"], f["owed_by"]) for f in ana] == [
        ("Positive action: book the climbing course", "them")
    ]
    assert sorted((f["title"], f["owed_by"]) for f in bea) == [
        ("Positive action: ask my manager for the transfer", "me"),
        ("Positive action: send me her CV template", "them"),
    ]
    brief = json.loads(ok(friends("prep", "Ana", "--json")))
    friend = next(b for b in brief["bring"] if b["key"] == "friend")
    assert "Ask how Ana's positive action went: book the climbing course" in friend["specifics"]
    assert [t["text"] for t in brief["they_owe"]] == ["Positive action: book the climbing course"]


def test_their_action_for_someone_absent_lists_who_was_there(friends: CliInvoke) -> None:
    result = friends(
        *("log", "Ana Lopez", "Bea Kim", "--note", "x", "--no-edit"),
        *("--their-action", "Cleo: read the book"),
    )
    assert result.exit_code == 1
    assert "'Cleo' was not there" in result.stderr
    assert "Ana Lopez (#1), Bea Kim (#2)" in result.stderr
    assert json.loads(ok(friends("timeline", "Ana", "--json"))) == []  # nothing half-written
    bad = friends("log", "Ana", "--note", "x", "--no-edit", "--their-action", "no colon")
    assert bad.exit_code == 1 and "NAME:TEXT" in bad.stderr


def test_follow_ups_are_due_a_week_after_the_log_or_by_the_given_day(friends: CliInvoke) -> None:
    # Today is 2026-11-25; a call logged late, on the 10th, gives its action until the 17th.
    ok(friends("log", "Ana", "--on", "2026-11-10", "--note", "x", "--no-edit", "--action", "run"))
    assert [f["due_on"] for f in follow_ups(friends, "Ana")] == ["2026-11-17"]
    ok(
        friends(
            *("log", "Bea", "--on", "2026-11-10", "--note", "x", "--no-edit"),
            *("--their-action", "Bea: call her sister", "--by", "2026-12-01"),
        )
    )
    assert [f["due_on"] for f in follow_ups(friends, "Bea")] == ["2026-12-01"]


def test_highlights_start_where_you_last_spoke(friends: CliInvoke) -> None:
    ok(friends("achievement", "add", "Shipped the importer", "--on", "2026-11-01"))
    ok(friends("achievement", "add", "Gave the keynote", "--on", "2026-11-20"))
    # A coffee with Cleo on the 10th: she heard about the importer then.
    ok(friends("log", "Cleo", "--kind", "coffee", "--on", "2026-11-10", "--note", "x", "--no-edit"))
    draft = json.loads(ok(friends("highlights", "Cleo", "--json")))
    assert [i["title"] for i in draft["items"]] == ["Gave the keynote"]
    assert draft["since"] == "2026-11-10"


def test_an_achievement_shared_in_person_is_no_longer_offered(friends: CliInvoke) -> None:
    ok(friends("achievement", "add", "Gave the keynote", "--on", "2026-11-20"))
    brief = json.loads(ok(friends("prep", "Cleo", "--json")))
    lines = next(b for b in brief["bring"] if b["key"] == "visionary")["specifics"]
    assert any("Achievement to share: Gave the keynote" in line for line in lines)

    said = ok(friends("achievement", "shared", "1", "--with", "Cleo"))
    assert "Achievement #1 shared with Cleo Marsh on 2026-11-25" in said
    brief = json.loads(ok(friends("prep", "Cleo", "--json")))
    lines = next(b for b in brief["bring"] if b["key"] == "visionary")["specifics"]
    assert not any("Gave the keynote" in line for line in lines)
    again = friends("achievement", "shared", "1", "--with", "Cleo")
    assert again.exit_code == 1 and "already shared with Cleo Marsh" in again.stderr
    nobody = friends("achievement", "shared", "1", "--with", "Zed")
    assert nobody.exit_code == 1


def test_advice_that_helped_opens_a_note_to_say_so(friends: CliInvoke) -> None:
    ok(friends("advice", "add", "Cleo", "Write the strategy doc before asking for the role"))
    ok(friends("advice", "add", "Cleo", "Skip the reorg meeting"))
    said = ok(friends("advice", "review", "1", "--followed", "yes", "--helped", "yes"))
    assert "tell Cleo it helped" in said
    ok(friends("advice", "review", "2", "--followed", "yes", "--helped", "no"))
    titles = [f["title"] for f in follow_ups(friends, "Cleo")]
    assert titles == [
        "Tell Cleo her advice helped: Write the strategy doc before asking for the role"
    ]
    # Reviewing it again does not open a second one.
    ok(friends("advice", "review", "1", "--followed", "yes", "--helped", "yes"))
    assert len(follow_ups(friends, "Cleo")) == 1
    board = ok(friends("advice", "review"))
    assert "What worked for you" in board and "Worked for you" in board
    assert "Hit rate" not in board


def test_prep_counts_the_favours_asked_of_a_visionary_this_year(friends: CliInvoke) -> None:
    ok(friends("favour", "add", "Cleo", "Introduced me to the CTO", "--on", "2026-03-02"))
    ok(friends("favour", "add", "Cleo", "Reviewed my talk", "--on", "2026-10-02"))
    ok(friends("favour", "add", "Cleo", "Old reference", "--on", "2025-12-30"))
    ok(friends("favour", "add", "Cleo", "I sent her a paper", "--given"))
    brief = json.loads(ok(friends("prep", "Cleo", "--json")))
    assert brief["asks_this_year"] == 2
    lines = next(b for b in brief["bring"] if b["key"] == "visionary")["specifics"]
    assert lines[0].startswith("Asked of Cleo this year: 2 favour(s)")
    assert "Asked of Cleo this year" in ok(friends("prep", "Cleo"))


def test_goal_edit_changes_a_goal_in_place(cli: CliInvoke) -> None:
    ok(cli("goal", "add", "Reach Staff"))
    said = ok(cli("goal", "edit", "1", "--title", "Reach Staff by 2027", "--kind", "challenge",
                  "--top", "--note", "L6 packet"))  # fmt: skip
    assert said.strip() == "Updated challenge #1 (top): Reach Staff by 2027"
    goal = json.loads(ok(cli("goal", "list", "--json")))[0]
    assert (goal["kind"], goal["top"], goal["note"]) == ("challenge", True, "L6 packet")
    ok(cli("goal", "edit", "1", "--note", ""))
    assert json.loads(ok(cli("goal", "list", "--json")))[0]["note"] is None
    nothing = cli("goal", "edit", "1")
    assert nothing.exit_code == 1 and "Nothing to change" in nothing.stderr
    wrong = cli("goal", "edit", "1", "--kind", "dream")
    assert wrong.exit_code == 1 and "goal or challenge" in wrong.stderr
    ok(cli("goal", "done", "1"))
    closed = cli("goal", "edit", "1", "--top")
    assert closed.exit_code == 1 and "only open ones can be top" in closed.stderr
