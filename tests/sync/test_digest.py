"""`mentormap digest`: today's agenda as text and HTML, sent to a real SMTP server (aiosmtpd on
127.0.0.1) with the password from a command."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import date
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from mentormap.db import Database
from mentormap.models import Person
from mentormap.services.unit import open_ctx
from tests.conftest import CliInvoke
from tests.ports import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     data: Any) -> AuthResult:  # fmt: skip
        assert isinstance(data, LoginPassword)
        login = (data.login.decode(), data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("me", "s3cret"))


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate,
        auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    yield port, inbox
    controller.stop()


def test_the_digest_renders_and_is_sent_through_the_configured_server(
    db: Database, cli: CliInvoke, smtp: tuple[int, Inbox]
) -> None:
    port, inbox = smtp
    with open_ctx(db) as ctx:
        ctx.session.add(Person(name="Oli <b>Reyes</b>", met_on=date(2025, 1, 1)))
    shown = cli("digest")
    assert shown.exit_code == 0
    assert "Due for a catch-up" in shown.output and "Oli <b>Reyes</b>" in shown.output
    page = cli("digest", "--html").output
    assert "Oli &lt;b&gt;Reyes&lt;/b&gt;" in page  # escaped

    missing = cli("digest", "--send")
    assert missing.exit_code == 1 and "config set digest_to" in missing.output
    for key, value in (
        ("smtp_host", "127.0.0.1"), ("smtp_port", str(port)), ("smtp_security", "plain"),
        ("smtp_user", "me"), ("smtp_password_command", "echo s3cret"),
        ("smtp_from", "me@example.org"), ("digest_to", "me@example.org"),
    ):  # fmt: skip
        assert cli("config", "set", key, value).exit_code == 0, key
    sent = cli("digest", "--send")
    assert sent.exit_code == 0, sent.output
    assert "Sent the digest to me@example.org" in sent.output
    assert inbox.logins == [("me", "s3cret")]
    [message] = inbox.messages
    assert message["Subject"].startswith("mentormap: ")
    parts = {part.get_content_type(): part.get_payload(decode=True) for part in message.walk()}
    assert b"Oli <b>Reyes</b>" in parts["text/plain"]
    assert b"Oli &lt;b&gt;Reyes&lt;/b&gt;" in parts["text/html"]

    assert cli("config", "set", "smtp_host", "smtp.example.org").exit_code == 0
    refused = cli("digest", "--send")
    assert refused.exit_code == 1 and "in the clear" in refused.output
