"""LinkedIn's `Connections.csv`: a "Notes:" preamble, maybe a byte-order mark, with or without URL.

Columns are found by name, so the older layout (no `URL`) and the newer one read the same way.
`Connected On` (e.g. `12 Mar 2024`) becomes when you met; how you met says LinkedIn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from mentormap.interop.csv_generic import read_rows
from mentormap.interop.records import (
    ContactRecord,
    Labelled,
    OnError,
    OnWarning,
    ParseError,
    check_contact,
    clean,
    report,
)

HOW_MET = "Connected on LinkedIn"
DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def is_header(row: list[str]) -> bool:
    cells = {cell.strip().lstrip("\ufeff").lower() for cell in row}
    return {"first name", "last name"} <= cells


def looks_like_linkedin(header_cells: set[str]) -> bool:
    return {"first name", "last name", "connected on"} <= header_cells


_MONTHS = {
    m: n
    for n, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_USUAL = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})")


def parse_connected_on(value: str) -> date:
    text = value.strip()
    usual = _USUAL.fullmatch(text)
    if usual and usual.group(2).lower() in _MONTHS:  # the common case, without strptime's cost
        return date(int(usual.group(3)), _MONTHS[usual.group(2).lower()], int(usual.group(1)))
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_linkedin(
    text: str, on_error: OnError = None, on_warning: OnWarning = None
) -> Iterator[ContactRecord]:
    """One record per connection; a row that cannot be read raises ParseError naming its line."""
    header, rows = read_rows(text.lstrip("\ufeff"), is_header)
    by_name = {cell.lower(): cell for cell in header}

    def cell(row: dict[str, str], name: str) -> str | None:
        column = by_name.get(name)
        return clean(row.get(column)) if column else None

    for line, row in rows:
        where = f"line {line}"
        try:
            first, last = cell(row, "first name"), cell(row, "last name")
            record = ContactRecord(
                name=" ".join(part for part in (first, last) if part),
                where=where,
                company=cell(row, "company"),
                title=cell(row, "position"),
                how_met=HOW_MET,
            )
            email = cell(row, "email address")
            if email:
                record.emails.append(Labelled(email))
            url = cell(row, "url") or cell(row, "profile url")
            if url:
                record.links.append(url)
            connected = cell(row, "connected on")
            if connected:
                try:
                    record.met_on = parse_connected_on(connected)
                except ValueError:
                    raise ParseError(
                        where, f"Connected On {connected!r} is not a date like 12 Mar 2024."
                    ) from None
            checked = check_contact(record, on_warning)
            if checked is not None:
                yield checked
        except ParseError as error:
            report(error, on_error)
