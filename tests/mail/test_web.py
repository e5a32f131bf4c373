"""The Mail page: add an account, sync it and read the report, accept a suggestion; Today
shows the question an email asked."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from imapclient import IMAPClient

from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.mail.dovecot import Imap
from tests.mail.helpers import ASK, ME, at, message
from tests.web.conftest import BASE_URL, post

KIM = "kim.lee@else.example"


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        yield client


def _add_account(web: TestClient, imap: Imap, user: str, **extra: str) -> object:
    data = {
        "name": "home", "host": imap.host, "port": str(imap.port), "user": user,
        "security": "plain", "password_command": f"echo '{imap.password}'",
        "folders": "INBOX, Sent", "me": ME, **extra,
    }  # fmt: skip
    return post(web, "/mail/accounts", data, form_page="/mail")


def test_add_an_account_sync_it_and_see_the_question_on_today(
    web: TestClient, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, client = mailbox
    page = web.get("/mail")
    assert page.status_code == 200 and '<a href="/mail" aria-current="page">Mail</a>' in page.text
    assert post(web, "/people/new", {"name": "Ana Pérez", "email": "ana.perez@example.org"},
                form_page="/people/new").status_code in (302, 303)  # fmt: skip
    client.append("INBOX", ASK)
    for n in (1, 2):
        client.append(
            "Sent",
            message(
                sender=ME,
                to=f"Kim Lee <{KIM}>",
                subject=f"Topic {n}",
                body="Hello.",
                when=at(n),
                message_id=f"<o{n}@x>",
            ),
        )
        client.append("INBOX", message(sender=f"Kim Lee <{KIM}>", to=ME, subject=f"Re: Topic {n}",
                                       body="Thanks.", when=at(n + 1), message_id=f"<i{n}@x>",
                                       references=f"<o{n}@x>"))  # fmt: skip
    added = _add_account(web, imap, user)
    assert added.status_code == 303, added.text  # type: ignore[attr-defined]
    page = web.get("/mail").text
    assert "Added the mail account home" in page and f"{user} at 127.0.0.1" in page

    synced = post(web, "/mail/sync", {"account": "home"}, form_page="/mail")
    text = synced.text  # type: ignore[attr-defined]
    assert synced.status_code == 200 and "Sync of home" in text  # type: ignore[attr-defined]
    assert "Would you be willing to be a reference for my application?" in text
    assert "home/INBOX: 3 new" in text
    assert KIM in text  # suggested: two two-way threads
    today = web.get("/today").text
    assert "Asked: Would you be willing to be a reference for my application?" in today

    accepted = post(web, "/mail/suggestions", {"address": KIM, "name": "Kim Lee"}, "/mail")
    assert accepted.status_code == 303  # type: ignore[attr-defined]
    person = web.get(accepted.headers["location"]).text  # type: ignore[attr-defined]
    assert "Kim Lee" in person and "Topic 2" in person


def test_a_bad_account_form_keeps_what_was_typed_but_never_the_password(
    web: TestClient, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, _client = mailbox
    refused = _add_account(web, imap, user, host="imap.example.org", password_command="",
                           password="hunter2")  # fmt: skip
    text = refused.text  # type: ignore[attr-defined]
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "in the clear" in text and "imap.example.org" in text and "hunter2" not in text
    missing = _add_account(web, imap, user, password_command="")
    assert "Give the password" in missing.text  # type: ignore[attr-defined]
    failing = _add_account(web, imap, user, password_command="echo wrong")
    assert failing.status_code == 303  # type: ignore[attr-defined]
    synced = post(web, "/mail/sync", {"account": "home"}, form_page="/mail")
    assert synced.status_code == 400  # type: ignore[attr-defined]
    assert "the server refused the login" in synced.text  # type: ignore[attr-defined]
    kept = post(web, "/mail/forget", {"account": "home"}, form_page="/mail")
    assert "Tick the box" in kept.text  # type: ignore[attr-defined]
    gone = post(web, "/mail/forget", {"account": "home", "confirm": "on"}, form_page="/mail")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert re.search(r"No mail accounts yet", web.get("/mail").text)
