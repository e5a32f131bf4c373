"""Server-mode fixtures: users in this test's database, and a multi-user app signed in as one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.services.accounts.users import UserView, add_user
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.web.conftest import BASE_URL

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def make_user(db: Database, email: str, admin: bool = False) -> UserView:
    with db.session() as session:
        return add_user(session, email, PASSWORD, admin=admin)


def csrf(client: TestClient, url: str = "/login") -> str:
    found = TOKEN.search(client.get(url).text)
    assert found, f"no CSRF field on {url}"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> object:
    data = {"email": email, "password": password, "next": "/", "csrf_token": csrf(client)}
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def server_app(settings: Settings, db: Database) -> FastAPI:
    return create_app(settings, multi_user=True)


@pytest.fixture
def new_client(server_app: FastAPI) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(base_url: str = BASE_URL) -> TestClient:
        client = TestClient(server_app, base_url=base_url)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)
