"""Life events: recorded, changed and removed from the CLI and the web; recent ones in Today
(with a prompt per kind) and in the prep brief."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def test_cli_adds_lists_edits_and_removes_news(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman")
    added = cli(
        "life-event", "add", "Priya", "Started at Acme", "--on", "2026-11-20", "--kind", "new_job"
    )
    assert added.exit_code == 0, added.output
    assert "Life event #1 for Priya Raman recorded. Wish Priya well in the new job" in added.output
    listed = json.loads(cli("life-event", "list", "Priya", "--json").output)
    assert [(e["id"], e["on"], e["kind"], e["text"]) for e in listed] == [
        (1, "2026-11-20", "new_job", "Started at Acme")
    ]
    assert "2026-11-20: Started at Acme (new job, #1)" in cli("people", "show", "Priya").output
    edited = cli("life-event", "edit", "1", "--kind", "promotion", "--text", "Head of platform")
    assert edited.exit_code == 0
    [event] = json.loads(cli("life-event", "list", "--json").output)
    assert (event["kind"], event["text"]) == ("promotion", "Head of platform")
    assert cli("life-event", "remove", "1", "--yes").exit_code == 0
    assert json.loads(cli("life-event", "list", "--json").output) == []


def test_cli_refuses_bad_news_in_one_line(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman")
    kind = cli("life-event", "add", "Priya", "Moved", "--kind", "holiday")
    assert kind.exit_code == 1 and "Unknown kind 'holiday'; choose one of: new_job" in kind.output
    empty = cli("life-event", "add", "Priya", "  ")
    assert empty.exit_code == 1 and "Say what happened" in empty.output
    nobody = cli("life-event", "add", "Nobody Known", "Moved")
    assert nobody.exit_code == 1 and "Traceback" not in nobody.output
    missing = cli("life-event", "edit", "99", "--text", "x")
    assert missing.exit_code == 1 and "No life event #99" in missing.output


def test_today_shows_the_last_two_weeks_of_news_with_a_prompt(cli: CliInvoke) -> None:
    # TODAY is 2026-11-25: the window is 12 November to today.
    cli("people", "add", "Priya Raman")
    cli("people", "add", "Sam Patel")
    cli("life-event", "add", "Priya", "Had a baby girl", "--on", "2026-11-12", "--kind", "baby")
    cli("life-event", "add", "Sam", "Moved to Leeds", "--on", "2026-11-11", "--kind", "move")
    cli("life-event", "add", "Sam", "Will get married", "--on", "2026-12-05")
    news = json.loads(cli("today", "--json").output)["news"]
    assert [(n["name"], n["on"], n["kind"]) for n in news] == [
        ("Priya Raman", "2026-11-12", "baby")
    ]
    assert news[0]["prompt"] == "Congratulate Priya on the baby; ask how they are all doing."
    text = cli("today").output
    assert "News in their lives" in text and "Congratulate Priya on the baby" in text
    cli("people", "archive", "Priya")
    assert json.loads(cli("today", "--json").output)["news"] == []


def test_prep_brings_her_recent_news_with_the_prompt(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman", "--role", "role_model")
    cli("life-event", "add", "Priya", "Won the community award", "--on", "-3d", "--kind", "award")
    cli("life-event", "add", "Priya", "Ran a marathon", "--on", "2026-06-01")
    brief = json.loads(cli("prep", "Priya", "--json").output)
    recent = [n for n in brief["news"] if n["prompt"]]
    assert [n["text"] for n in recent] == ["Won the community award"]
    assert "award was well deserved" in recent[0]["prompt"]
    text = cli("prep", "Priya").output
    assert "Won the community award — Tell Priya the award was well deserved" in text


def test_web_adds_edits_and_removes_news_with_errors_by_the_field(
    client: TestClient,  # noqa: F811
) -> None:
    post(client, "/people/new", {"name": "Priya Raman"}, form_page="/people/new")
    page = client.get("/people/1").text
    assert 'action="/people/1/life-events"' in page
    bad = post(client, "/people/1/life-events", {"text": "", "on": "someday"}, "/people/1")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert 'id="text-error"' in bad.text and 'id="on-error"' in bad.text  # type: ignore[attr-defined]
    done = post(
        client,
        "/people/1/life-events",
        {"text": "Started at Acme", "on": "2026-11-20", "kind": "new_job"},
        "/people/1",
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/people/1").text
    assert "Started at Acme" in page and "new job" in page
    assert "Wish Priya well in the new job" in client.get("/today").text
    form = client.get("/life-events/1/edit").text
    assert 'value="Started at Acme"' in form
    wrong = post(
        client, "/life-events/1/edit", {"text": "x", "kind": "gala"}, "/life-events/1/edit"
    )
    assert wrong.status_code == 400 and 'id="kind-error"' in wrong.text  # type: ignore[attr-defined]
    post(
        client,
        "/life-events/1/edit",
        {"text": "Head of platform at Acme", "on": "2026-11-20", "kind": "promotion"},
        "/life-events/1/edit",
    )
    assert "Head of platform at Acme" in client.get("/people/1").text
    gone = post(client, "/life-events/1/remove", {}, "/people/1")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert "No news recorded yet" in client.get("/people/1").text
    assert client.get("/life-events/1/edit").status_code == 404
