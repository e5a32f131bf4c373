"""An achievement is changed and removed on both faces, and a share marked by mistake is taken
back (`achievement unshare`): prep and highlights offer the achievement to her again."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as con:
        return con.execute(sql).fetchall()


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def log(cli: CliInvoke) -> list[dict[str, Any]]:
    return list(json.loads(ok(cli("achievement", "list", "--json"))))


def network(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Margaret Okafor", "--role", "sponsor", "--tag", "leadership"))
    ok(cli("people", "add", "Margaret Chen"))
    ok(cli("achievement", "add", "Led the guild", "--on", "-5d", "--tag", "leadership"))
    ok(cli("achievement", "add", "Shipped the API", "--on", "-3d"))


def test_unshare_from_the_cli_offers_it_again(cli: CliInvoke) -> None:
    network(cli)
    ok(cli("achievement", "shared", "1", "--with", "Margaret Okafor", "--on", "-1d"))
    assert [s["person"] for s in log(cli)[1]["shared_with"]] == ["Margaret Okafor"]
    draft = json.loads(ok(cli("highlights", "Margaret Okafor", "--since", "-30d", "--json")))
    assert [i["title"] for i in draft["items"]] == ["Shipped the API"]
    done = cli("achievement", "unshare", "1", "--with", "Margaret Okafor")
    assert "no longer marked shared with Margaret Okafor (was 2026-11-24)" in ok(done)
    assert log(cli)[1]["shared_with"] == []
    draft = json.loads(ok(cli("highlights", "Margaret Okafor", "--since", "-30d", "--json")))
    assert [i["title"] for i in draft["items"]] == ["Led the guild", "Shipped the API"]

    again = cli("achievement", "unshare", "1", "--with", "Margaret Okafor")
    assert again.exit_code == 1
    assert again.stderr == "Error: Achievement #1 is not shared with Margaret Okafor.\n"
    vague = cli("achievement", "unshare", "1", "--with", "Margaret")
    assert vague.exit_code == 1 and vague.stderr.count("\n") == 1
    assert "Margaret Okafor" in vague.stderr and "Margaret Chen" in vague.stderr
    nobody = cli("achievement", "unshare", "9", "--with", "Margaret Okafor")
    assert nobody.exit_code == 1 and nobody.stderr == "Error: No achievement #9.\n"


def test_a_highlights_email_share_is_taken_back_and_the_email_stays(
    cli: CliInvoke, db_path: Path
) -> None:
    network(cli)
    ok(cli("highlights", "Margaret Okafor", "--mark-sent"))
    assert rows(db_path, "SELECT count(*) FROM achievement_shares") == [(2,)]
    ok(cli("achievement", "unshare", "2", "--with", "Margaret Okafor"))
    assert rows(db_path, "SELECT achievement_id FROM achievement_shares") == [(1,)]
    assert rows(db_path, "SELECT kind FROM interactions") == [("highlights_email",)]


def test_achievement_remove_from_the_cli(cli: CliInvoke, db_path: Path) -> None:
    network(cli)
    ok(cli("achievement", "shared", "1", "--with", "Margaret Okafor"))
    assert "Removed achievement #1: Led the guild" in ok(cli("achievement", "remove", "1"))
    assert [a["id"] for a in log(cli)] == [2]
    assert rows(db_path, "SELECT count(*) FROM achievement_shares") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM achievement_tags") == [(0,)]
    show = json.loads(ok(cli("people", "show", "Margaret Okafor", "--json")))
    assert show["tags"] == ["leadership"]  # the tag itself stays, on her
    again = cli("achievement", "remove", "1")
    assert again.exit_code == 1 and again.stderr == "Error: No achievement #1.\n"


def test_achievement_edit_can_keep_or_replace_its_tags(cli: CliInvoke) -> None:
    network(cli)
    ok(cli("achievement", "edit", "1", "--title", "Led the incident guild"))
    assert log(cli)[1]["tags"] == ["leadership"]  # no --tag: the tags stay
    ok(cli("achievement", "edit", "1", "--tag", "guilds", "--tag", "reviews"))
    assert log(cli)[1]["tags"] == ["guilds", "reviews"]


def error_next_to(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def test_achievement_edit_unshare_and_remove_on_the_web(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    network(cli)
    ok(cli("achievement", "shared", "1", "--with", "Margaret Okafor"))
    assert 'href="/achievements/1/edit"' in client.get("/achievements").text
    page = client.get("/achievements/1/edit").text
    assert 'value="Led the guild"' in page and 'value="leadership"' in page
    assert 'action="/achievements/1/shares/1/remove"' in page
    assert 'action="/achievements/1/remove"' in page

    edit = "/achievements/1/edit"
    blank = post(client, edit, {"title": "", "on": "2026-11-20"}, edit)
    assert blank.status_code == 400  # type: ignore[attr-defined]
    assert error_next_to(blank.text, "title") == "Say what you achieved."  # type: ignore[attr-defined]
    future = post(client, edit, {"title": "Led it", "on": "2027-01-01"}, edit)
    assert "in the future" in error_next_to(future.text, "on")  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT title FROM achievements WHERE id = 1") == [("Led the guild",)]

    saved = post(client, edit, {"title": "Led the review guild", "on": "-6d", "tags": ""}, edit)
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT title, occurred_on FROM achievements WHERE id = 1") == [
        ("Led the review guild", "2026-11-19")
    ]
    assert rows(db_path, "SELECT count(*) FROM achievement_tags WHERE achievement_id = 1") == [(0,)]

    back = "/achievements/1/edit#shares"
    taken = post(client, "/achievements/1/shares/1/remove", {"back": back}, edit)
    assert taken.status_code == 303 and taken.headers["location"] == back  # type: ignore[attr-defined]
    assert rows(db_path, "SELECT count(*) FROM achievement_shares") == [(0,)]
    assert "no longer marked shared with Margaret Okafor" in client.get(edit).text
    none = post(client, "/achievements/1/shares/1/remove", {}, edit)
    assert none.status_code == 404  # type: ignore[attr-defined]

    gone = post(client, "/achievements/1/remove", {}, edit)
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/achievements"  # type: ignore[attr-defined]
    assert [a["id"] for a in log(cli)] == [2]
    assert client.get(edit).status_code == 404
    assert post(client, edit, {"title": "x", "on": "today"}, "/achievements").status_code == 404  # type: ignore[attr-defined]
