"""A follow-up is added from the person page, as `followup add` does: a title, a due date, and
whose it is; a problem is shown next to its field and nothing is saved."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def error_next_to(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def follow_ups(cli: CliInvoke) -> list[dict[str, object]]:
    result = cli("followup", "list", "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def test_a_follow_up_is_added_from_the_person_page(cli: CliInvoke, client: TestClient) -> None:  # noqa: F811
    assert cli("people", "add", "Dana Whitfield").exit_code == 0
    page = client.get("/people/1").text
    assert 'action="/people/1/followups"' in page and "Add a follow-up" in page

    url = "/people/1/followups"
    blank = post(client, url, {"title": "  ", "due": "tomorrow"}, "/people/1")
    assert blank.status_code == 400  # type: ignore[attr-defined]
    assert "Say what is to be done" in error_next_to(blank.text, "title")  # type: ignore[attr-defined]
    bad_day = post(client, url, {"title": "Send the slides", "due": "someday"}, "/people/1")
    assert bad_day.status_code == 400  # type: ignore[attr-defined]
    error_next_to(bad_day.text, "due")  # type: ignore[attr-defined]
    assert 'value="Send the slides"' in bad_day.text  # type: ignore[attr-defined]
    assert follow_ups(cli) == []  # nothing half-written

    made = post(client, url, {"title": "Send the slides", "due": "+3d"}, "/people/1")
    assert made.status_code == 303  # type: ignore[attr-defined]
    assert made.headers["location"] == "/people/1#follow-ups"  # type: ignore[attr-defined]
    theirs = post(client, url, {"title": "Intro to Sam", "theirs": "on"}, "/people/1")
    assert theirs.status_code == 303  # type: ignore[attr-defined]
    found = {(f["title"], f["due_on"], f["owed_by"], f["name"]) for f in follow_ups(cli)}
    assert found == {
        ("Send the slides", "2026-11-28", "me", "Dana Whitfield"),
        ("Intro to Sam", None, "them", "Dana Whitfield"),
    }
    assert "Send the slides" in client.get("/people/1").text
    assert post(client, "/people/9/followups", {"title": "x"}, "/people/1").status_code == 404  # type: ignore[attr-defined]
