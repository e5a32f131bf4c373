"""Web fixtures: the app on this test's database, an in-process client, and the demo network."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.services.context import open_ctx
from mentormap.settings import Settings
from mentormap.web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def demo_client(client: TestClient, db: Database) -> TestClient:
    """The client on a database holding the demo network."""
    from mentormap.services.demo import build_demo

    with open_ctx(db) as ctx:
        build_demo(ctx)
    return client


def token(client: TestClient, url: str = "/log") -> str:
    """The CSRF token of a form on `url` (the page visit also sets the cookie)."""
    page = client.get(url)
    found = TOKEN.search(page.text)
    assert found, f"no CSRF field on {url}"
    return found.group(1)


def post(client: TestClient, url: str, data: dict[str, str], form_page: str = "/log") -> object:
    return client.post(url, data={**data, "csrf_token": token(client, form_page)},
                       follow_redirects=False)  # fmt: skip
