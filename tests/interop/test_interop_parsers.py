"""The pure parsers against one fixture file per real-world edge case, and their writers."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentormap.interop.csv_generic import parse_csv, parse_mapping, write_csv
from mentormap.interop.detect import decode, detect_format
from mentormap.interop.google_csv import parse_google
from mentormap.interop.ics import PlannedItem, parse_ics, write_ics
from mentormap.interop.linkedin import parse_linkedin
from mentormap.interop.records import ContactRecord, EventRecord, ParseError, ParseWarning
from mentormap.interop.vcard import parse_vcards, write_vcards
from mentormap.services.views import jsonable
from tests.conftest import CliInvoke

FIXTURES = Path(__file__).parents[1] / "fixtures"
GOOD = sorted(
    path
    for path in FIXTURES.glob("*/*")
    if path.suffix != ".json" and path.parent.name not in ("bad", "warn")
)
BAD = sorted((FIXTURES / "bad").glob("*"))
WARN = sorted((FIXTURES / "warn").glob("*"))
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
    "linkedin_bad_date.csv": "line 3: Connected On 'someday'",
    "google_phone_without_name.csv": "line 4: a contact needs a name",
    "ics_impossible_date.ics": "event 1 (line 3): DTSTART cannot be read",
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


# A bad field costs that field: the record still comes out, and a warning names where it was.
WARNED = {
    "vcard_bad_birthday.vcf": (
        ["Bad Birthday"],
        "card 1 (line 1), line 4: left out the birthday 'the fifth of May': not a date.",
    ),
    "linkedin_bad_email.csv": (
        ["Ana Lima"],
        "line 2: left out the email 'not-an-email': not an email address.",
    ),
    "ics_without_start.ics": (
        [],
        "event 1 (line 3): left out 'No start': it has no start (DTSTART).",
    ),
}


@pytest.mark.parametrize("path", WARN, ids=lambda p: p.name)
def test_bad_field_is_left_out_with_a_warning(path: Path) -> None:
    warnings: list[ParseWarning] = []
    text = decode(path.read_bytes())
    fmt = detect_format(text)
    if fmt == "ics":
        records = list(parse_ics(text, zone=LONDON, window=WINDOW, on_warning=warnings.append))
    else:
        reader = {"vcard": parse_vcards, "linkedin": parse_linkedin}[fmt]
        records = list(reader(text, None, warnings.append))
    names, warning = WARNED[path.name]
    assert [getattr(r, "name", None) or r.summary for r in records] == names
    assert [str(w) for w in warnings] == [warning]
    assert {path.name for path in WARN} == set(WARNED)


def test_on_error_collects_bad_records_and_goes_on() -> None:
    text = decode((FIXTURES / "bad" / "linkedin_bad_date.csv").read_bytes())
    errors: list[ParseError] = []
    records = parse("linkedin", text, on_error=errors.append)
    assert [r.name for r in records] == ["Ana Lima"]
    assert [e.where for e in errors] == ["line 3"]


def test_vcard_card_after_a_bad_one_is_still_read() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nTEL:+44 7700 900123\nEND:VCARD\n"
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


# --- runaway repeat rules --------------------------------------------------------------------

HOURS = ",".join(map(str, range(24)))
SIXTY = ",".join(map(str, range(60)))


def _series(rule: str, start: str = "20251101T090000Z") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:runaway\r\n"
        f"DTSTART:{start}\r\nSUMMARY:Standup\r\nRRULE:{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


RUNAWAY = {
    "every minute": f"FREQ=DAILY;BYHOUR={HOURS};BYMINUTE={SIXTY}",
    "every second": f"FREQ=DAILY;BYHOUR={HOURS};BYMINUTE={SIXTY};BYSECOND={SIXTY}",
    "every second, counted": f"FREQ=DAILY;COUNT=999999999;BYHOUR={HOURS};BYMINUTE={SIXTY}",
    "weekly by the minute": f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR={HOURS};BYMINUTE={SIXTY}",
}


@pytest.mark.parametrize("rule", RUNAWAY.values(), ids=list(RUNAWAY))
def test_a_repeat_rule_firing_by_the_minute_is_cut_with_a_warning(rule: str) -> None:
    from mentormap.interop.ics import MAX_OCCURRENCES

    warnings: list[object] = []
    started = time.perf_counter()
    events = list(parse_ics(_series(rule), zone=LONDON, window=WINDOW, on_warning=warnings.append))
    assert time.perf_counter() - started < 5  # about 481k or 29M dates before
    assert len(events) == MAX_OCCURRENCES
    assert events[0].start == datetime(2025, 11, 25, 0, 0)
    assert len(warnings) == 1 and "only the first 1,000 are read" in str(warnings[0])


@pytest.mark.parametrize(
    "rule",
    ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;INTERVAL=12;BYMONTH=2"],
    ids=["30 February", "a month it never reaches"],
)
def test_a_rule_no_date_matches_ends_quickly(rule: str) -> None:
    warnings: list[object] = []
    started = time.perf_counter()
    events = list(parse_ics(_series(rule), zone=LONDON, window=WINDOW, on_warning=warnings.append))
    assert time.perf_counter() - started < 5  # dateutil loops to the year 9999 on these
    assert events == []
    assert all("takes too long to expand" in str(w) for w in warnings)


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=DAILY", "19900105T080000"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "19990302T173000"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "19810130T120000"),
        ("FREQ=MONTHLY;INTERVAL=5", "19700117T120000"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "19040313T100000"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "19950131T100000"),
        ("FREQ=YEARLY", "19960229T100000"),
        ("FREQ=DAILY;COUNT=20000", "19900105T080000"),
    ],
)
def test_an_old_series_expands_as_the_library_does(rule: str, start: str) -> None:
    """Starting a rule a whole number of periods later keeps its dates (and costs far less)."""
    import icalendar
    import recurring_ical_events

    text = _series(rule, start)
    ours = [e.start for e in parse_ics(text, zone=LONDON, window=WINDOW)]
    theirs = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
        WINDOW[0], WINDOW[1] + timedelta(days=1)
    )
    expected = sorted(
        e["DTSTART"].dt.replace(tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None) for e in theirs
    )
    assert sorted(ours) == expected
    assert expected or start.startswith("19960229")  # no 29 February in the window


def test_one_broken_series_costs_only_itself() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:20260101T090000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=0\r\n"
        "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:bad\r\nDTSTART:20260102T090000Z\r\n"
        "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20261101T090000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    errors: list[ParseError] = []
    events = list(parse_ics(text, zone=LONDON, window=WINDOW, on_error=errors.append))
    assert [e.uid for e in events] == ["good/2026-11-01", "good/2026-11-08", "good/2026-11-15"]
    assert len(errors) == 1 and "INTERVAL below 1" in str(errors[0])


# --- writers: nothing a field holds can start a record of its own ----------------------------

BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_vcard_note_cannot_end_the_card(brk: str) -> None:
    note = brk.join(["hi", "END:VCARD", "BEGIN:VCARD", "FN:Mallory", "URL:https://evil.example"])
    record = ContactRecord(name="Ana Lima", notes=note, company=f"Acme{brk}END:VCARD")
    text = "".join(write_vcards([record, ContactRecord(name="Bo Chen")]))
    # Any reader, even one that ends a line at U+2028 or a form feed, sees two cards.
    assert sum(line == "BEGIN:VCARD" for line in text.splitlines()) == 2
    back = list(parse_vcards(text))
    assert [r.name for r in back] == ["Ana Lima", "Bo Chen"]
    assert back[0].notes == "\n".join(
        ["hi", "END:VCARD", "BEGIN:VCARD", "FN:Mallory", "URL:https://evil.example"]
    )


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_ics_summary_cannot_end_the_event(brk: str) -> None:
    summary = brk.join(["Catch up", "END:VEVENT", "BEGIN:VEVENT", "UID:evil", "SUMMARY:pwn"])
    text = write_ics(
        [PlannedItem("a@mentormap", date(2026, 11, 20), summary, summary)],
        stamp=datetime(2026, 11, 25, 9, 0),
    )
    assert sum(line == "BEGIN:VEVENT" for line in text.splitlines()) == 1
    events: list[EventRecord] = parse("ics", text)
    assert [e.uid for e in events] == ["a@mentormap"]
    assert events[0].summary.split("\n") == [
        "Catch up",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:evil",
        "SUMMARY:pwn",
    ]


def test_csv_export_neutralises_formulas_and_reads_back() -> None:
    from mentormap.interop.records import Labelled

    record = ContactRecord(
        name='=HYPERLINK("https://evil.example","x")',
        phones=[Labelled("+44 7700 900123")],
        company="+cmd|' /C calc'!A0",
        title="@SUM(1+1)",
        city="-2+3",
        notes="\tindented",
        birthday="--05-12",
    )
    text = "".join(write_csv([record]))
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"].startswith("'=HYPERLINK")
    assert row["company"] == "'+cmd|' /C calc'!A0"
    assert row["title"] == "'@SUM(1+1)"
    assert row["phones"] == "+44 7700 900123"  # digits only: no formula can hide in it
    assert row["city"] == "-2+3" and row["birthday"] == "--05-12"
    assert row["notes"] == "'\tindented"
    again = next(parse_csv(text))
    assert (again.name, again.company, again.title) == (record.name, record.company, record.title)


def test_a_year_by_the_second_is_refused_before_dateutil_builds_it() -> None:
    rule = f"FREQ=YEARLY;COUNT=1;BYMONTHDAY=31;BYHOUR={HOURS};BYMINUTE={SIXTY};BYSECOND={SIXTY}"
    started = time.perf_counter()
    with pytest.raises(ParseError, match="repeats 86,400 times a day"):
        list(parse_ics(_series(rule, "20261231"), zone=LONDON, window=WINDOW))
    assert time.perf_counter() - started < 2  # 31 million dates built in C otherwise


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL below 1"),
        ("FREQ=SECONDLY", "too often to be a catch-up"),
    ],
)
def test_calendar_repeat_rules_that_cannot_be_expanded(
    cli: CliInvoke, tmp_path: object, rule: str, message: str
) -> None:
    cli("people", "add", "Sam Patel")
    calendar = Path(str(tmp_path)) / "bad.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x1\nSUMMARY:Lunch with Sam Patel\n"
        f"DTSTART:20260901T120000Z\nRRULE:{rule}\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    result = cli("import", str(calendar))
    assert result.exit_code == 1
    assert "event 1 (line 2): " in result.stderr and message in result.stderr
    assert "--skip-bad" in result.stderr


@pytest.mark.parametrize("name", ["'=", "''=x", "'+44", "'@me", "="])
def test_csv_values_that_look_guarded_read_back_exactly(name: str) -> None:
    """A name that already begins with `'` and a formula character is not mistaken for a guard."""
    text = "".join(write_csv([ContactRecord(name=name)]))
    assert [r.name for r in parse_csv(text)] == [name]


def test_a_time_zone_naming_a_folder_is_a_parse_error() -> None:
    """'Europe' is a folder of the zone database: opening it used to end in a traceback."""
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;TZID=Europe:20261001T090000\n"
        "UID:x@y\nSUMMARY:Lunch with Priya\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(ParseError, match="time zone that does not exist"):
        list(
            parse_ics(
                text, zone=ZoneInfo("Europe/London"), window=(date(2026, 1, 1), date(2026, 12, 31))
            )
        )
