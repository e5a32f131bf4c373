"""The pure parsers against one fixture file per real-world edge case, and their writers."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentormap.interop.csv_generic import parse_csv, parse_mapping, write_csv
from mentormap.interop.detect import decode, detect_format
from mentormap.interop.google_csv import parse_google
from mentormap.interop.ics import PlannedItem, parse_ics, write_ics
from mentormap.interop.linkedin import parse_linkedin
from mentormap.interop.records import ContactRecord, EventRecord, ParseError
from mentormap.interop.vcard import parse_vcards, write_vcards
from mentormap.services.views import jsonable

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = sorted(
    path for path in FIXTURES.glob("*/*") if path.suffix != ".json" and path.parent.name != "bad"
)
BAD = sorted((FIXTURES / "bad").glob("*"))
LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2025, 11, 25), date(2026, 11, 25))


def parse(fmt: str, text: str, mapping: list[str] | None = None, on_error=None) -> list:  # type: ignore[no-untyped-def]
    if fmt == "vcard":
        return list(parse_vcards(text, on_error))
    if fmt == "linkedin":
        return list(parse_linkedin(text, on_error))
    if fmt == "google":
        return list(parse_google(text, on_error))
    if fmt == "csv":
        return list(parse_csv(text, parse_mapping(mapping or []), on_error))
    return list(
        parse_ics(text, zone=LONDON, window=WINDOW, me=["me@example.com"], on_error=on_error)
    )


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_reads_as_expected(path: Path) -> None:
    expected = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    records = parse(path.parent.name, decode(path.read_bytes()), expected.get("map"))
    assert jsonable(records) == expected["records"]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_format_is_detected_from_content(path: Path) -> None:
    assert detect_format(decode(path.read_bytes())) == path.parent.name


BAD_WHERE = {
    "vcard_unterminated.vcf": "card 2 (line 5): the card has no END:VCARD",
    "vcard_bad_birthday.vcf": "card 1 (line 1), line 4: birthday 'the fifth of May'",
    "linkedin_bad_date.csv": "line 3: Connected On 'someday'",
    "linkedin_bad_email.csv": "line 2: 'not-an-email' is not an email address",
    "google_phone_without_name.csv": "line 4: a contact needs a name",
    "ics_impossible_date.ics": "event 1: DTSTART cannot be read",
    "ics_without_start.ics": "event 1: the event has no start",
}


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_file_raises_error_naming_the_record(path: Path) -> None:
    text = decode(path.read_bytes())
    fmt = detect_format(text)
    with pytest.raises(ParseError) as caught:
        parse(fmt, text)
    assert str(caught.value).startswith(BAD_WHERE[path.name])


def test_every_bad_fixture_has_an_expectation() -> None:
    assert {path.name for path in BAD} == set(BAD_WHERE)


def test_on_error_collects_bad_records_and_goes_on() -> None:
    text = decode((FIXTURES / "bad" / "linkedin_bad_date.csv").read_bytes())
    errors: list[ParseError] = []
    records = parse("linkedin", text, on_error=errors.append)
    assert [r.name for r in records] == ["Ana Lima"]
    assert [e.where for e in errors] == ["line 3"]


def test_vcard_card_after_a_bad_one_is_still_read() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bad\nBDAY:nope\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"
    )
    errors: list[ParseError] = []
    assert [r.name for r in parse_vcards(text, errors.append)] == ["Good One"]
    assert errors[0].where.startswith("card 1")


def test_not_a_vcard_at_all() -> None:
    with pytest.raises(ParseError, match="not a vCard"):
        list(parse_vcards("hello\nworld\n"))


def test_csv_map_errors_name_the_problem() -> None:
    with pytest.raises(ParseError, match="unknown field 'shoe size'"):
        parse_mapping(["Size=shoe size"])
    with pytest.raises(ParseError, match="should look like"):
        parse_mapping(["nonsense"])
    with pytest.raises(ParseError, match="no column named 'Nope'"):
        list(parse_csv("Full name\nAna\n", {"Nope": "name"}))
    with pytest.raises(ParseError, match="no name or email column"):
        list(parse_csv("Shoe,Hat\n1,2\n"))


def test_undetectable_content() -> None:
    with pytest.raises(ParseError, match="cannot tell the format"):
        detect_format("just some words\n")
    with pytest.raises(ParseError, match="mentormap restore"):
        detect_format('{"format": "mentormap-backup"}')


def test_decode_handles_bom_latin1_and_utf16() -> None:
    assert decode("\ufeffJosé".encode()) == "José"
    assert decode("José".encode("cp1252")) == "José"
    assert decode("José".encode("utf-16")) == "José"


def test_vcard_writer_folds_long_lines_at_75_octets() -> None:
    record = ContactRecord(name="SS" * 60, notes="ü" * 200)
    text = "".join(write_vcards([record]))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert parse_vcards(text).__next__().notes == "ü" * 200


def test_csv_writer_reads_back() -> None:
    records = parse("csv", decode((FIXTURES / "csv" / "own_export_headers.csv").read_bytes()))
    again = list(parse_csv("".join(write_csv(records))))
    assert jsonable(again) == jsonable(records)


def test_ics_writer_reads_back_as_events() -> None:
    text = write_ics(
        [PlannedItem("a@mentormap", date(2026, 12, 1), "Catch up with Ana", "Bring the deck")],
        stamp=datetime(2026, 11, 25, 9, 0),
    )
    events: list[EventRecord] = parse("ics", text)
    assert [(e.uid, e.summary, e.all_day) for e in events] == [
        ("a@mentormap", "Catch up with Ana", True)
    ]
