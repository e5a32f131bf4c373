"""Logging, editing and deleting interactions; groups; the timeline; the demo network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CliInvoke


@pytest.fixture
def two(cli: CliInvoke) -> CliInvoke:
    cli("people", "add", "Sam Patel", "--role", "friend")
    cli("people", "add", "Jo Nakamura", "--role", "work_friend")
    return cli


def test_log_with_several_people_and_backdating(two: CliInvoke) -> None:
    logged = two(
        "log", "Sam", "Jo", "--kind", "lunch", "--on", "2026-11-20", "--note", "Talked *reorg*",
        "--location", "Borough Market", "--json",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    item = json.loads(logged.stdout)
    assert item["people"] == ["Jo Nakamura", "Sam Patel"]
    assert (item["kind"], item["occurred_on"], item["notes"]) == (
        "lunch",
        "2026-11-20",
        "Talked *reorg*",
    )
    # Backdating an older interaction does not move the last contact backwards.
    two("log", "Sam", "--kind", "call", "--on", "-30d")
    sam = json.loads(two("people", "show", "Sam", "--json").stdout)
    assert sam["last_contact_on"] == "2026-11-20"
    assert [i["occurred_on"] for i in sam["interactions"]] == ["2026-11-20", "2026-10-26"]


def test_log_refuses_future_dates_and_bad_kinds(two: CliInvoke) -> None:
    future = two("log", "Sam", "--on", "2026-11-26")
    assert future.exit_code == 1 and "is in the future" in future.stderr
    kind = two("log", "Sam", "--kind", "seance")
    assert kind.exit_code == 1 and "Unknown kind 'seance'" in kind.stderr
    assert "is not a time" in two("log", "Sam", "--at", "25:99").stderr
    assert json.loads(two("timeline", "Sam", "--json").stdout) == []


def test_needs_reply_makes_it_inbound(two: CliInvoke) -> None:
    item = json.loads(two("log", "Jo", "--needs-reply", "--note", "question?", "--json").stdout)
    assert (item["direction"], item["needs_reply"]) == ("inbound", True)
    bad = two("log", "Jo", "--needs-reply", "--direction", "outbound")
    assert bad.exit_code == 1 and "Only an inbound message can need a reply" in bad.stderr


def test_note_from_stdin_and_editor(
    two: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = json.loads(two("log", "Sam", "--note", "-", "--json", input="from stdin\n").stdout)
    assert item["notes"] == "from stdin"
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "written in the editor" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    edited = two("interaction", "edit", str(item["id"]), "--edit")
    assert edited.exit_code == 0
    assert json.loads(two("interaction", "show", str(item["id"]), "--json").stdout)["notes"] == (
        "written in the editor"
    )


def test_edit_and_delete_keep_last_contact_true(two: CliInvoke) -> None:
    first = json.loads(two("log", "Sam", "--on", "2026-11-01", "--json").stdout)
    second = json.loads(two("log", "Sam", "--on", "2026-11-10", "--kind", "call", "--json").stdout)
    assert (
        json.loads(two("people", "show", "Sam", "--json").stdout)["last_contact_on"] == "2026-11-10"
    )
    moved = two("interaction", "edit", str(second["id"]), "--on", "2026-10-01", "--kind", "walk")
    assert moved.exit_code == 0
    assert (
        json.loads(two("people", "show", "Sam", "--json").stdout)["last_contact_on"] == "2026-11-01"
    )
    # Moving it to Jo: Sam's last contact recomputes, Jo gains one.
    two("interaction", "edit", str(first["id"]), "--person", "Jo")
    assert (
        json.loads(two("people", "show", "Sam", "--json").stdout)["last_contact_on"] == "2026-10-01"
    )
    assert (
        json.loads(two("people", "show", "Jo", "--json").stdout)["last_contact_on"] == "2026-11-01"
    )
    assert two("interaction", "delete", str(second["id"]), "--yes").exit_code == 0
    assert json.loads(two("people", "show", "Sam", "--json").stdout)["last_contact_on"] is None
    missing = two("interaction", "delete", "999", "--yes")
    assert missing.exit_code == 1 and "No interaction with id 999" in missing.stderr
    shown = two("interaction", "show", str(first["id"])).stdout
    assert "message on 2026-11-01" in shown and "Jo Nakamura" in shown


def test_timeline_lists_newest_first(two: CliInvoke) -> None:
    assert "Nothing logged with Sam Patel yet." in two("timeline", "Sam").stdout
    two("log", "Sam", "Jo", "--kind", "walk", "--on", "2026-09-01", "--note", "River walk")
    two("log", "Sam", "--kind", "call", "--on", "2026-10-01")
    out = two("timeline", "Sam").stdout
    assert out.index("2026-10-01") < out.index("2026-09-01")
    assert "Jo Nakamura" in out and "River walk" in out
    assert len(json.loads(two("timeline", "Sam", "--limit", "1", "--json").stdout)) == 1


def test_groups_membership_and_sessions(cli: CliInvoke) -> None:
    for name in ("Nadia Haddad", "Tom Eriksen", "Ines Moreau"):
        cli("people", "add", name)
    created = cli("group", "create", "Leadership circle", "--member", "Nadia", "--member", "Tom")
    assert created.exit_code == 0 and "with 2 member(s)" in created.stdout
    assert "already exists" in cli("group", "create", "leadership circle").stderr
    assert cli("group", "add", "Leadership", "Ines").exit_code == 0
    assert "already in Leadership circle" in cli("group", "add", "Leadership", "Ines").stderr
    # Naming the group in `log` logs a session with every current member.
    session = json.loads(cli("log", "Leadership circle", "--on", "2026-11-18", "--json").stdout)
    assert session["kind"] == "group_session" and session["group"] == "Leadership circle"
    assert session["people"] == ["Ines Moreau", "Nadia Haddad", "Tom Eriksen"]
    # Members became peers.
    assert json.loads(cli("people", "show", "Ines", "--json").stdout)["roles"] == ["peer"]
    assert cli("group", "remove", "Leadership", "Tom").exit_code == 0
    assert "is not in Leadership circle" in cli("group", "remove", "Leadership", "Tom").stderr
    groups = json.loads(cli("group", "list", "--json").stdout)
    assert groups[0]["members"] == ["Ines Moreau", "Nadia Haddad"]
    assert groups[0]["last_session_on"] == "2026-11-18"
    everyone = json.loads(
        cli("log", "--group", "Leadership", "--on", "2026-11-19", "--json").stdout
    )
    assert everyone["people"] == ["Ines Moreau", "Nadia Haddad"]
    present = json.loads(
        cli(
            "log", "--group", "Leadership", "--absent", "Ines", "--on", "2026-11-19", "--json"
        ).stdout
    )
    assert present["people"] == ["Nadia Haddad"] and present["group"] == "Leadership circle"
    assert "No group called 'Book club'" in cli("group", "add", "Book club", "Ines").stderr


def test_demo_network(cli: CliInvoke) -> None:
    made = cli("demo")
    assert made.exit_code == 0 and "Demo network ready: 80 people" in made.stdout
    people = json.loads(cli("people", "list", "--json").stdout)
    assert len(people) >= 60
    assert {r for p in people for r in p["roles"]} == {
        "friend", "work_friend", "peer", "role_model", "visionary", "coach", "champion",
        "sponsor", "mentee", "contact",
    }  # fmt: skip
    assert len({p["city"] for p in people}) >= 10
    assert any(p["last_contact_on"] is None for p in people)
    groups = json.loads(cli("group", "list", "--json").stdout)
    assert [len(g["members"]) for g in groups] == [6]
    refused = cli("demo")
    assert refused.exit_code == 1 and "already holds 80 people" in refused.stderr
    assert "at least 30" in cli("demo", "--size", "5", "--force").stderr


def test_demo_is_reproducible(cli: CliInvoke, tmp_path: Path) -> None:
    def snapshot(path: Path, seed: str) -> list[object]:
        assert cli("--db", str(path), "demo", "--seed", seed, "--size", "40").exit_code == 0
        listed = json.loads(cli("--db", str(path), "people", "list", "--json").stdout)
        return [(p["name"], p["city"], p["roles"], p["last_contact_on"]) for p in listed]

    first = snapshot(tmp_path / "a.db", "11")
    assert first == snapshot(tmp_path / "b.db", "11")
    assert first != snapshot(tmp_path / "c.db", "12")


def test_where_and_version(cli: CliInvoke, db_path: Path) -> None:
    assert str(db_path) in cli("where").stdout
    assert json.loads(cli("where", "--json").stdout)["timezone"] == "Europe/London"
    assert cli("--version").stdout.startswith("mentormap ")


def test_an_edit_that_changes_nothing_says_so(demo_cli: CliInvoke) -> None:
    result = demo_cli("interaction", "edit", "1")
    assert result.exit_code == 1 and "Nothing to change" in result.stderr
