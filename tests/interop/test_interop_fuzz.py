"""Hypothesis: writers and parsers round-trip; mangled files end in ParseError, never a crash."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormap.interop.csv_generic import parse_csv, write_csv
from mentormap.interop.detect import decode, detect_format
from mentormap.interop.google_csv import parse_google
from mentormap.interop.ics import parse_ics
from mentormap.interop.linkedin import parse_linkedin
from mentormap.interop.records import ContactRecord, Labelled, ParseError
from mentormap.interop.vcard import parse_vcards, write_vcards
from mentormap.services.views import jsonable

FIXTURES = Path(__file__).parents[1] / "fixtures"

# Printable text: no control, surrogate, format or line/paragraph separator characters.
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Zs"))
WORD = st.text(CHARS, min_size=1, max_size=12)


def _words(min_words: int = 1, max_words: int = 4) -> st.SearchStrategy[str]:
    return st.lists(WORD, min_size=min_words, max_size=max_words).map(" ".join)


OPTIONAL = st.none() | _words()
NOTES = st.none() | st.lists(_words(), min_size=1, max_size=3).map("\n".join)
EMAIL = st.from_regex(r"[a-z0-9]{1,8}(\.[a-z0-9]{1,5})?@[a-z]{1,8}\.(com|org|de)", fullmatch=True)
PHONE = st.from_regex(r"\+?[0-9]{2,3}( [0-9]{3,4}){1,3}", fullmatch=True)
LINK = st.from_regex(r"https://(www\.)?[a-z]{2,10}\.com/[a-z0-9\-]{1,12}", fullmatch=True)
LABEL = st.sampled_from([None, "work", "home", "cell"])
BIRTHDAY = (
    st.none()
    | st.dates(date(1900, 1, 1), date(2020, 12, 31)).map(date.isoformat)
    | (st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: f"--{d.month:02d}-{d.day:02d}"))
)


@st.composite
def contacts(draw: st.DrawFn) -> ContactRecord:
    return ContactRecord(
        name=draw(_words(1, 4).filter(lambda n: len(n) <= 200)),
        emails=[Labelled(e, draw(LABEL)) for e in draw(st.lists(EMAIL, max_size=3, unique=True))],
        phones=[Labelled(p, draw(LABEL)) for p in draw(st.lists(PHONE, max_size=2, unique=True))],
        links=draw(st.lists(LINK, max_size=2, unique=True)),
        company=draw(OPTIONAL),
        title=draw(OPTIONAL),
        city=draw(st.none() | _words(1, 2)),
        country=draw(st.none() | _words(1, 2)),
        how_met=draw(OPTIONAL),
        met_on=draw(st.none() | st.dates(date(1990, 1, 1), date(2026, 11, 25))),
        birthday=draw(BIRTHDAY),
        notes=draw(NOTES),
    )


def _comparable(records: list[ContactRecord]) -> list[dict[str, object]]:
    rows = jsonable(records)
    for row in rows:
        row.pop("where")
    return rows  # type: ignore[no-any-return]


@settings(max_examples=300, deadline=None)
@given(st.lists(contacts(), min_size=1, max_size=4))
def test_vcard_round_trip(records: list[ContactRecord]) -> None:
    again = list(parse_vcards("".join(write_vcards(records))))
    assert _comparable(again) == _comparable(records)


@settings(max_examples=300, deadline=None)
@given(st.lists(contacts(), min_size=1, max_size=4))
def test_csv_round_trip(records: list[ContactRecord]) -> None:
    again = list(parse_csv("".join(write_csv(records))))
    for record in records:  # CSV keeps values, not their labels
        for item in record.emails + record.phones:
            item.label = None
    assert _comparable(again) == _comparable(records)


# --- fuzzing: mutated real files -------------------------------------------------------------

LONDON = ZoneInfo("Europe/London")


def _texts(folder: str) -> list[str]:
    paths = [p for p in sorted((FIXTURES / folder).glob("*")) if p.suffix != ".json"]
    bad = [p for p in sorted((FIXTURES / "bad").glob(f"{folder}*"))]
    return [decode(p.read_bytes()) for p in paths + bad]


JUNK = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    [
        ":",
        ";",
        ",",
        '"',
        "\n",
        "\r\n",
        " ",
        "=",
        "\\",
        "BEGIN:VCARD\n",
        "END:VCARD\n",
        "BEGIN:VEVENT\n",
        "END:VEVENT\n",
        "RRULE:FREQ=DAILY\n",
        "DTSTART:2026",
        "\x00",
        "=\n",
        "item1.",
        "TYPE=",
        "::: ",
        "--",
        "\ufeff",
    ]
)


@st.composite
def mutated(draw: st.DrawFn, folder: str) -> str:
    text = draw(st.sampled_from(_texts(folder)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "cut"]))
        if op == "insert":
            text = text[:at] + draw(JUNK) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif op == "replace":
            text = text[:at] + draw(JUNK) + text[at + draw(st.integers(1, 10)) :]
        elif op == "repeat":
            size = draw(st.integers(1, 200))
            text = text[:at] + text[at : at + size] * 2 + text[at + size :]
        else:
            text = text[:at]
    return text


def _survives(parse_all) -> None:  # type: ignore[no-untyped-def]
    """Parsing ends normally or with ParseError, whether errors stop it or are collected."""
    with suppress(ParseError):
        parse_all(None)
    collected: list[ParseError] = []
    with suppress(ParseError):  # a file-level error (no header, not a vCard) still raises
        parse_all(collected.append)


FUZZ = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(mutated("vcard"))
def test_fuzz_vcard(text: str) -> None:
    _survives(lambda on_error: list(parse_vcards(text, on_error)))


@FUZZ
@given(mutated("linkedin"))
def test_fuzz_linkedin(text: str) -> None:
    _survives(lambda on_error: list(parse_linkedin(text, on_error)))


@FUZZ
@given(mutated("google"))
def test_fuzz_google(text: str) -> None:
    _survives(lambda on_error: list(parse_google(text, on_error)))


@FUZZ
@given(mutated("csv"))
def test_fuzz_generic_csv(text: str) -> None:
    _survives(lambda on_error: list(parse_csv(text, None, on_error)))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("ics"))
def test_fuzz_ics(text: str) -> None:
    window = (date(2026, 1, 1), date(2026, 11, 25))
    _survives(lambda on_error: list(parse_ics(text, zone=LONDON, window=window, on_error=on_error)))


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_detect_on_any_text(text: str) -> None:
    with suppress(ParseError):
        detect_format(text)


# --- hostile shapes: charsets and repeat rules ------------------------------------------------

CHARSETS = st.sampled_from(
    ["idna", "undefined", "punycode", "utf-8", "latin-1", "utf-16", "zlib", "rot13", "x-mac"]
) | st.text(
    st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters=';:,"='),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(CHARSETS, st.binary(max_size=40))
def test_fuzz_vcard_charsets(charset: str, raw: bytes) -> None:
    encoded = "".join(f"={byte:02X}" for byte in raw)
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:Ana {encoded}\r\n"
        f"NOTE;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:{encoded}\r\nEND:VCARD\r\n"
    )
    _survives(lambda on_error: list(parse_vcards(text, on_error, on_warning=lambda _w: None)))


BY_LISTS = {
    "BYHOUR": range(24),
    "BYMINUTE": range(60),
    "BYSECOND": range(60),
    "BYMONTHDAY": [*range(1, 32), -1, -31],
    "BYMONTH": range(1, 13),
    "BYYEARDAY": [1, 60, 200, 366, -1],
    "BYWEEKNO": [1, 20, 53, -1],
    "BYSETPOS": [1, -1, 3, 400],
}


@st.composite
def repeat_rules(draw: st.DrawFn) -> str:
    parts = [f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 400))}")
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.sampled_from([1, 5, 10**6, 10**9]))}")
    for name in draw(st.lists(st.sampled_from(sorted(BY_LISTS)), unique=True, max_size=4)):
        values = draw(st.lists(st.sampled_from(list(BY_LISTS[name])), min_size=1, unique=True))
        if draw(st.booleans()):  # the runaway shape: every value written out
            values = list(BY_LISTS[name])
        parts.append(f"{name}={','.join(map(str, values))}")
    return ";".join(parts)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeat_rules(), st.sampled_from(["19000101T000000Z", "20251101T090000", "20260301"]))
def test_fuzz_repeat_rules_stay_bounded(rule: str, start: str) -> None:
    import resource
    import time

    from mentormap.interop.ics import MAX_OCCURRENCES

    value = f"VALUE=DATE:{start}" if len(start) == 8 else start
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        f"DTSTART{';' if '=' in value else ':'}{value}\r\nSUMMARY:s\r\nRRULE:{rule}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    window = (date(2025, 11, 25), date(2026, 11, 25))
    found: list[object] = []
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    _survives(
        lambda on_error: found.append(
            len(
                list(
                    parse_ics(
                        text,
                        zone=LONDON,
                        window=window,
                        on_error=on_error,
                        on_warning=lambda _w: None,
                    )
                )
            )
        )
    )
    assert time.perf_counter() - started < 10, rule
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kb < 300_000, rule  # the runaway rules took 2 GB
    assert all(n <= MAX_OCCURRENCES for n in found)  # type: ignore[operator]
