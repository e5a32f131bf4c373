"""`mentormap sync …` and the Sync page, against a real Radicale."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.conftest import CliInvoke
from tests.sync.helpers import card, put_card, server_cards
from tests.sync.radicale import Radicale
from tests.web.conftest import BASE_URL, post, token


def test_add_list_run_and_remove_from_the_cli(
    cli: CliInvoke, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(server, user, f"/{user}/contacts/ivy.vcf", card("ivy", "Ivy Park", "ORG:Acme"))
    added = cli(
        "sync", "add", "phone", "--carddav", server.root + "/", "--user", user,
        "--password-command", "echo secret",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Added carddav source phone" in added.output
    assert cli("people", "add", "Jo Quinn", "--email", "jo@quinn.example").exit_code == 0

    ran = cli("sync", "run", "phone", "--json")
    assert ran.exit_code == 0, ran.output
    [report] = json.loads(ran.output)
    assert report["counts"] == {
        "pulled": 1, "created": 1, "updated": 0, "pushed": 1, "archived": 0, "conflicts": 0,
    }  # fmt: skip
    assert len(server_cards(server, user, url)) == 2  # found the address book from the root

    listed = json.loads(cli("sync", "list", "--json").output)
    assert [(s["name"], s["kind"], s["linked"], s["password_from"]) for s in listed] == [
        ("phone", "carddav", 2, "command")
    ]
    assert "secret" not in cli("sync", "list").output
    text = cli("sync", "run")
    assert text.exit_code == 0
    assert (
        "phone: 0 pulled, 0 created, 0 updated, 0 pushed, 0 archived, 0 conflicts." in text.output
    )

    removed = cli("sync", "remove", "phone", "--yes")
    assert removed.exit_code == 0 and "2 links forgotten" in removed.output
    assert json.loads(cli("sync", "list", "--json").output) == []
    assert json.loads(cli("people", "list", "--json").output)  # people stay


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--carddav", "http://example.org/dav/"), "use an https:// address"),
        (("--carddav", "ftp://x/"), "is not an http(s) address"),
        (("--carddav", "https://a/", "--ics", "https://b/x.ics"), "Give exactly one of"),
        (("--ics", "https://b/x.ics", "--roles-as-categories"), "address book (--carddav) only"),
    ],
)
def test_bad_sources_are_one_sentence(cli: CliInvoke, args: tuple[str, ...], message: str) -> None:
    result = cli("sync", "add", "phone", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unknown_source_or_a_refused_login_is_one_sentence(cli: CliInvoke) -> None:
    result = cli("sync", "run", "nope")
    assert result.exit_code == 1 and "No sync source called 'nope'" in result.output
    added = cli(
        "sync",
        "add",
        "x",
        "--carddav",
        "http://127.0.0.1:9/",
        "--password-command",
        "false",
        "--user",
        "u",
    )
    assert added.exit_code == 0
    failed = cli("sync", "run", "x")
    assert failed.exit_code == 1
    assert "The password command of the source x failed" in failed.output


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        yield client


def test_the_sync_page_adds_runs_and_removes_a_source(
    web: TestClient, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(server, user, f"/{user}/contacts/kai.vcf", card("kai", "Kai Lund", "TITLE:Staff"))
    page = web.get("/sync")
    assert page.status_code == 200 and "No sources yet" in page.text
    assert 'name="csrf_token"' in page.text
    refused = web.post("/sync/sources", data={"name": "p", "url": url}, follow_redirects=False)
    assert refused.status_code in (400, 403)  # no CSRF token, no change

    added = post(
        web, "/sync/sources",
        {"name": "phone", "kind": "carddav", "url": url, "user": user,
         "password_command": "echo any"},
        form_page="/sync",
    )  # fmt: skip
    assert getattr(added, "status_code", None) == 303
    ran = web.post(
        "/sync/run",
        data={"source": "phone", "csrf_token": token(web, "/sync")},
    )
    assert ran.status_code == 200
    assert re.search(r"1</?\w*[^>]*>?\s*pulled|1 pulled", ran.text)
    assert "1 created" in ran.text
    people = web.get("/people")
    assert "Kai Lund" in people.text

    bad = post(web, "/sync/sources", {"name": "x", "kind": "carddav", "url": "ftp://nope"}, "/sync")
    assert getattr(bad, "status_code", None) == 400
    assert "is not an http(s) address" in getattr(bad, "text", "")

    unticked = web.post("/sync/remove", data={"source": "phone", "csrf_token": token(web, "/sync")})
    assert unticked.status_code == 400 and "Tick the box" in unticked.text
    gone = post(web, "/sync/remove", {"source": "phone", "confirm": "on"}, "/sync")
    assert getattr(gone, "status_code", None) == 303
    assert "No sources yet" in web.get("/sync").text
