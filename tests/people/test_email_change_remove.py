"""A person's email is changed and removed, from `people edit --remove-email [--email]` and on
her edit page; a bad address or one she does not have is refused in one line, nothing changed."""

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


def emails(cli: CliInvoke, who: str = "Dana") -> list[str]:
    return list(json.loads(ok(cli("people", "show", who, "--json")))["emails"])


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as con:
        return con.execute(sql).fetchall()


def dana(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Dana Whitfield", "-e", "dana@old.example", "-e", "dw@home.example"))


def test_remove_and_change_an_email_from_the_cli(cli: CliInvoke) -> None:
    dana(cli)
    ok(cli("people", "edit", "Dana", "--remove-email", "DW@home.example"))
    assert emails(cli) == ["dana@old.example"]
    ok(
        cli(
            "people", "edit", "Dana", "--remove-email", "dana@old.example", "-e", "dana@new.example"
        )
    )
    assert emails(cli) == ["dana@new.example"]
    assert "Dana Whitfield" in ok(cli("people", "show", "dana@new.example"))
    gone = cli("people", "show", "dana@old.example")
    assert gone.exit_code == 1 and gone.stderr.count("\n") == 1


def test_bad_email_edits_change_nothing(cli: CliInvoke) -> None:
    dana(cli)
    ok(cli("people", "add", "Dana Kim"))
    unknown = cli(
        "people", "edit", "Dana Whitfield", "--remove-email", "x@y.example", "--title", "CTO"
    )
    assert unknown.exit_code == 1
    assert unknown.stderr == (
        "Error: Dana Whitfield has no email 'x@y.example' "
        "(hers: dana@old.example, dw@home.example).\n"
    )
    bad = cli("people", "edit", "Dana Whitfield", "--remove-email", "dw@home.example", "-e", "nope")
    assert bad.exit_code == 1 and bad.stderr == "Error: 'nope' is not an email address.\n"
    assert emails(cli, "Dana Whitfield") == ["dana@old.example", "dw@home.example"]
    shown = json.loads(ok(cli("people", "show", "Dana Whitfield", "--json")))
    assert shown["title"] is None  # the whole edit was refused
    vague = cli("people", "edit", "Dana", "--remove-email", "dw@home.example")
    assert vague.exit_code == 1 and vague.stderr.count("\n") == 1
    assert "Dana Whitfield" in vague.stderr and "Dana Kim" in vague.stderr


def error_next_to(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def test_change_and_remove_an_email_on_the_web(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    dana(cli)
    page = client.get("/people/1/edit").text
    assert 'name="email_1" type="email" value="dana@old.example"' in page
    assert 'action="/people/1/emails/2/remove"' in page and 'form="remove-email-2"' in page

    edit = "/people/1/edit"
    base = {"name": "Dana Whitfield", "keeps_clock": "role"}
    bad = post(client, edit, {**base, "email_1": "not-an-address", "title": "CTO"}, edit)
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "is not an email address" in error_next_to(bad.text, "email_1")  # type: ignore[attr-defined]
    twice = post(client, edit, {**base, "email_1": "dw@home.example"}, edit)
    assert "already has dw@home.example" in error_next_to(twice.text, "email_1")  # type: ignore[attr-defined]
    assert emails(cli) == ["dana@old.example", "dw@home.example"]
    assert rows(db_path, "SELECT title FROM people") == [(None,)]

    fields = {**base, "email_1": "Dana@New.example", "email_2": "dw@home.example"}
    saved = post(client, edit, fields, edit)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT id, email FROM person_emails ORDER BY id") == [
        (1, "dana@new.example"),  # corrected in place: still her first address
        (2, "dw@home.example"),
    ]
    emptied = post(client, edit, {**base, "email_1": "dana@new.example", "email_2": ""}, edit)
    assert emptied.status_code == 303  # type: ignore[attr-defined]
    assert emails(cli) == ["dana@new.example"]

    ok(cli("people", "edit", "Dana", "-e", "dana@third.example"))
    removed = post(client, "/people/1/emails/1/remove", {}, edit)
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert removed.headers["location"] == "/people/1/edit#emails"  # type: ignore[attr-defined]
    assert emails(cli) == ["dana@third.example"]
    assert "Removed dana@new.example from Dana Whitfield" in client.get(edit).text
    assert post(client, "/people/1/emails/1/remove", {}, edit).status_code == 404  # type: ignore[attr-defined]

    ok(cli("people", "add", "Jo Nakamura", "-e", "jo@example.org"))
    theirs = post(client, "/people/1/emails/4/remove", {}, edit)  # Jo's, through Dana
    assert theirs.status_code == 404  # type: ignore[attr-defined]
    assert emails(cli, "Jo") == ["jo@example.org"]
