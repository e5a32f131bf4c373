"""A bad field costs that field, a bad record that record, never the whole file.

One small sample per kind of damage met in real files (Outlook, Android, Evolution, khal,
icalendar's own tests): written here, so these run where the external fixtures are absent.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mentormap.interop.detect import decode, detect_format
from mentormap.interop.ics import parse_ics
from mentormap.interop.records import BadRecord, ParseWarning
from mentormap.interop.vcard import parse_vcards
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.interop.imports import import_file
from tests.conftest import CliInvoke

LONDON = ZoneInfo("Europe/London")
WINDOW = (date(2025, 11, 25), date(2026, 11, 25))


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", "FN:Jo Park", *lines, "END:VCARD", ""])


def read_cards(text: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    warnings: list[ParseWarning] = []
    records = list(parse_vcards(text, None, warnings.append))
    return records, [str(w) for w in warnings]


def read_events(text: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    warnings: list[ParseWarning] = []
    records = list(parse_ics(text, zone=LONDON, window=WINDOW, on_warning=warnings.append))
    return records, [str(w) for w in warnings]


# --- vCard fields ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "warning"),
    [
        ("TEL;TYPE=WORK:BusinessPhone", "line 5: left out the phone 'BusinessPhone'"),
        ("TEL;TYPE=WORK:十城目管理大型知座", "line 5: left out the phone '十城目管理大型知座'"),
        ("EMAIL:ññññññññ", "line 5: left out the email 'ññññññññ': not an email address."),
        ("BDAY;VALUE=text:circa 1800", "line 5: left out the birthday 'circa 1800': not a date."),
        ("X-messaging/twitter-All:kdecommunity", "line 5: left out a line that is not NAME:value."),
        ("FN", "line 5: left out a line that is not NAME:value."),
    ],
)
def test_a_bad_vcard_field_is_left_out_with_a_warning(line: str, warning: str) -> None:
    records, warnings = read_cards(card("EMAIL:jo@example.com", line, "ORG:Acme"))
    assert [(r.name, r.company, [e.value for e in r.emails]) for r in records] == [
        ("Jo Park", "Acme", ["jo@example.com"])
    ]
    assert records[0].phones == [] and records[0].birthday is None
    assert warnings == [w for w in warnings if w.startswith("card 1 (line 1), ")]
    assert len(warnings) == 1 and warning in warnings[0]


def test_a_bad_field_in_one_card_leaves_the_next_card_alone() -> None:
    text = card("TEL:BusinessPhone") + card("TEL:+44 7700 900123")
    records, warnings = read_cards(text)
    assert [[p.value for p in r.phones] for r in records] == [[], ["+44 7700 900123"]]
    assert warnings == [
        "card 1 (line 1), line 4: left out the phone 'BusinessPhone': not a phone number."
    ]


# --- encodings ---------------------------------------------------------------------------------

JOSE = card("N:Müller;José;;;", "NOTE:Café")


@pytest.mark.parametrize(
    "data",
    [
        JOSE.encode("utf-8"),
        b"\xef\xbb\xbf" + JOSE.encode("utf-8"),
        JOSE.encode("utf-16"),  # with a byte-order mark, in this machine's order
        b"\xff\xfe" + JOSE.encode("utf-16-le"),
        b"\xfe\xff" + JOSE.encode("utf-16-be"),
        JOSE.encode("utf-16-be"),  # no mark, as Outlook writes some exports
        JOSE.encode("utf-16-le"),
    ],
    ids=["utf-8", "utf-8 bom", "utf-16", "utf-16-le bom", "utf-16-be bom", "be bare", "le bare"],
)
def test_unicode_files_read_the_same_whatever_the_encoding(data: bytes) -> None:
    warnings: list[ParseWarning] = []
    text = decode(data, warnings.append)
    assert detect_format(text) == "vcard"
    (record,) = parse_vcards(text)
    assert (record.name, record.notes) == ("Jo Park", "Café")
    assert warnings == []


def test_a_declared_charset_reads_its_line_and_others_stay_utf8() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=windows-1252:Do\xeb;John;;;\r\n"
        + "NOTE:Zoë in UTF-8\r\nEND:VCARD\r\n".encode()
    )
    warnings: list[ParseWarning] = []
    (record,) = parse_vcards(decode(data, warnings.append))
    assert (record.name, record.notes) == ("John Doë", "Zoë in UTF-8")
    assert warnings == []


def test_latin1_lines_are_read_as_latin1_with_a_warning() -> None:
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9 M\xfcller\r\nNOTE:caf\xe9\r\nEND:VCARD\r\n"
    warnings: list[ParseWarning] = []
    (record,) = parse_vcards(decode(data, warnings.append))
    assert (record.name, record.notes) == ("René Müller", "café")
    assert [str(w) for w in warnings] == [
        "lines 3, 4: are not UTF-8; read as Windows-1252 (Latin-1)."
    ]


def test_a_utf8_character_cut_by_a_folded_line_is_put_back_together() -> None:
    name = "Ясна Рыбакова".encode()
    cut = name.index("Р".encode()) + 1  # inside the two bytes of "Р"
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name[:cut] + b"\r\n " + name[cut:] + b"\r\n"
    data += b"END:VCARD\r\n"
    (record,) = parse_vcards(decode(data))
    assert record.name == "Ясна Рыбакова"


# --- calendars ---------------------------------------------------------------------------------


def event(uid: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT", ""])


def calendar(*events: str, head: str = "") -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "".join(events) + "END:VCALENDAR\r\n"


def test_a_bare_vevent_without_vcalendar_is_a_calendar() -> None:
    text = event("bare", "DTSTART:20260301T120000Z", "SUMMARY:Lunch with Jo Park")
    assert detect_format(text) == "ics"
    records, warnings = read_events(text)
    assert [(r.uid, r.summary, r.where) for r in records] == [
        ("bare", "Lunch with Jo Park", "event 1 (line 1)")
    ]
    assert warnings == []


def test_one_event_without_a_start_is_left_out_of_many() -> None:
    many = [event(f"e{n}", f"DTSTART:202603{n:02d}T120000Z", "SUMMARY:Call") for n in range(1, 21)]
    many.insert(7, event("nostart", "SUMMARY:Someday"))
    records, warnings = read_events(calendar(*many))
    assert len(records) == 20 and "nostart" not in {r.uid for r in records}
    assert warnings == ["event 8 (line 38): left out 'Someday': it has no start (DTSTART)."]


def test_a_broken_time_zone_costs_only_its_own_times() -> None:
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Broken\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:+5744\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    text = calendar(event("ok", "DTSTART:20260301T120000Z", "SUMMARY:Coffee"), head=zone)
    records, warnings = read_events(text)
    assert [r.uid for r in records] == ["ok"]
    assert any(w.startswith("calendar: STANDARD TZOFFSETFROM '+5744'") for w in warnings)


def test_a_stray_line_in_the_calendar_is_left_out() -> None:
    text = calendar(event("ok", "DTSTART:20260301T120000Z"), head="X\r\n")
    records, warnings = read_events(text)
    assert [r.uid for r in records] == ["ok"]
    assert warnings == ["calendar: left out a line that cannot be read: X."]


def test_two_starts_read_the_first() -> None:
    text = calendar(event("two", "DTSTART:20260301T080000Z", "DTSTART:20260301T100000Z"))
    (record,), warnings = read_events(text)
    assert record.start.hour == 8
    assert warnings == ["event 1 (line 3): has 2 starts (DTSTART); read the first."]


def test_an_unreadable_repeat_rule_reads_the_event_once() -> None:
    text = calendar(event("r", "DTSTART:20260301T080000Z", "RRULE:", "SUMMARY:Holiday"))
    (record,), warnings = read_events(text)
    assert record.uid == "r"  # a single event: no "/date" of a series
    assert warnings == [
        "event 1 (line 3): left out a repeat rule: it has no frequency (FREQ); read the event once."
    ]


def test_a_repeat_rule_given_twice_counts_once_and_a_broken_exdate_is_left_out() -> None:
    rule = "RRULE:FREQ=WEEKLY;COUNT=3"
    text = calendar(event("w", "DTSTART:20260301T080000Z", rule, rule, "EXDATE:"))
    records, warnings = read_events(text)
    assert [r.uid for r in records] == ["w/2026-03-01", "w/2026-03-08", "w/2026-03-15"]
    assert warnings == ["event 1 (line 3): left out EXDATE that cannot be read."]


def test_a_calendar_of_todos_only_imports_nothing_and_says_why() -> None:
    text = "BEGIN:VTODO\r\nUID:t1\r\nSUMMARY:Write\r\nEND:VTODO\r\n"
    assert detect_format(text) == "ics"
    records, warnings = read_events(text)
    assert records == []
    assert warnings == [
        "calendar: holds no events (VEVENT); to-dos, journal entries and free/busy times "
        "are not read."
    ]


# --- the import as a whole ---------------------------------------------------------------------

GOOD_THEN_BAD = (
    card("EMAIL:jo@example.com") + "BEGIN:VCARD\r\nTEL:+1 555\r\nEND:VCARD\r\n"
).encode()


def people(ctx: Ctx) -> int:
    return ctx.session.scalar(select(func.count(Person.id))) or 0


def test_a_bad_record_stops_the_import_names_itself_and_says_skip_bad(ctx: Ctx) -> None:
    with pytest.raises(BadRecord) as caught:
        import_file(ctx, GOOD_THEN_BAD)
    assert str(caught.value) == (
        "card 2 (line 6): a contact needs a name (or at least an email). "
        "Run again with --skip-bad to leave it out and import the rest."
    )
    assert people(ctx) == 0  # the good card before it was not written either
    plan = import_file(ctx, GOOD_THEN_BAD, skip_bad=True)
    assert plan.counts["new"] == 1 and len(plan.bad_records) == 1
    assert people(ctx) == 1


def test_cli_shows_the_count_and_the_first_warnings_and_json_has_all(
    cli: CliInvoke, tmp_path: Path
) -> None:
    path = tmp_path / "phones.vcf"
    path.write_text(card(*(f"TEL:Phone{n}" for n in range(8))), encoding="utf-8")
    shown = cli("import", str(path))
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.count("Warning: card 1 (line 1), line ") == 5
    assert "... and 3 more warnings, 8 in all (--json lists them all)." in shown.stdout
    path.write_text(card(*(f"TEL:Other{n}" for n in range(8))), encoding="utf-8")
    listed = json.loads(cli("import", str(path), "--json").stdout)
    assert len(listed["warnings"]) == 8
    assert listed["warnings"][7] == (
        "card 1 (line 1), line 11: left out the phone 'Other7': not a phone number."
    )


def test_cli_bad_record_is_one_line_naming_skip_bad(cli: CliInvoke, tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    path.write_bytes(GOOD_THEN_BAD)
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "--skip-bad" in result.stderr
    assert json.loads(cli("people", "list", "--json").stdout) == []


def test_a_bad_repeat_rule_beside_a_good_one_leaves_the_good_one() -> None:
    text = calendar(event("r", "DTSTART:20260301T080000Z", "RRULE:FREQ=WEEKLY;COUNT=2", "RRULE:"))
    records, warnings = read_events(text)
    assert [r.uid for r in records] == ["r/2026-03-01", "r/2026-03-08"]
    assert [r.where for r in records] == [
        "event 1 (line 3) on 2026-03-01",
        "event 1 (line 3) on 2026-03-08",
    ]
    assert warnings == ["event 1 (line 3): left out a repeat rule: it has no frequency (FREQ)."]
