"""Which format a file is in, from its content (and never from its name alone)."""

from __future__ import annotations

import csv
import io

from mentormap.interop.records import ParseError

FORMATS = ("vcard", "linkedin", "google", "csv", "ics")


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without a byte-order mark), else Windows-1252/Latin-1.

    UTF-16 (some Outlook exports) is recognised by its byte-order mark.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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


def detect_format(text: str) -> str:
    """One of FORMATS; raises ParseError when the content matches none of them."""
    from mentormap.interop.google_csv import looks_like_google
    from mentormap.interop.linkedin import looks_like_linkedin

    head = text.lstrip("\ufeff \t\r\n")[:2000].upper()
    if head.startswith("BEGIN:VCARD"):
        return "vcard"
    if head.startswith("BEGIN:VCALENDAR"):
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
    if "," in text.split("\n", 1)[0] or ";" in text.split("\n", 1)[0]:
        return "csv"
    raise ParseError("line 1", f"cannot tell the format; pass --format ({', '.join(FORMATS)}).")
