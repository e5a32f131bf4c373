"""An open agenda point is reworded or moved, from the CLI (`agenda edit`) and from the person
and prep pages; a refused change is shown next to its field and changes nothing."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def points(cli: CliInvoke) -> list[tuple[int, int, str]]:
    found = json.loads(ok(cli("agenda", "list", "Margaret", "--json")))
    return [(p["id"], p["position"], p["text"]) for p in found]


def agenda(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Margaret Okafor"))
    ok(cli("agenda", "add", "Margaret", "Ask about the staff packet"))
    ok(cli("agenda", "add", "Margaret", "Thank her for the intro"))


def test_agenda_edit_from_the_cli(cli: CliInvoke) -> None:
    agenda(cli)
    done = cli("agenda", "edit", "1", "--text", "Ask how the packet was built")
    assert "Changed #1 (point 1): Ask how the packet was built" in ok(done)
    ok(cli("agenda", "edit", "2", "--place", "1", "--text", "Thank her for the intro to Sam"))
    assert points(cli) == [
        (2, 1, "Thank her for the intro to Sam"),
        (1, 2, "Ask how the packet was built"),
    ]
    for args, message in (
        (("1",), "Error: Nothing to change: give the point a new text or place.\n"),
        (("1", "--text", " "), "Error: An agenda point needs some text.\n"),
        (("1", "--text", "New", "--place", "5"), "Error: Position must be between 1 and 2.\n"),
        (("9", "--text", "New"), "Error: No agenda point #9.\n"),
    ):
        refused = cli("agenda", "edit", *args)
        assert refused.exit_code == 1 and refused.stderr == message
    assert points(cli)[1] == (1, 2, "Ask how the packet was built")  # nothing changed
    ok(cli("agenda", "drop", "1"))
    closed = cli("agenda", "edit", "1", "--text", "Again")
    assert closed.stderr == "Error: Agenda point #1 is dropped; only open points change.\n"


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error next to {field}"
    return found.group(1)


def test_agenda_edit_on_the_web(cli: CliInvoke, client: TestClient) -> None:  # noqa: F811
    agenda(cli)
    page = client.get("/people/1").text
    assert 'action="/people/1/agenda/2/edit"' in page and 'value="Thank her for the intro"' in page
    assert 'action="/people/1/agenda/1/edit"' in client.get("/people/1/prep").text

    url = "/people/1/agenda/2/edit"
    blank = post(client, url, {"text": " ", "place": "1", "back": "prep"}, "/people/1")
    assert blank.status_code == 400  # type: ignore[attr-defined]
    assert "Write the point" in field_error(blank.text, "text")  # type: ignore[attr-defined]
    far = post(client, url, {"text": "Thank her", "place": "7"}, "/people/1")
    assert field_error(far.text, "place") == "Position must be between 1 and 2."  # type: ignore[attr-defined]
    assert 'value="7"' in far.text  # type: ignore[attr-defined]
    word = post(client, url, {"text": "Thank her", "place": "first"}, "/people/1")
    assert "a number" in field_error(word.text, "place")  # type: ignore[attr-defined]
    assert points(cli)[1] == (2, 2, "Thank her for the intro")

    saved = post(client, url, {"text": "Thank her for the intro to Sam", "place": "1"}, "/people/1")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == "/people/1#agenda"  # type: ignore[attr-defined]
    assert points(cli)[0] == (2, 1, "Thank her for the intro to Sam")
    from_prep = post(
        client, "/people/1/agenda/1/edit", {"text": "Ask about it", "back": "prep"}, "/people/1"
    )
    assert from_prep.headers["location"] == "/people/1/prep#agenda"  # type: ignore[attr-defined]
    assert points(cli)[1] == (1, 2, "Ask about it")  # an empty place leaves it where it was

    ok(cli("people", "add", "Jo Nakamura"))
    ok(cli("agenda", "add", "Jo", "Her talk"))
    wrong = post(client, "/people/1/agenda/3/edit", {"text": "Mine now"}, "/people/1")
    assert wrong.status_code == 400 and "is not for Margaret Okafor" in wrong.text  # type: ignore[attr-defined]
    missing = post(client, "/people/1/agenda/9/edit", {"text": "x"}, "/people/1")
    assert missing.status_code == 404  # type: ignore[attr-defined]
