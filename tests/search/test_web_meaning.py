"""The web page of meaning search (/search/meaning): its status, installing a model from a
folder and turning it off, each a plain form with the CSRF token (no JavaScript needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.conftest import CliInvoke

BASE_URL = "http://127.0.0.1:8000"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def web(cli: CliInvoke, settings: Settings) -> Iterator[TestClient]:
    for args in (
        ("people", "add", "Ada Lovelace", "--expertise", "Kafka and consensus"),
        ("people", "add", "Dee Declared", "--expertise", "distributed systems"),
    ):
        assert cli(*args).exit_code == 0
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        yield client


def post(web: TestClient, url: str, **data: str) -> object:
    found = TOKEN.search(web.get("/search/meaning").text)
    assert found, "no CSRF field on the page"
    return web.post(url, data={**data, "csrf_token": found.group(1)}, follow_redirects=False)


def test_the_page_says_off_and_refuses_what_is_not_a_model(web: TestClient, tmp_path: Path) -> None:
    page = web.get("/search/meaning")
    assert page.status_code == 200
    assert "Off: search ranks by words only." in page.text
    assert '<form method="post" action="/search/meaning/install"' in page.text  # no script
    assert 'href="/search/meaning"' in web.get("/search").text
    # Without its token a post changes nothing.
    refused = web.post("/search/meaning/install", data={"path": str(tmp_path)})
    assert refused.status_code == 403
    missing = post(web, "/search/meaning/install", path=str(tmp_path / "nowhere"))
    assert missing.status_code == 400  # type: ignore[attr-defined]
    text = missing.text  # type: ignore[attr-defined]
    assert "is not a folder" in text and "Traceback" not in text
    assert f'value="{tmp_path / "nowhere"}"' in text  # what was typed comes back
    empty = post(web, "/search/meaning/install", path="")
    assert "Give the folder of a model2vec model." in empty.text  # type: ignore[attr-defined]


def test_install_then_remove_from_the_page(web: TestClient, tmp_path: Path) -> None:
    pytest.importorskip("model2vec")
    from tests.search.test_semantic import build_model

    model = build_model(tmp_path / "tiny-model")
    assert "Ada Lovelace" not in web.get("/search", params={"q": "distributed systems"}).text
    done = post(web, "/search/meaning/install", path=str(model))
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == "/search/meaning"  # type: ignore[attr-defined]
    page = web.get("/search/meaning").text
    assert "Meaning search is on with the model in" in page  # the one-time message
    assert "2 of 2 entries embedded" in page and str(model.resolve()) in page
    assert "Ada Lovelace" in web.get("/search", params={"q": "distributed systems"}).text
    off = post(web, "/search/meaning/remove")
    assert off.status_code == 303  # type: ignore[attr-defined]
    page = web.get("/search/meaning").text
    assert "Meaning search is off." in page and "Off: search ranks by words only." in page
    assert "Ada Lovelace" not in web.get("/search", params={"q": "distributed systems"}).text
