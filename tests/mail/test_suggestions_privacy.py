"""Unknown correspondents are suggested, never added silently; no body text is ever stored."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliInvoke
from tests.mail.helpers import ASK, ME, at, message, write_mbox

KIM = "kim.lee@else.example"
SECRET_BODY = "the harassment story I am still processing"


def _thread(n: int, question: bool = False) -> list[bytes]:
    asked = "Could you review my talk proposal?" if question else "Thanks."
    return [
        message(sender=f"Sofia <{ME}>", to=f"Kim Lee <{KIM}>", subject=f"Topic {n}",
                body="Hello.", when=at(2 + n), message_id=f"<out{n}@x>"),
        message(sender=f"Kim Lee <{KIM}>", to=ME, subject=f"Re: Topic {n}", body=asked,
                when=at(3 + n), message_id=f"<in{n}@x>", in_reply_to=f"<out{n}@x>",
                references=f"<out{n}@x>"),
    ]  # fmt: skip


def test_two_two_way_threads_make_a_suggestion_and_accepting_links_her_past(
    cli: CliInvoke, tmp_path: Path
) -> None:
    one_way = message(sender="Lou <lou@else.example>", to=ME, subject="Hi", body="Hi?",
                      when=at(5), message_id="<lou1@x>")  # fmt: skip
    one_way2 = message(sender="Lou <lou@else.example>", to=ME, subject="Hi again", body="Hi?",
                       when=at(6), message_id="<lou2@x>")  # fmt: skip
    single = _thread(10)  # Max: one two-way thread only
    single = [m.replace(KIM.encode(), b"max@else.example") for m in single]
    single = [m.replace(b"@x>", b"@max>") for m in single]
    box = write_mbox(tmp_path / "m.mbox", [*_thread(1), *_thread(2, question=True), one_way,
                                           one_way2, *single])  # fmt: skip
    report = json.loads(cli("mail", "import", str(box), "--me", ME, "--json").stdout)
    assert report["counts"]["interactions"] == 0
    assert report["counts"]["unknown_correspondents_only"] == 8
    assert json.loads(cli("people", "list", "--json").stdout) == []  # nobody added silently

    found = json.loads(cli("mail", "suggestions", "--json").stdout)
    assert found == [
        {"address": KIM, "name": "Kim Lee", "threads": 2, "messages": 4, "last_on": "2026-11-05"}
    ]
    added = cli("mail", "suggestions", "--add", KIM)
    assert added.exit_code == 0 and "Added Kim Lee <kim.lee@else.example>: 4 emails" in added.stdout
    timeline = json.loads(cli("timeline", "Kim", "--json").stdout)
    assert len(timeline) == 4 and {t["kind"] for t in timeline} == {"email"}
    today = cli("today").stdout
    assert "Could you review my talk proposal?" in today
    assert json.loads(cli("mail", "suggestions", "--json").stdout) == []
    again = cli("mail", "suggestions", "--add", KIM)
    assert again.exit_code == 1 and "already belongs" in again.stderr


def test_no_body_text_in_the_database_its_copy_or_the_json_backup(
    cli: CliInvoke, tmp_path: Path, db_path: Path
) -> None:
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    private = message(
        sender="ana.perez@example.org", to=ME, subject="Catching up",
        body=f"I wanted to tell you about {SECRET_BODY}. Can we talk on Friday?",
        when=at(21), message_id="<private@x>",
    )  # fmt: skip
    write_mbox(tmp_path / "m.mbox", [ASK, private])
    assert cli("mail", "import", str(tmp_path / "m.mbox"), "--me", ME).exit_code == 0
    assert cli("backup", str(tmp_path / "copy.db")).exit_code == 0
    assert cli("export", "--format", "json", "-o", str(tmp_path / "b.json")).exit_code == 0
    files = [db_path, tmp_path / "copy.db", tmp_path / "b.json"]
    files += [p for p in tmp_path.glob("mentormap.db-*")]  # the write-ahead log, if any
    for path in files:
        data = path.read_bytes()
        assert SECRET_BODY.encode() not in data, path
        assert b"Staff programme" not in data, path  # the body of ASK
        assert b"Can we talk on Friday?" in data or path.suffix != ".json"  # the question kept
    backup = json.loads((tmp_path / "b.json").read_text())
    assert {"mail_messages", "mail_addresses", "mail_accounts", "mail_folders"} <= set(
        backup["tables"]
    )


def test_a_restore_carries_the_mail_tables_so_nothing_is_counted_twice(
    cli: CliInvoke, tmp_path: Path, monkeypatch: object
) -> None:
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    write_mbox(tmp_path / "m.mbox", [ASK, *_thread(1), *_thread(2)])
    assert cli("mail", "import", str(tmp_path / "m.mbox"), "--me", ME).exit_code == 0
    assert cli("export", "--format", "json", "-o", str(tmp_path / "b.json")).exit_code == 0
    other = tmp_path / "restored.db"
    restored = cli("--db", str(other), "restore", str(tmp_path / "b.json"))
    assert restored.exit_code == 0, restored.output
    again = json.loads(
        cli("--db", str(other), "mail", "import", str(tmp_path / "m.mbox"), "--json").stdout
    )
    assert again["counts"]["already_seen"] == 5 and again["counts"]["interactions"] == 0
    found = json.loads(cli("--db", str(other), "mail", "suggestions", "--json").stdout)
    assert [s["address"] for s in found] == [KIM]


def test_a_restore_refuses_a_mail_row_it_could_not_read_back(
    cli: CliInvoke, tmp_path: Path
) -> None:
    assert cli("people", "add", "Ana Pérez", "--email", "ana.perez@example.org").exit_code == 0
    write_mbox(tmp_path / "m.mbox", [ASK])
    assert cli("mail", "import", str(tmp_path / "m.mbox"), "--me", ME).exit_code == 0
    assert cli("export", "--format", "json", "-o", str(tmp_path / "b.json")).exit_code == 0
    backup = json.loads((tmp_path / "b.json").read_text())
    table = backup["tables"]["mail_messages"]
    table["rows"][0][table["columns"].index("direction")] = "sideways"
    (tmp_path / "bad.json").write_text(json.dumps(backup))
    refused = cli("--db", str(tmp_path / "other.db"), "restore", str(tmp_path / "bad.json"))
    assert refused.exit_code == 1
    assert "mail_messages row 1, column direction: 'sideways' is not one of" in refused.stderr
