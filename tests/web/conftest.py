"""Web fixtures: the app on this test's database, an in-process client, and the demo network."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mentormap.settings import Settings
from mentormap.web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
# The app answers only the names it is known by; TestClient's default "testserver" is not one.
BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def demo_client(settings: Settings, demo_template: Path, db_path: Path) -> Iterator[TestClient]:
    """A client on a copy of the demo network (list it before `db` in a test's arguments, so
    the copy is in place before anything opens the file)."""
    shutil.copyfile(demo_template, db_path)
    with TestClient(create_app(settings), base_url=BASE_URL) as test_client:
        yield test_client


def token(client: TestClient, url: str = "/log") -> str:
    """The CSRF token of a form on `url` (the page visit also sets the cookie)."""
    page = client.get(url)
    found = TOKEN.search(page.text)
    assert found, f"no CSRF field on {url}"
    return found.group(1)


def post(client: TestClient, url: str, data: dict[str, str], form_page: str = "/log") -> object:
    return client.post(url, data={**data, "csrf_token": token(client, form_page)},
                       follow_redirects=False)  # fmt: skip
