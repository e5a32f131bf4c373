"""Which format a file is in, from its content (and never from its name alone)."""

from __future__ import annotations

import csv
import io
import re

from mentormap.interop.records import OnWarning, ParseError, warn

FORMATS = ("vcard", "linkedin", "google", "csv", "ics")


def decode(data: bytes, on_warning: OnWarning = None) -> str:
    """Text of a file: UTF-8 (with or without a byte-order mark) or UTF-16 (LE or BE, with a
    byte-order mark or, as some Outlook exports, without one).

    A file that is not UTF-8 throughout is read line by line: UTF-8 lines as UTF-8, a vCard
    line that names its CHARSET in that charset, and any other line as Windows-1252 (Latin-1),
    with one warning that lists those lines.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # the mark says which byte order
    bare = _utf16_without_mark(data)
    if bare:
        return data.decode(bare, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _line_by_line(data.removeprefix(b"\xef\xbb\xbf"), on_warning)


def _utf16_without_mark(data: bytes) -> str | None:
    """ "utf-16-be" or "utf-16-le" when the first bytes are ASCII text with every other byte 0."""
    head = data[:400]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if even.count(0) >= len(even) * 0.9 and odd.count(0) == 0:
        return "utf-16-be"
    if odd.count(0) >= len(odd) * 0.9 and even.count(0) == 0:
        return "utf-16-le"
    return None


# A UTF-8 character cut in two by a folded line ("\xd0\r\n \xbb"): some writers fold at 75
# bytes without minding characters. The rest of the character moves up before the fold.
_CUT_CHARACTER = re.compile(rb"([\xc2-\xf4][\x80-\xbf]*)(\r?\n[ \t])([\x80-\xbf]+)")
_CHARSET = re.compile(rb";CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _line_by_line(data: bytes, on_warning: OnWarning) -> str:
    from mentormap.interop.vcard import usable_charset

    data = _CUT_CHARACTER.sub(rb"\1\3\2", data)
    lines: list[str] = []
    guessed: list[int] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        declared = _CHARSET.search(raw.split(b":", 1)[0])
        charset = declared.group(1).decode("ascii") if declared else ""
        if charset and usable_charset(charset):
            try:
                lines.append(raw.decode(charset))
                continue
            except (UnicodeError, LookupError, ValueError):
                pass
        guessed.append(number)
        if _UTF8_SEQUENCE.search(raw):  # UTF-8 with a few bad bytes: keep the rest of it
            lines.append(raw.decode("utf-8", errors="replace"))
            continue
        try:
            lines.append(raw.decode("cp1252"))
        except UnicodeDecodeError:
            lines.append(raw.decode("latin-1"))
    if guessed:
        listed = ", ".join(str(n) for n in guessed[:5])
        more = f" and {len(guessed) - 5:,} more" if len(guessed) > 5 else ""
        many = len(guessed) > 1
        warn(
            f"line{'s' if many else ''} {listed}{more}",
            f"{'are' if many else 'is'} not UTF-8; read as Windows-1252 (Latin-1).",
            on_warning,
        )
    return "\n".join(lines)


def _header_cells(text: str) -> set[str]:
    """Lower-cased cells of the first few CSV rows (LinkedIn puts a preamble first)."""
    cells: set[str] = set()
    try:
        for n, row in enumerate(csv.reader(io.StringIO(text[:20_000], newline=""))):
            cells |= {cell.strip().lstrip("\ufeff").lower() for cell in row}
            if n >= 6:
                break
    except csv.Error:
        pass
    return cells


# What an iCalendar file can hold at its top: a whole calendar, or (as Evolution, khal and
# some mail clients hand them over) one bare component without the VCALENDAR around it.
_CALENDAR_PARTS = re.compile(
    r"BEGIN:(VCALENDAR|VEVENT|VTODO|VJOURNAL|VFREEBUSY|VTIMEZONE|VALARM|VAVAILABILITY)\s*$"
)
_VCARD_ANYWHERE = re.compile(r"^\s*(BEGIN|END):VCARD\s*$", re.MULTILINE)
_CALENDAR_ANYWHERE = re.compile(r"^\s*BEGIN:(VCALENDAR|VEVENT)\s*$", re.MULTILINE)


def detect_format(text: str) -> str:
    """One of FORMATS; raises ParseError when the content matches none of them."""
    from mentormap.interop.google_csv import looks_like_google
    from mentormap.interop.linkedin import looks_like_linkedin

    head = text.lstrip("\ufeff \t\r\n")[:2000].upper()
    if not head:
        raise ParseError("line 1", "the file is empty.")
    first = head.split("\n", 1)[0].strip()
    if first.startswith("BEGIN:VCARD"):
        return "vcard"
    if _CALENDAR_PARTS.match(first):
        return "ics"
    if head.startswith(("{", "[")):
        raise ParseError(
            "line 1", "this looks like JSON; a mentormap backup goes back with `mentormap restore`."
        )
    cells = _header_cells(text)
    if looks_like_linkedin(cells):
        return "linkedin"
    if looks_like_google(cells):
        return "google"
    # Something before the first card or event (a comment, a stray line): look further in.
    window = text[:65_536].upper()
    if _VCARD_ANYWHERE.search(window):
        return "vcard"
    if _CALENDAR_ANYWHERE.search(window):
        return "ics"
    if "," in text.split("\n", 1)[0] or ";" in text.split("\n", 1)[0]:
        return "csv"
    raise ParseError("line 1", f"cannot tell the format; pass --format ({', '.join(FORMATS)}).")
