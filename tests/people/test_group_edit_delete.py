"""A peer group is changed, archived and deleted from the CLI and the web. Deleting one keeps
its past sessions as conversations of those who came; its memberships, agenda points and
follow-ups go, and the members keep their peer role."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as con:
        return con.execute(sql).fetchall()


def groups(cli: CliInvoke, *options: str) -> list[dict[str, Any]]:
    return list(json.loads(ok(cli("group", "list", "--json", *options))))


def circle(cli: CliInvoke) -> None:
    for name in ("Nadia Haddad", "Tom Becker", "Ines Duarte"):
        ok(cli("people", "add", name))
    ok(cli("group", "create", "Leadership circle", "-m", "Nadia", "-m", "Tom", "-m", "Ines"))
    ok(cli("group", "session", "Leadership circle", "--start", "18:00", "--log", "-n", "Reorg"))
    ok(cli("agenda", "add", "Leadership circle", "Pick the next book"))
    ok(cli("followup", "add", "Leadership circle", "Book the room"))


def test_group_edit_from_the_cli(cli: CliInvoke) -> None:
    circle(cli)
    ok(cli("group", "create", "Book club"))
    done = cli(
        "group", "edit", "Leadership", "--name", "Staff circle", "--cadence", "3w",
        "--minutes", "90", "--note", "Monthly, online",
    )  # fmt: skip
    assert "Updated Staff circle: every 21 days, 90 minutes." in ok(done)
    [staff] = [g for g in groups(cli) if g["name"] == "Staff circle"]
    assert (staff["cadence_days"], staff["session_minutes"], staff["note"]) == (
        21,
        90,
        "Monthly, online",
    )
    assert staff["members"] == ["Ines Duarte", "Nadia Haddad", "Tom Becker"]
    ok(cli("group", "edit", "Staff circle", "--note", ""))
    assert [g["note"] for g in groups(cli) if g["name"] == "Staff circle"] == [None]

    nothing = (
        "Nothing to change: pass --name, --cadence, --minutes, --note, --archive or --restore."
    )
    for args, message in (
        (("Staff circle", "--name", "book CLUB"), "A group called 'book CLUB' already exists."),
        (("Staff circle",), nothing),
        (("Staff circle", "--minutes", "0"), "Cadence and session length must be positive."),
        (("Knitting", "--minutes", "30"), "No group called 'Knitting'."),
    ):
        refused = cli("group", "edit", *args)
        assert refused.exit_code == 1 and refused.stderr == f"Error: {message}\n"
    assert [g["session_minutes"] for g in groups(cli) if g["name"] == "Staff circle"] == [90]


def test_an_archived_group_leaves_the_lists_and_comes_back(cli: CliInvoke) -> None:
    circle(cli)
    assert "(archived)" in ok(cli("group", "edit", "Leadership circle", "--archive"))
    assert groups(cli) == []
    [kept] = groups(cli, "--all")
    assert kept["archived"] is True and len(kept["members"]) == 3
    assert "(archived)" in ok(cli("group", "list", "--all"))
    timeline = json.loads(ok(cli("timeline", "Nadia", "--json")))
    assert timeline[0]["group"] == "Leadership circle"  # its sessions keep its name
    ok(cli("group", "edit", "Leadership circle", "--restore"))
    assert [g["name"] for g in groups(cli)] == ["Leadership circle"]


def test_group_delete_keeps_past_sessions(cli: CliInvoke, db_path: Path) -> None:
    circle(cli)
    assert rows(db_path, "SELECT count(*) FROM preferences WHERE key LIKE 'group_first%'") == [(1,)]
    done = cli("group", "delete", "Leadership")
    said = " ".join(ok(done).split())  # the console wraps long lines
    assert said == (
        "Deleted Leadership circle: 3 membership(s) ended, 1 open agenda point(s) and "
        "1 follow-up(s) removed; its 1 past session(s) kept as conversations."
    )
    assert groups(cli, "--all") == []
    assert rows(db_path, "SELECT count(*) FROM group_members") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM agenda_items") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM follow_ups") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM preferences WHERE key LIKE 'group_first%'") == [(0,)]
    # The session is still everyone's conversation, with its notes, and no group.
    assert rows(db_path, "SELECT group_id, notes LIKE 'Reorg%' FROM interactions") == [(None, 1)]
    assert rows(db_path, "SELECT count(*) FROM interaction_participants") == [(3,)]
    [session] = json.loads(ok(cli("timeline", "Tom", "--json")))
    assert session["group"] is None and sorted(session["people"]) == [
        "Ines Duarte",
        "Nadia Haddad",
        "Tom Becker",
    ]
    assert json.loads(ok(cli("people", "show", "Ines", "--json")))["roles"] == ["peer"]
    again = cli("group", "delete", "Leadership")
    assert again.exit_code == 1 and again.stderr == "Error: No group called 'Leadership'.\n"


def error_next_to(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def test_group_edit_archive_and_delete_on_the_web(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    circle(cli)
    ok(cli("group", "create", "Book club"))
    page = client.get("/groups/1").text
    assert 'action="/groups/1/edit"' in page and 'value="Leadership circle"' in page
    assert 'action="/groups/1/delete"' in page

    edit = "/groups/1/edit"
    fields = {"name": "Staff circle", "cadence": "3w", "minutes": "90", "note": "Online"}
    taken = post(client, edit, {**fields, "name": "Book Club"}, "/groups/1")
    assert taken.status_code == 400  # type: ignore[attr-defined]
    assert "already exists" in error_next_to(taken.text, "name")  # type: ignore[attr-defined]
    bad = post(client, edit, {**fields, "cadence": "often", "minutes": "2"}, "/groups/1")
    assert "is not a duration" in error_next_to(bad.text, "cadence")  # type: ignore[attr-defined]
    assert "between 5 and 600" in error_next_to(bad.text, "minutes")  # type: ignore[attr-defined]
    assert 'value="often"' in bad.text  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT name, cadence_days FROM groups WHERE id = 1") == [
        ("Leadership circle", 30)
    ]

    saved = post(client, edit, fields, "/groups/1")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == "/groups/1"  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT name, cadence_days, session_minutes, note FROM groups") == [
        ("Staff circle", 21, 90, "Online"),
        ("Book club", 30, 60, None),
    ]
    archived = post(client, edit, {**fields, "archived": "on"}, "/groups/1")
    assert archived.status_code == 303  # type: ignore[attr-defined]
    listing = client.get("/groups").text
    main, archive = listing.split('id="archived"')
    assert 'href="/groups/1"' in archive and 'href="/groups/1"' not in main
    assert "(archived)" in client.get("/groups/1").text
    post(client, edit, fields, "/groups/1")  # unticked: back again
    assert rows(db_path, "SELECT archived FROM groups WHERE id = 1") == [(0,)]

    gone = post(client, "/groups/1/delete", {}, "/groups/1")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/groups"  # type: ignore[attr-defined]
    assert "its 1 past session(s) stay" in client.get("/groups").text
    assert rows(db_path, "SELECT count(*) FROM interactions") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM group_members") == [(0,)]
    assert client.get("/groups/1").status_code == 404
    assert post(client, "/groups/1/delete", {}, "/groups").status_code == 404  # type: ignore[attr-defined]
    assert post(client, edit, fields, "/groups").status_code == 404  # type: ignore[attr-defined]
