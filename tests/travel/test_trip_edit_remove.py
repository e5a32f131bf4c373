"""A trip's days and note change, and a trip goes, from the CLI and from the web."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def test_trip_edit_and_remove_from_the_cli(cli: CliInvoke) -> None:
    added = cli("trip", "add", "Sydney, Australia", "--from", "2026-12-10", "--to", "2026-12-14")
    assert added.exit_code == 0, added.output
    moved = cli(
        "trip", "edit", "#1", "--from", "2026-12-11", "--to", "2026-12-16", "--note", "offsite"
    )
    assert moved.exit_code == 0, moved.output
    assert "2026-12-11 to 2026-12-16" in moved.stdout
    listed = cli("trip", "list", "--json").stdout
    assert '"start_on": "2026-12-11"' in listed and '"note": "offsite"' in listed
    backwards = cli("trip", "edit", "#1", "--to", "2026-12-01")
    assert backwards.exit_code == 1 and "before it starts" in backwards.stderr
    assert '"end_on": "2026-12-16"' in cli("trip", "list", "--json").stdout  # nothing changed
    gone = cli("trip", "remove", "#1")
    assert gone.exit_code == 0 and "Removed trip #1" in gone.stdout
    assert cli("trip", "list", "--json").stdout.strip() == "[]"
    missing = cli("trip", "remove", "#1")
    assert missing.exit_code == 1 and "No trip #1" in missing.stderr


def test_trip_edit_and_remove_on_the_web(client: TestClient) -> None:  # noqa: F811
    made = post(
        client, "/trips", {"city": "Lisbon", "start": "2026-12-10", "end": "2026-12-12"}, "/trips"
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/trips/1").text
    assert 'action="/trips/1/edit"' in page and 'value="2026-12-10"' in page
    bad = post(client, "/trips/1/edit", {"start": "2026-12-10", "end": "2026-12-01"}, "/trips/1")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "The last day comes before the first." in bad.text  # type: ignore[attr-defined]
    done = post(
        client,
        "/trips/1/edit",
        {"start": "2026-12-11", "end": "2026-12-13", "note": "conference"},
        "/trips/1",
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "conference" in client.get("/trips/1").text
    removed = post(client, "/trips/1/remove", {}, "/trips/1")
    assert removed.status_code == 303  # type: ignore[attr-defined]
    assert client.get("/trips/1").status_code == 404
