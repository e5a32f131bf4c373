"""A write lock held by another process: pages keep coming, a post gives back what was typed.

The lock is real: a second SQLite connection holds `BEGIN IMMEDIATE` on the same file, as a
running `mentormap import` would, and the app runs in a real uvicorn server so that requests
really are concurrent.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mentormap.db import Database
from mentormap.models import Interaction, Person
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.web.conftest import TOKEN
from tests.web.live import live_server
from tests.web.test_forms import count

LOCK_WAIT = 2.0  # the app's patience with the lock here (the default); a page must come in half


@pytest.fixture
def server(settings: Settings, demo_template: Path, db_path: Path) -> Iterator[str]:
    shutil.copyfile(demo_template, db_path)
    with live_server(create_app(settings.with_(web_lock_wait_seconds=LOCK_WAIT))) as url:
        yield url


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Hold SQLite's write lock from another connection, as another process would."""
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def browser(server: str, form_page: str) -> tuple[httpx.Client, str]:
    """A client holding the CSRF cookie, and the token of the form on `form_page`."""
    client = httpx.Client(base_url=server, follow_redirects=False, timeout=30)
    found = TOKEN.search(client.get(form_page).text)
    assert found
    return client, found.group(1)


NOTE = "She asked for the **budget deck** by Friday"

FORMS = {
    "log page": ("/log", "/log", {"who": "Priya Raman", "kind": "lunch", "notes": NOTE}),
    "person page": ("/people/1", "/people/1/log", {"kind": "lunch", "notes": NOTE}),
}


@pytest.mark.parametrize("where", FORMS)
def test_a_post_during_a_lock_gives_the_form_back_and_pages_keep_coming(
    server: str, db_path: Path, db: Database, where: str
) -> None:
    form_page, url, data = FORMS[where]
    poster, csrf = browser(server, form_page)
    reader = httpx.Client(base_url=server, timeout=30)
    before = count(db, Interaction)
    answer: dict[str, httpx.Response] = {}

    def send() -> None:
        answer["post"] = poster.post(url, data={**data, "csrf_token": csrf})

    with write_lock(db_path):
        sending = threading.Thread(target=send)
        sending.start()
        time.sleep(0.2)  # the post is now waiting on the lock
        started = time.perf_counter()
        page = reader.get("/people/1")
        took = time.perf_counter() - started
        assert page.status_code == 200 and "Priya Raman" in page.text
        assert took < LOCK_WAIT / 2, f"a page took {took:.2f} s while a post waited"
        assert sending.is_alive()  # the page was served while the post was still waiting
        sending.join(timeout=LOCK_WAIT * 10)
    response = answer["post"]
    assert response.status_code == 503
    assert "The database is busy" in response.text
    assert "another mentormap command" in response.text
    assert "She asked for the **budget deck** by Friday</textarea>" in response.text
    assert 'value="lunch" selected' in response.text  # the rest of what she chose, too
    assert count(db, Interaction) == before  # nothing half-written
    # Once the lock is gone, sending the same form again works.
    token = TOKEN.search(response.text)
    assert token
    again = poster.post(url, data={**data, "csrf_token": token.group(1)})
    assert again.status_code == 303
    assert count(db, Interaction) == before + 1


def test_an_action_button_during_a_lock_says_busy(server: str, db_path: Path, db: Database) -> None:
    poster, csrf = browser(server, "/people/2")
    with write_lock(db_path):
        response = poster.post("/people/2/archive", data={"csrf_token": csrf})
    assert response.status_code == 503
    assert "The database is busy" in response.text
    with open_ctx(db) as ctx:
        person = ctx.session.get(Person, 2)
        assert person is not None and not person.archived


def test_the_busy_message_is_one_line(server: str, db_path: Path) -> None:
    poster, csrf = browser(server, "/log")
    with write_lock(db_path):
        response = poster.post("/log", data={"who": "Priya Raman", "csrf_token": csrf})
    found = re.search(r'<p class="field-error" id="who-error">([^<]*)</p>', response.text)
    assert found and "\n" not in found.group(1)
    assert found.group(1).startswith("The database is busy")
