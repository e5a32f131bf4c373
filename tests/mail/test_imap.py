"""`mail add-account`, `sync`, `forget` against a real Dovecot: read-only, incremental, safe."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.models import Interaction, MailFolder, MailMessage
from tests.conftest import CliInvoke
from tests.mail.dovecot import Imap, dovecot_available
from tests.mail.helpers import ASK, ME, REPLY, at, message, reading

pytestmark = pytest.mark.skipif(
    not dovecot_available(), reason="Dovecot is not installed (apt-get install dovecot-imapd)"
)


def _add(cli: CliInvoke, imap: Imap, user: str, name: str = "home", password: str = "") -> None:
    secret = Path(imap.root) / f"secret-{user}-{name}"
    secret.write_text((password or imap.password) + "\n")
    result = cli(
        "mail", "add-account", name, "--host", imap.host, "--port", str(imap.port),
        "--user", user, "--security", "plain", "--folder", "INBOX", "--folder", "Sent",
        "--password-command", f"cat {secret}", "--me", ME,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def _sync(cli: CliInvoke, *args: str) -> dict:
    result = cli("mail", "sync", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _count(db: Database, what: object) -> int:
    with reading(db) as ctx:
        return int(ctx.session.scalar(select(func.count()).select_from(what)) or 0)


def test_a_sync_reads_inbox_and_sent_marks_nothing_read_and_finds_the_owed_reply(
    cli: CliInvoke, db: Database, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, client = mailbox
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    client.append("INBOX", ASK)
    _add(cli, imap, user)
    report = _sync(cli)
    assert report["counts"]["interactions"] == 1
    assert [o["question"] for o in report["owed_replies"]] == [
        "Would you be willing to be a reference for my application?"
    ]
    assert {(f["folder"], f["new"]) for f in report["folders"]} == {("INBOX", 1), ("Sent", 0)}
    client.select_folder("INBOX", readonly=True)
    flags = client.get_flags(client.search("ALL"))
    assert list(flags) == [1] and b"\\Seen" not in flags[1]  # still unread: BODY.PEEK

    client.append("Sent", REPLY)
    report = _sync(cli, "home")
    assert report["counts"]["interactions"] == 1 and report["owed_replies"] == []
    assert {(f["folder"], f["new"]) for f in report["folders"]} == {("INBOX", 0), ("Sent", 1)}
    assert "reference" not in cli("today").stdout


def test_a_resync_with_nothing_new_fetches_nothing_and_is_quick(
    cli: CliInvoke, db: Database, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, client = mailbox
    for n in range(30):
        client.append(
            "INBOX",
            message(sender=f"p{n}@example.org", to=ME, subject=f"n{n}", body="Hi.", when=at(3),
                    message_id=f"<n{n}@x>"),
        )  # fmt: skip
    _add(cli, imap, user)
    assert _sync(cli)["counts"]["read"] == 30
    listed = cli("mail", "accounts")
    assert listed.exit_code == 0 and "INBOX (last UID 30)" in listed.stdout
    views = json.loads(cli("mail", "accounts", "--json").stdout)
    assert views[0]["password_from"] == "command" and views[0]["messages"] == 30
    started = time.monotonic()
    again = _sync(cli)
    assert time.monotonic() - started < 1.5
    assert again["counts"]["read"] == 0
    with reading(db) as ctx:
        folder = ctx.session.scalar(select(MailFolder).where(MailFolder.name == "INBOX"))
        assert folder is not None and folder.last_uid == 30 and folder.uidvalidity


def test_a_changed_uidvalidity_reads_the_folder_again_and_counts_nothing_twice(
    cli: CliInvoke, db: Database, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, client = mailbox
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    client.append("Sent", REPLY)
    _add(cli, imap, user)
    assert _sync(cli)["counts"]["interactions"] == 1
    client.delete_folder("Sent")
    client.create_folder("Sent")  # a new folder of the same name: a new UIDVALIDITY
    client.append("Sent", REPLY)
    again = _sync(cli)
    assert again["counts"]["read"] == 1 and again["counts"]["already_seen"] == 1
    assert _count(db, Interaction) == 1


def test_a_wrong_password_or_no_server_is_one_line_and_changes_nothing(
    cli: CliInvoke, db: Database, mailbox: tuple[Imap, str, IMAPClient], tmp_path: Path
) -> None:
    imap, user, client = mailbox
    client.append("INBOX", ASK)
    _add(cli, imap, user, password="wrong")
    result = cli("mail", "sync")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: home: the server refused the login for {user}."
    assert "wrong" not in result.output
    _add(cli, imap, user, name="gone")
    assert cli("mail", "forget", "home", "--yes").exit_code == 0
    with reading(db) as ctx:
        account = ctx.session.scalar(select(MailFolder).where(MailFolder.name == "INBOX"))
        assert account is not None
    refused = cli(
        "mail", "add-account", "closed", "--host", "127.0.0.1", "--port", "1", "--user", "x",
        "--security", "plain", "--password-command", "echo x",
    )  # fmt: skip
    assert refused.exit_code == 0
    result = cli("mail", "sync", "closed")
    assert result.exit_code == 1 and "cannot reach 127.0.0.1:1" in result.stderr
    assert _count(db, MailMessage) == 0
    db_file = Path(str(db.settings.database_url).removeprefix("sqlite:///"))
    for stored in (db_file, *db_file.parent.glob(db_file.name + "-*")):  # and its WAL
        assert imap.password.encode() not in stored.read_bytes(), stored


def test_forget_removes_what_the_account_brought_in_and_nothing_else(
    cli: CliInvoke, db: Database, mailbox: tuple[Imap, str, IMAPClient]
) -> None:
    imap, user, client = mailbox
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    assert cli("log", "Ana", "--kind", "coffee").exit_code == 0
    client.append("INBOX", ASK)
    _add(cli, imap, user)
    _sync(cli)
    assert _count(db, Interaction) == 2
    result = cli("mail", "forget", "home", "--yes")
    assert result.exit_code == 0 and "1 interactions and 1 messages removed" in result.stdout
    assert _count(db, Interaction) == 1 and _count(db, MailMessage) == 0
    assert "reference" not in cli("today").stdout
    assert cli("mail", "forget", "home", "--yes").exit_code == 1


def test_plain_imap_is_refused_beyond_this_machine(cli: CliInvoke) -> None:
    result = cli(
        "mail", "add-account", "w", "--host", "imap.example.org", "--user", "x",
        "--security", "plain", "--password-command", "echo x",
    )  # fmt: skip
    assert result.exit_code == 1 and "in the clear" in result.stderr


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_implicit_or_starttls_and_an_untrusted_certificate_is_one_line(
    cli: CliInvoke, tls_server: Imap, security: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tls_server.users[0 if security == "ssl" else 1]
    with IMAPClient(tls_server.host, port=tls_server.port, ssl=False) as client:
        client.login(user, tls_server.password)
        client.append("INBOX", ASK)
    port = tls_server.tls_port if security == "ssl" else tls_server.port
    secret = Path(tls_server.root) / f"secret-{security}"
    secret.write_text(tls_server.password)
    added = cli(
        "mail", "add-account", "tls", "--host", tls_server.host, "--port", str(port),
        "--user", user, "--security", security, "--password-command", f"cat {secret}",
        "--me", ME,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    untrusted = cli("mail", "sync")
    assert untrusted.exit_code == 1
    assert untrusted.stderr.startswith("Error: tls: the TLS connection failed")
    monkeypatch.setenv("SSL_CERT_FILE", tls_server.cert)  # trust the test's own certificate
    assert _sync(cli)["counts"]["read"] == 1


def test_large_messages_are_fetched_a_few_at_a_time_and_none_is_lost(
    cli: CliInvoke, mailbox: tuple[Imap, str, IMAPClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentormap.services.mail import imap as imap_sync

    imap, user, client = mailbox
    for n in range(5):
        client.append(
            "INBOX",
            message(sender=f"p{n}@example.org", to=ME, subject=f"big {n}", body="x" * 3000,
                    when=at(4), message_id=f"<big{n}@x>"),
        )  # fmt: skip
    monkeypatch.setattr(imap_sync, "FETCH_BYTES", 4000)  # about one message a batch
    _add(cli, imap, user)
    report = _sync(cli)
    assert report["counts"]["read"] == 5 and report["folders"][0]["last_uid"] == 5
