"""CSV in general: reading rows with their line numbers, any CSV through a column map, CSV out.

`--map "Full name=name"` ties a column to a field; columns whose header already names a field
(`name`, `email`, `company`…) map themselves, so mentormap's own CSV export reads back as is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from mentormap.interop.records import (
    CONTACT_FIELDS,
    ContactRecord,
    Labelled,
    OnError,
    OnWarning,
    ParseError,
    check_contact,
    clean,
    name_from_email,
    report,
    shown,
    warn,
)

csv.field_size_limit(1_000_000)

# What `--map "Column=field"` can fill: a name in parts or whole, one email, phone and link,
# and the single-valued person fields.
FIELDS = ("first_name", "last_name", "email", "phone", "link", *CONTACT_FIELDS)
ALIASES = {
    "full_name": "name",
    "given_name": "first_name",
    "family_name": "last_name",
    "surname": "last_name",
    "emails": "email",
    "e_mail": "email",
    "email_address": "email",
    "phones": "phone",
    "mobile": "phone",
    "links": "link",
    "url": "link",
    "website": "link",
    "linkedin": "link",
    "organization": "company",
    "organisation": "company",
    "employer": "company",
    "job_title": "title",
    "position": "title",
    "note": "notes",
}
MULTI = re.compile(r"\s*(?:;|:::)\s*")


def field_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


Row = tuple[int, dict[str, str]]


def read_rows(text: str, is_header: Callable[[list[str]], bool]) -> tuple[list[str], Iterator[Row]]:
    """Find the header row (skipping any preamble), then yield (line number, row by column).

    Raises ParseError when no header is found. Rows come lazily; a row the csv module cannot
    read raises ParseError naming its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    try:
        for row in reader:
            if is_header(row):
                header = [cell.strip() for cell in row]
                break
    except csv.Error as exc:
        raise ParseError(f"line {reader.line_num}", f"not readable as CSV ({exc}).") from None
    if header is None:
        raise ParseError("line 1", "no header row with the expected column names was found.")
    columns = header

    def rows() -> Iterator[Row]:
        line = reader.line_num
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ParseError(f"line {start}", f"not readable as CSV ({exc}).") from None
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            yield (
                start,
                {name: (row[i] if i < len(row) else "") for i, name in enumerate(columns) if name},
            )

    return header, rows()


def split_multi(value: str | None) -> list[str]:
    return [part for part in MULTI.split(value or "") if part.strip()]


def parse_mapping(specs: Iterable[str]) -> dict[str, str]:
    """`Column=field` pairs as {column: field}; raises ParseError naming a bad pair."""
    mapping: dict[str, str] = {}
    for spec in specs:
        column, sep, target = spec.partition("=")
        key = ALIASES.get(field_key(target), field_key(target))
        if not sep or not column.strip():
            raise ParseError("--map", f'{spec!r} should look like "Column=field".')
        if key not in FIELDS:
            raise ParseError(
                "--map", f"unknown field {target.strip()!r}; use one of: {', '.join(FIELDS)}."
            )
        mapping[column.strip()] = key
    return mapping


def auto_mapping(header: list[str]) -> dict[str, str]:
    """Columns whose header already names a field (or a common alias of one)."""
    mapping: dict[str, str] = {}
    for column in header:
        key = field_key(column)
        key = ALIASES.get(key, key)
        if key in FIELDS and key not in mapping.values():
            mapping[column] = key
    return mapping


def parse_csv(
    text: str,
    mapping: dict[str, str] | None = None,
    on_error: OnError = None,
    on_warning: OnWarning = None,
) -> Iterator[ContactRecord]:
    """Contacts from any CSV: `mapping` {column: field} adds to the columns that map themselves."""
    given = mapping or {}
    header, rows = read_rows(text, lambda row: any(cell.strip() for cell in row))
    missing = [column for column in given if column not in header]
    if missing:
        raise ParseError("--map", f"no column named {missing[0]!r} in the header line.")
    columns = {**auto_mapping(header), **given}
    targets = set(columns.values())
    if not targets & {"name", "first_name", "last_name", "email"}:
        raise ParseError("line 1", 'no name or email column; tie one with --map "Column=name".')
    for line, row in rows:
        where = f"line {line}"
        try:
            record = _mapped(row, columns, where, on_warning)
            if record is not None:
                yield record
        except ParseError as error:
            report(error, on_error)


def _mapped(
    row: dict[str, str], columns: dict[str, str], where: str, on_warning: OnWarning = None
) -> ContactRecord | None:
    values: dict[str, str] = {}
    for column, key in columns.items():
        value = unguard_cell(row.get(column) or "").strip()
        if value:
            values[key] = f"{values[key]}; {value}" if key in values else value
    name = values.get("name") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part
    )
    emails = [Labelled(e) for e in split_multi(values.get("email"))]
    if not name and emails:
        name = name_from_email(emails[0].value)
    record = ContactRecord(
        name=name,
        where=where,
        emails=emails,
        phones=[Labelled(p) for p in split_multi(values.get("phone"))],
        links=split_multi(values.get("link")),
        company=clean(values.get("company")),
        title=clean(values.get("title")),
        city=clean(values.get("city")),
        country=clean(values.get("country")),
        how_met=clean(values.get("how_met")),
        notes=clean(values.get("notes")),
    )
    if values.get("met_on"):
        try:
            record.met_on = date.fromisoformat(values["met_on"])
        except ValueError:
            warn(
                where,
                f"left out the date met {shown(values['met_on'])}: not YYYY-MM-DD.",
                on_warning,
            )
    if values.get("birthday"):
        record.birthday = birthday_or_warning(values["birthday"], where, on_warning)
    return check_contact(record, on_warning)


def birthday_or_warning(value: str, where: str, on_warning: OnWarning) -> str | None:
    """A birthday as YYYY-MM-DD or --MM-DD, or None with a warning when it is not a date."""
    from mentormap.interop.vcard import parse_birthday

    try:
        return parse_birthday(value)
    except ValueError:
        warn(where, f"left out the birthday {shown(value)}: not a date.", on_warning)
        return None


EXPORT_COLUMNS = ("name", "emails", "phones", "links", *CONTACT_FIELDS[1:])

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Digits and number punctuation only: no function name, cell reference or DDE `|`/`!` can hide
# in it, so a phone like "+44 7700 900123" or a "-5" stays as written and imports back as is.
_PLAIN_NUMBER = re.compile(r"^[+-][0-9 ().,;/+-]*$")


def guard_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading `'` before anything it would evaluate.

    A value that is already apostrophes and then a formula character gets one more, so that
    `unguard_cell` always gives back exactly what was written.
    """
    if value.lstrip("'").startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """Undo `guard_cell`, so that mentormap's own CSV export reads back exactly."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(records: Iterable[ContactRecord]) -> Iterator[str]:
    """A header line, then one line per contact; several emails/phones/links joined by "; "."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(EXPORT_COLUMNS)
    yield take()
    for r in records:
        cells = [
            r.name,
            "; ".join(e.value for e in r.emails),
            "; ".join(p.value for p in r.phones),
            "; ".join(r.links),
            r.company or "",
            r.title or "",
            r.city or "",
            r.country or "",
            r.how_met or "",
            r.met_on.isoformat() if r.met_on else "",
            r.birthday or "",
            r.notes or "",
        ]
        writer.writerow([guard_cell(cell) for cell in cells])
        yield take()
