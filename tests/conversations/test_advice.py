"""`mentormap advice add|review`: advice taken with a grain of salt."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


def test_demo_review_lists_pending_and_the_scoreboard(demo_cli: CliInvoke) -> None:
    data = json.loads(demo_cli("advice", "review", "--json").stdout)
    assert [a["person"] for a in data["pending"]] == ["Priya Raman", "Ruth Adeyemi"]
    board = {s["person"]: s for s in data["advisers"]}
    assert board["Priya Raman"]["given"] == 2 and board["Priya Raman"]["helped"] == 1
    assert board["Margaret Okafor"]["hit_rate"] == 0.0
    assert board["Dana Whitfield"]["hit_rate"] == 1.0
    # best hit rate first; nobody reviewed → last
    assert data["advisers"][0]["hit_rate"] == 1.0
    assert data["advisers"][-1]["hit_rate"] is None
    text = demo_cli("advice", "review").stdout
    assert "Waiting for a verdict" in text and "What worked for you" in text


def test_add_then_review(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman")
    added = cli("advice", "add", "Priya", "Keep a brag document", "--on", "-30d")
    assert added.exit_code == 0, added.output
    pending = json.loads(cli("advice", "review", "--json").stdout)["pending"]
    assert pending[0]["given_on"] == "2026-10-26"
    advice_id = str(pending[0]["id"])
    result = cli("advice", "review", advice_id, "--followed", "yes", "--helped", "yes")
    assert result.exit_code == 0 and "followed, and it helped" in result.stdout
    data = json.loads(cli("advice", "review", "--json").stdout)
    assert data["pending"] == []
    assert data["advisers"][0] == {
        "person": "Priya Raman",
        "given": 1,
        "reviewed": 1,
        "followed": 1,
        "helped": 1,
        "hit_rate": 1.0,
    }
    assert "No advice waiting" in cli("advice", "review").stdout


def test_not_followed_cannot_have_helped(cli: CliInvoke) -> None:
    cli("people", "add", "Sam Patel")
    cli("advice", "add", "Sam", "Quit on the spot")
    advice_id = str(json.loads(cli("advice", "review", "--json").stdout)["pending"][0]["id"])
    result = cli("advice", "review", advice_id, "--followed", "no", "--helped", "yes")
    assert result.exit_code == 0 and "not followed" in result.stdout
    score = json.loads(cli("advice", "review", "--json").stdout)["advisers"][0]
    assert (score["followed"], score["helped"], score["hit_rate"]) == (0, 0, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Sam", " "], "needs some text"),
        (["add", "Sam", "x", "--on", "tomorrow"], "in the future"),
        (["add", "Nobody Here", "x"], "No one called"),
        (["review", "1"], "--followed yes"),
        (["review", "1", "--followed", "maybe"], "yes or no"),
        (["review", "1", "--followed", "yes"], "helped"),
        (["review", "77", "--followed", "no"], "No advice #77"),
    ],
)
def test_bad_input_is_one_line(cli: CliInvoke, args: list[str], message: str) -> None:
    cli("people", "add", "Sam Patel")
    cli("advice", "add", "Sam", "Take a holiday")
    result = cli("advice", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    pending = json.loads(cli("advice", "review", "--json").stdout)["pending"]
    assert [a["text"] for a in pending] == ["Take a holiday"]


def test_review_on_a_terminal_asks_about_each(
    cli: CliInvoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentormap.cli import advice

    cli("people", "add", "Priya Raman")
    cli("advice", "add", "Priya", "Restate and attribute", "--on", "-60d")
    cli("advice", "add", "Priya", "Say no to two small projects", "--on", "-30d")
    cli("advice", "add", "Priya", "Ask for examples", "--on", "-10d")
    monkeypatch.setattr(advice, "stdin_is_terminal", lambda: True)
    # oldest first: followed and helped; followed, did not help; skipped
    result = cli("advice", "review", input="y\ny\ny\nn\ns\n")
    assert result.exit_code == 0, result.output
    data = json.loads(cli("advice", "review", "--json").stdout)
    assert [a["text"] for a in data["pending"]] == ["Ask for examples"]
    assert data["advisers"][0]["followed"] == 2
    assert data["advisers"][0]["helped"] == 1
    assert data["advisers"][0]["hit_rate"] == 0.5
