"""Mail fixtures: one real Dovecot for the whole run, a fresh mailbox on it for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from imapclient import IMAPClient

from tests.mail.dovecot import Imap, dovecot_available, dovecot_server


@pytest.fixture(scope="session")
def server() -> Iterator[tuple[Imap, list[str]]]:
    if not dovecot_available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    with dovecot_server() as imap:
        yield imap, list(imap.users)


@pytest.fixture(scope="session")
def tls_server() -> Iterator[Imap]:
    """A Dovecot offering IMAPS and STARTTLS with a self-signed certificate."""
    if not dovecot_available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    with dovecot_server(tls=True) as imap:
        yield imap


@pytest.fixture
def mailbox(server: tuple[Imap, list[str]]) -> Iterator[tuple[Imap, str, IMAPClient]]:
    """A fresh user on the shared server, logged in to put messages in with APPEND."""
    imap, free = server
    user = free.pop()
    client = IMAPClient(imap.host, port=imap.port, ssl=False)
    client.login(user, imap.password)
    if not client.folder_exists("Sent"):
        client.create_folder("Sent")
    yield imap, user, client
    client.logout()
