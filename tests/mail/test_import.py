"""`mail import`: mbox and Maildir files become email interactions, once each, and owed replies."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.models import Interaction, MailMessage
from mentormap.services.clock.owed_replies import owed_replies
from tests.conftest import CliInvoke
from tests.mail.helpers import ASK, ME, REPLY, at, message, reading, write_maildir, write_mbox


def _json(cli: CliInvoke, *args: str) -> dict:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ana(cli: CliInvoke, role: str | None = None) -> None:
    assert cli("people", "add", "Ana Pérez", "--email", "Ana.Perez@example.org").exit_code == 0
    if role:
        assert cli("role", "add", "Ana", role, "--since", "2026-01-01").exit_code == 0


def test_an_inbound_question_becomes_an_owed_reply_and_her_reply_clears_it(
    cli: CliInvoke, tmp_path: Path, db: Database
) -> None:
    _ana(cli, "mentee")
    inbox = write_mbox(tmp_path / "Inbox.mbox", [ASK])
    report = _json(cli, "mail", "import", str(inbox), "--me", ME)
    assert report["counts"]["interactions"] == 1
    assert report["owed_replies"] == [
        {
            "name": "Ana Pérez",
            "question": "Would you be willing to be a reference for my application?",
            "received_on": "2026-11-20",
            "due_on": "2026-11-22",  # a mentee's short reply window
        }
    ]
    today = cli("today")
    assert "Would you be willing to be a reference for my application?" in today.stdout
    assert cli("config", "get", "me").stdout.strip() == ME  # --me is remembered

    sent = write_mbox(tmp_path / "Sent.mbox", [REPLY])
    report = _json(cli, "mail", "import", str(sent))
    assert report["counts"]["interactions"] == 1 and report["owed_replies"] == []
    with reading(db) as ctx:
        assert owed_replies(ctx, lookback_days=None)[1] == 0
    assert "reference" not in cli("today").stdout


def test_the_same_message_in_two_folders_or_imported_twice_is_one_interaction(
    cli: CliInvoke, tmp_path: Path, db: Database
) -> None:
    _ana(cli)
    box = write_maildir(tmp_path / "Mail", [ASK, REPLY], folders={"Sent": [REPLY], "All": [ASK]})
    first = _json(cli, "mail", "import", str(box), "--me", ME)
    assert first["counts"]["interactions"] == 2 and first["counts"]["already_seen"] == 2
    again = _json(cli, "mail", "import", str(box))
    assert again["counts"]["interactions"] == 0 and again["counts"]["already_seen"] == 4
    with reading(db) as ctx:
        kinds = ctx.session.execute(select(Interaction.kind, Interaction.direction)).all()
    assert sorted(kinds) == [("email", "inbound"), ("email", "outbound")]


def test_dates_come_from_the_header_in_her_time_zone_not_the_file_order(
    cli: CliInvoke, tmp_path: Path
) -> None:
    _ana(cli)
    late = message(
        sender="ana.perez@example.org",
        to=ME,
        subject="Late night",
        body="Night.",
        when=at(23, 23).astimezone(__import__("zoneinfo").ZoneInfo("America/New_York")),
        message_id="<late@x>",
    )
    early = message(
        sender=ME,
        to="ana.perez@example.org",
        subject="Early",
        body="Morning.",
        when=at(2),
        message_id="<early@x>",
    )
    write_mbox(tmp_path / "m.mbox", [late, early])
    _json(cli, "mail", "import", str(tmp_path / "m.mbox"), "--me", ME)
    rows = _json(cli, "timeline", "Ana")
    assert [(r["occurred_on"], r["notes"]) for r in rows] == [
        ("2026-11-23", "Late night"),  # 18:00 in New York is 23:00 in London
        ("2026-11-02", "Early"),
    ]


def test_an_email_keeps_a_contact_clock_but_not_a_role_models(
    cli: CliInvoke, tmp_path: Path
) -> None:
    _ana(cli, "role_model")
    assert cli("people", "add", "Bo Chen", "--email", "bo@example.org").exit_code == 0
    mails = [
        message(
            sender="ana.perez@example.org",
            to=ME,
            subject="Hi",
            body="Hi.",
            when=at(24),
            message_id="<a@x>",
        ),
        message(
            sender="bo@example.org",
            to=ME,
            subject="Hi",
            body="Hi.",
            when=at(24),
            message_id="<b@x>",
        ),
    ]
    write_mbox(tmp_path / "m.mbox", mails)
    _json(cli, "mail", "import", str(tmp_path / "m.mbox"), "--me", ME)
    people = {p["name"]: p for p in _json(cli, "people", "list")}
    assert people["Bo Chen"]["last_contact_on"] == "2026-11-24"
    assert people["Bo Chen"]["due_on"] > "2027-01-01"  # a contact's clock restarted
    assert people["Ana Pérez"]["due_on"] <= "2026-11-25"  # a role model wants a conversation


def test_bulk_strangers_and_malformed_messages_are_counted_and_named(
    cli: CliInvoke, tmp_path: Path, db: Database
) -> None:
    _ana(cli)
    newsletter = message(
        sender="news@shop.example",
        to=ME,
        subject="Sale?",
        body="Buy?",
        when=at(3),
        headers={"List-Unsubscribe": "<mailto:u@shop.example>"},
    )
    stranger = message(sender="kim@else.example", to=ME, subject="Hello", body="Hi?", when=at(4))
    broken = b"From: ana.perez@example.org\nTo: sofia@example.com\nSubject: no date\n\nHi\n"
    not_mine = message(
        sender="ana.perez@example.org", to="bob@example.org", subject="x", body="x", when=at(5)
    )
    write_mbox(tmp_path / "m.mbox", [ASK, newsletter, broken, stranger, not_mine])
    result = cli("mail", "import", str(tmp_path / "m.mbox"), "--me", ME)
    assert result.exit_code == 0
    assert f"{tmp_path / 'm.mbox'} message 3: skipped, it has no Date header" in result.stderr
    counts = _json(cli, "mail", "import", str(tmp_path / "m.mbox"))["counts"]
    assert counts["bulk"] == 1 and counts["skipped"] == 1 and counts["not_to_or_from_you"] == 1
    with reading(db) as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(Interaction)) == 1
        assert ctx.session.scalar(select(func.count()).select_from(MailMessage)) == 2


def test_a_dry_run_changes_nothing_and_a_bad_path_leaves_the_database_as_it_was(
    cli: CliInvoke, tmp_path: Path, db: Database
) -> None:
    _ana(cli)
    write_mbox(tmp_path / "m.mbox", [ASK])
    report = _json(cli, "mail", "import", str(tmp_path / "m.mbox"), "--me", ME, "--dry-run")
    assert report["dry_run"] and report["counts"]["interactions"] == 1
    assert len(report["owed_replies"]) == 1
    bad = cli("mail", "import", str(tmp_path / "m.mbox"), str(tmp_path / "nope"), "--me", ME)
    assert bad.exit_code == 1 and "No file or folder" in bad.stderr
    folder = tmp_path / "plain"
    folder.mkdir()
    assert "not a Maildir" in cli("mail", "import", str(folder), "--me", ME).stderr
    with reading(db) as ctx:
        assert ctx.session.scalar(select(func.count()).select_from(Interaction)) == 0
    assert cli("config", "get", "me").stdout.strip() == "(not set)"
    none = cli("mail", "import", str(tmp_path / "m.mbox"))
    assert none.exit_code == 1 and "--me" in none.stderr


def test_a_forgotten_me_is_one_sentence(cli: CliInvoke, tmp_path: Path) -> None:
    write_mbox(tmp_path / "m.mbox", [ASK])
    result = cli("mail", "import", str(tmp_path / "m.mbox"), "--me", "not-an-address")
    assert result.exit_code == 1 and "is not a list of email addresses" in result.stderr
