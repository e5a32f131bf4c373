"""Telling people apart: a second person with the same name is flagged with both ids, merges
say which ids went where, and a real import names the people it added."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_adding_a_second_person_with_the_same_name_warns_with_the_ids(cli: CliInvoke) -> None:
    first = cli("people", "add", "Sam Lee", "--company", "Acme")
    assert first.exit_code == 0 and first.stderr == ""
    second = cli("people", "add", "sam lee")
    assert second.exit_code == 0
    assert "Added sam lee (#2)." in second.stdout
    assert "already had someone called sam lee: #1 (Acme)" in second.stderr
    assert "the new one is #2" in second.stderr


def test_merge_messages_carry_the_ids(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Sam Lee", "--email", "sam@example.org"))
    ok(cli("people", "add", "Samuel Lee", "--email", "sam@example.org"))
    said = ok(cli("people", "merge", "#1", "#2", "--yes"))
    assert said.strip() == "Merged Samuel Lee (#2) into Sam Lee (#1)."
    ok(cli("people", "add", "Ana Ruiz", "--email", "ana@example.org"))
    ok(cli("people", "add", "Ana Ruiz", "--email", "ana@example.org"))
    out = ok(cli("people", "duplicates", "--yes"))
    assert "Merged 1 duplicate(s) into 1 person(s): #3 into #2 Ana Ruiz." in out


def test_a_real_import_names_the_new_people(cli: CliInvoke, tmp_path: Path) -> None:
    ok(cli("people", "add", "Priya Raman", "--email", "priya@example.org"))
    cards = tmp_path / "two.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Raman\r\nEMAIL:priya@example.org\r\n"
        "TITLE:Staff Engineer\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Sato\r\nEMAIL:ben@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Chiyo Mori\r\nEND:VCARD\r\n"
    )
    out = ok(cli("import", str(cards)))
    assert "New people: Ben Sato, Chiyo Mori." in out
    assert "Imported vcard: 2 new, 1 updated" in out
    dry = ok(cli("import", str(cards), "--dry-run"))
    assert "New people:" not in dry  # a dry run draws every row in its table instead
