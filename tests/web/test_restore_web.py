"""The web restore: streamed from the upload off the event loop, warnings shown, refusals in
one line on the form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import Person, PersonLink
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.web.conftest import BASE_URL
from tests.web.test_forms import count, field_error
from tests.web.test_interop import upload


@pytest.fixture
def fresh(settings: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, Database]]:
    """The web app on a second, empty database."""
    empty = settings.with_(database_url=f"sqlite:///{tmp_path / 'fresh.db'}")
    with TestClient(create_app(empty), base_url=BASE_URL) as client:
        database = Database.open(empty)
        yield client, database
        database.close()


def _backup(demo_client: TestClient) -> Any:
    return json.loads(demo_client.get("/export/json").content)


def test_web_restore_drops_script_links_and_says_so(
    demo_client: TestClient, fresh: tuple[TestClient, Database]
) -> None:
    client, db = fresh
    doc = _backup(demo_client)
    doc["tables"]["person_links"] = {
        "columns": ["id", "person_id", "kind", "url"],
        "rows": [
            [1, 1, "site", "javascript:alert(document.domain)"],
            [2, 1, "site", "https://a.example"],
        ],
    }
    done = upload(
        client, "/restore", {"backup": ("b.json", json.dumps(doc).encode())}, confirm="on"
    )
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert "person_links row 1: dropped the link" in client.get("/").text
    assert count(db, PersonLink) == 1
    assert "javascript:" not in client.get("/people/1").text


def test_web_restore_refuses_a_hostile_backup_in_one_line(
    demo_client: TestClient, fresh: tuple[TestClient, Database]
) -> None:
    client, db = fresh
    doc = _backup(demo_client)
    roles = doc["tables"]["roles"]
    roles["rows"][0][roles["columns"].index("key")] = "boss"
    refused = upload(
        client, "/restore", {"backup": ("b.json", json.dumps(doc).encode())}, confirm="on"
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    message = field_error(refused.text, "backup")  # type: ignore[attr-defined]
    assert "roles row 1, column key:" in message and "boss" in message
    assert count(db, Person) == 0
