"""Exports (vCard, CSV, .ics) through the CLI, atomic files, duplicates, and import fuzzing."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import Booking, Person, SyncEvent
from mentormap.services.interop.files import write_atomically
from mentormap.services.sync.sources import add_source
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import CliInvoke

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_vcard_export_imports_back_into_an_empty_database(
    demo_cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "all.vcf"
    result = demo_cli("export", "--format", "vcard", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 80 and "VERSION:4.0" in text
    monkeypatch.setenv("MENTORMAP_DB", str(tmp_path / "other.db"))
    imported = demo_cli("import", str(out))
    assert "Imported vcard: 80 new" in imported.stdout, imported.output


def test_csv_export_to_stdout_has_header_and_a_row_per_person(demo_cli: CliInvoke) -> None:
    result = demo_cli("export", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert (
        lines[0]
        == "name,emails,phones,links,company,title,city,country,how_met,met_on,birthday,notes"
    )
    assert len([line for line in lines if line]) >= 81


def test_ics_export_lists_catch_ups_and_follow_ups(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman", "--role", "role_model")
    result = cli("export", "--format", "ics")
    assert result.exit_code == 0
    assert "BEGIN:VCALENDAR" in result.stdout
    assert "SUMMARY:Catch up with Priya Raman" in result.stdout
    assert "DTSTART;VALUE=DATE:" in result.stdout


def test_ics_export_leaves_out_catch_ups_already_booked(cli: CliInvoke, settings: Settings) -> None:
    """Someone with a catch-up planned ahead (a calendar event: `bookings`) is booked, not due,
    as Today, her page and the feed show her; the export lists her no more than they do."""
    cli("people", "add", "Priya Raman", "--role", "role_model")
    cli("people", "add", "Leo Park", "--role", "role_model")
    database = Database.open(settings)
    try:
        with open_ctx(database) as ctx:
            source = add_source(ctx, "work", kind="ics", url="http://127.0.0.1:9/work.ics")
            leo = ctx.session.scalars(select(Person).where(Person.name == "Leo Park")).one()
            event = SyncEvent(source_id=source.id, uid="lunch-1", starts_at=datetime(2030, 1, 1))
            ctx.session.add(event)
            ctx.session.flush()
            booked_on = ctx.today() + timedelta(days=3)
            ctx.session.add(Booking(person_id=leo.id, event_id=event.id, on=booked_on))
    finally:
        database.close()
    result = cli("export", "--format", "ics")
    assert result.exit_code == 0
    assert "SUMMARY:Catch up with Priya Raman" in result.stdout
    assert "Leo Park" not in result.stdout


def test_unknown_export_format(cli: CliInvoke) -> None:
    result = cli("export", "--format", "xml")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Unknown export format 'xml'")


def test_export_into_missing_folder_is_an_error(cli: CliInvoke, tmp_path: Path) -> None:
    result = cli("export", "--format", "csv", "-o", "/no/such/folder/out.csv")
    assert result.exit_code == 1
    assert "No folder" in result.stderr
    for folder in (str(tmp_path), ""):
        refused = cli("export", "--format", "json", "-o", folder)
        assert refused.exit_code == 1 and "is a folder; name a file" in refused.stderr


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def chunks():  # type: ignore[no-untyped-def]
        yield "new part"
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomically(target, chunks())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    write_atomically(target, ["fresh"])
    assert target.read_text() == "fresh"


# --- duplicates ------------------------------------------------------------------------------


def _two_anas(cli: CliInvoke) -> None:
    cli("people", "add", "Ana Lima", "--company", "Acme Inc.", "--email", "ana@acme.com")
    cli("people", "add", "Ana  Lima", "--company", "Acme")
    cli("people", "add", "Bo Chan", "--email", "bo@example.com")
    cli("people", "add", "Robert Chan", "--email", "BO@example.com")
    cli("people", "add", "Cy Twombly", "--company", "Gallery")
    cli("people", "add", "Cy Twombly", "--company", "Bank")


def test_duplicates_lists_sets_with_reasons(cli: CliInvoke) -> None:
    _two_anas(cli)
    found = json.loads(cli("people", "duplicates", "--json").stdout)
    assert [(s["keep"]["name"], [o["name"] for o in s["others"]], s["reasons"]) for s in found] == [
        ("Ana Lima", ["Ana  Lima"], ["same name and company"]),
        ("Bo Chan", ["Robert Chan"], ["same email bo@example.com"]),
    ]


def test_duplicates_merge_needs_confirmation_off_a_terminal(cli: CliInvoke) -> None:
    _two_anas(cli)
    refused = cli("people", "duplicates")
    assert refused.exit_code == 1
    assert "Pass --yes" in refused.stderr
    assert len(json.loads(cli("people", "list", "--json").stdout)) == 6
    merged = cli("people", "duplicates", "--yes")
    assert merged.exit_code == 0
    assert "Merged 2 duplicate(s) into 2 person(s): #2 into #1 Ana Lima; #4 into #3 Bo Chan." in (
        merged.stdout
    )
    names = sorted(p["name"] for p in json.loads(cli("people", "list", "--json").stdout))
    assert names == ["Ana Lima", "Bo Chan", "Cy Twombly", "Cy Twombly"]
    assert "No duplicates found." in cli("people", "duplicates").stdout


def test_duplicates_dry_run_merges_nothing(cli: CliInvoke) -> None:
    _two_anas(cli)
    result = cli("people", "duplicates", "--dry-run")
    assert "2 set(s) of duplicates; nothing merged." in result.stdout
    assert len(json.loads(cli("people", "list", "--json").stdout)) == 6


# --- the full import path under fuzzing ------------------------------------------------------

SOURCES = [
    p for p in sorted(FIXTURES.glob("*/*")) if p.suffix != ".json" and p.parent.name != "ics"
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SOURCES)).read_bytes()
    at = draw(st.integers(0, len(data)))
    junk = draw(st.binary(max_size=12) | st.sampled_from([b",", b'"', b"\n", b":", b";"]))
    return data[:at] + junk + data[at + draw(st.integers(0, 20)) :]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damaged())
def test_damaged_file_imports_fully_or_not_at_all(
    cli: CliInvoke, tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "damaged"
    path.write_bytes(data)
    before = cli("export", "--format", "json").stdout
    result = cli("import", str(path))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        after = cli("export", "--format", "json").stdout
        assert _tables(after) == _tables(before)  # nothing half-written


def _tables(backup: str) -> object:
    return json.loads(backup)["tables"]


def test_every_new_command_has_help(cli: CliInvoke) -> None:
    for args in (["import"], ["export"], ["restore"], ["people", "duplicates"]):
        result = cli(*args, "--help")
        assert result.exit_code == 0
        assert len(result.stdout.strip()) > 40


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from mentormap.cli.interop import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    with progress_bar("x") as advance:
        assert advance is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress_bar("x") as advance:
        assert advance is not None
        advance(5, 10)


def test_import_reads_standard_input(cli: CliInvoke) -> None:
    text = (FIXTURES / "vcard" / "bday_without_year.vcf").read_text()
    result = cli("import", "-", input=text)
    assert result.exit_code == 0, result.output
    assert "Imported vcard: 2 new" in result.stdout


def test_planned_items_hold_due_catch_ups_and_open_follow_ups(ctx) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    from mentormap.models import FollowUp
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.interop.exports import planned_items
    from mentormap.services.people.people import add_person
    from mentormap.services.people.roles import give_role

    today = ctx.today()
    friend = add_person(ctx, "Fran Friend")
    give_role(ctx, friend, "friend")
    log_interaction(ctx, [friend], kind="call", on=today - timedelta(days=3))
    quiet = add_person(ctx, "Quinn Quiet")
    give_role(ctx, quiet, "mentee")  # reactive: never chased on a clock
    overdue = add_person(ctx, "Olga Overdue")
    log_interaction(ctx, [overdue], kind="ping", on=date(2025, 1, 1))
    ctx.session.add_all(
        [
            FollowUp(title="Send the deck", person_id=friend.id, due_on=today + timedelta(days=2)),
            FollowUp(title="Old and done", person_id=friend.id, due_on=today, state="done"),
        ]
    )
    ctx.session.flush()
    items = {item.summary: item.on for item in planned_items(ctx)}
    assert items == {
        "Catch up with Olga Overdue": today,  # overdue catch-ups land on today
        "Catch up with Fran Friend": today + timedelta(days=11),  # friend cadence: 14 days
        "Follow up: Send the deck (Fran Friend)": today + timedelta(days=2),
    }


def test_exports_written_with_o_are_private(cli: CliInvoke, tmp_path: Path) -> None:
    cli("people", "add", "Priya Raman")
    for fmt in ("vcard", "csv", "ics", "json"):
        out = tmp_path / f"out.{fmt}"
        out.write_text("an older, world-readable file")
        out.chmod(0o644)
        assert cli("export", "--format", fmt, "-o", str(out)).exit_code == 0
        assert out.stat().st_mode & 0o777 == 0o600, fmt


def test_atomic_write_makes_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    write_atomically(target, "private")
    assert target.stat().st_mode & 0o777 == 0o600


def test_csv_export_cells_do_not_run_in_a_spreadsheet(cli: CliInvoke) -> None:
    cli("people", "add", '=HYPERLINK("https://evil.example","Click")', "--phone", "+44 7700 900123")
    text = cli("export", "--format", "csv").stdout
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row["phones"] == "+44 7700 900123"


def test_vcard_note_cannot_add_a_card_and_reads_back(
    cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = "Met at the meetup\u2028END:VCARD\u2028BEGIN:VCARD\u2028FN:Mallory\u2028END:VCARD"
    cli("people", "add", "Priya Raman", "--notes", note)
    cli("people", "add", "Chidi Okafor")
    out = tmp_path / "all.vcf"
    assert cli("export", "--format", "vcard", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert sum(line == "BEGIN:VCARD" for line in text.splitlines()) == 2
    monkeypatch.setenv("MENTORMAP_DB", str(tmp_path / "other.db"))
    assert "Imported vcard: 2 new" in cli("import", str(out)).stdout
    people = json.loads(cli("people", "list", "--json").stdout)
    assert sorted(p["name"] for p in people) == ["Chidi Okafor", "Priya Raman"]
    shown = json.loads(cli("people", "show", "Priya Raman", "--json").stdout)
    assert shown["notes"] == note.replace("\u2028", "\n")
