"""Google Contacts CSV, the current layout and the legacy ("Google CSV"/Outlook-like) one.

Columns are matched by their names, never by position: `E-mail 2 - Value`, `Phone 1 - Label`,
`Organization Name` (current) or `Organization 1 - Name` (legacy). A cell may hold several
values separated by ` ::: `.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from mentormap.interop.csv_generic import birthday_or_warning, read_rows, split_multi
from mentormap.interop.records import (
    ContactRecord,
    Labelled,
    OnError,
    OnWarning,
    ParseError,
    check_contact,
    clean,
    name_from_email,
    report,
)

_NUMBERED = re.compile(r"^(e-mail|phone|website|address|organization) (\d+) - (.+)$", re.I)


def is_header(row: list[str]) -> bool:
    cells = {cell.strip().lstrip("\ufeff").lower() for cell in row}
    return looks_like_google(cells)


def looks_like_google(cells: set[str]) -> bool:
    has_value_columns = any(_NUMBERED.match(cell) for cell in cells)
    has_names = bool(cells & {"first name", "given name", "name"})
    return has_value_columns and has_names


def _label(text: str | None) -> str | None:
    """Google marks the primary value with "* "; labels like "* Work" become "work"."""
    if not text:
        return None
    label = text.replace("*", "").strip().lower()
    return label[:60] or None


def parse_google(
    text: str, on_error: OnError = None, on_warning: OnWarning = None
) -> Iterator[ContactRecord]:
    header, rows = read_rows(text.lstrip("\ufeff"), is_header)
    # {(kind, n): {part: column}} e.g. ("e-mail", "1") -> {"value": "E-mail 1 - Value", ...}
    numbered: dict[tuple[str, str], dict[str, str]] = {}
    plain: dict[str, str] = {}
    for column in header:
        match = _NUMBERED.match(column)
        if match:
            kind, n, part = (match.group(i).lower() for i in (1, 2, 3))
            numbered.setdefault((kind, n), {})[part] = column
        else:
            plain[column.lower()] = column

    def get(row: dict[str, str], *names: str) -> str | None:
        for name in names:
            column = plain.get(name)
            if column and clean(row.get(column)):
                return clean(row.get(column))
        return None

    for line, row in rows:
        where = f"line {line}"
        try:
            record = _record(row, where, numbered, get, on_warning)
            if record is not None:
                yield record
        except ParseError as error:
            report(error, on_error)


def _record(
    row: dict[str, str],
    where: str,
    numbered: dict[tuple[str, str], dict[str, str]],
    get: Callable[..., str | None],
    on_warning: OnWarning = None,
) -> ContactRecord | None:
    given = " ".join(
        p
        for p in (
            get(row, "first name", "given name"),
            get(row, "middle name", "additional name"),
            get(row, "last name", "family name"),
        )
        if p
    )
    record = ContactRecord(name=get(row, "name") or given, where=where)
    for (kind, _n), parts in sorted(numbered.items(), key=lambda item: int(item[0][1])):
        values = split_multi(row.get(parts.get("value", ""), ""))
        label = _label(row.get(parts.get("label") or parts.get("type") or "", ""))
        if kind == "e-mail":
            record.emails.extend(Labelled(v, label) for v in values)
        elif kind == "phone":
            record.phones.extend(Labelled(v, label) for v in values)
        elif kind == "website":
            record.links.extend(values)
        elif kind == "organization":
            record.company = record.company or clean(row.get(parts.get("name", ""), ""))
            record.title = record.title or clean(row.get(parts.get("title", ""), ""))
        elif kind == "address" and record.city is None and record.country is None:
            cities = split_multi(row.get(parts.get("city", ""), ""))
            record.city = clean(cities[0]) if cities else None
            countries = split_multi(row.get(parts.get("country", ""), ""))
            record.country = clean(countries[0]) if countries else None
    record.company = get(row, "organization name") or record.company
    record.title = get(row, "organization title") or record.title
    record.notes = get(row, "notes")
    birthday = get(row, "birthday")
    if birthday:
        record.birthday = birthday_or_warning(birthday, where, on_warning)
    if not record.name:
        record.name = get(row, "nickname", "file as") or record.company or ""
    if not record.name and record.emails:
        record.name = name_from_email(record.emails[0].value)
    return check_contact(record, on_warning)
