"""What a backup may hold, column by column: the checks a restore runs before it writes anything.

Types, lengths and ranges come from the models (an `Integer` is a 64-bit integer, a
`String(200)` holds at most 200 characters); the closed vocabularies come from domain/vocab.py
and domain/roles.py; the rest (time zones, working hours, settings) is checked by the same
functions the CLI uses, so that whatever a restore accepts, every page and command can show.
Rows are checked by pydantic a batch at a time; a refusal names the table, the row and the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, Strict, TypeAdapter, ValidationError
from pydantic import GetPydanticSchema as Schema
from pydantic_core import core_schema
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Table

from mentormap.domain.durations import EARLIEST, LATEST, MAX_DAYS
from mentormap.domain.links import is_safe_link
from mentormap.domain.practice import OpportunityKind, OpportunityStatus, ProspectAs, ProspectStage
from mentormap.domain.roles import RoleKey
from mentormap.domain.vocab import (
    Direction,
    FavourDirection,
    FavourKind,
    FavourState,
    FollowUpState,
    InteractionKind,
    OwedBy,
)
from mentormap.errors import InvalidInput, UserError
from mentormap.services.search.index import BITS

FORMAT = "mentormap-backup"
VERSION = 1
TEXT_LIMIT = 1_000_000
"""Characters in one free-text value (a note); far above any note typed or imported."""
INT64 = 2**63 - 1
ROW_ID = (1 << BITS) - 1
"""The largest row id kept: the search index files each entry under its type's code and the
row's id in the low 32 bits, so a larger id (only a hand-made backup has one) cannot be indexed."""
SESSION_MINUTES = 24 * 60

_DAY = core_schema.chain_schema(
    [core_schema.str_schema(strict=True), core_schema.date_schema(ge=EARLIEST, le=LATEST)]
)
_INSTANT = core_schema.chain_schema(
    [
        core_schema.str_schema(strict=True),
        core_schema.datetime_schema(
            ge=datetime.combine(EARLIEST, time.min),
            le=datetime.combine(LATEST, time.max),
            tz_constraint="naive",  # instants are stored as naive UTC; an offset means a forgery
        ),
    ]
)
Day = Annotated[date, Schema(lambda _type, _handler: _DAY)]
Instant = Annotated[datetime, Schema(lambda _type, _handler: _INSTANT)]

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("interactions", "kind"): tuple(InteractionKind),
    ("interactions", "direction"): tuple(Direction),
    ("favours", "direction"): tuple(FavourDirection),
    ("favours", "kind"): tuple(FavourKind),
    ("favours", "state"): tuple(FavourState),
    ("follow_ups", "state"): tuple(FollowUpState),
    ("follow_ups", "owed_by"): tuple(OwedBy),
    ("roles", "key"): tuple(RoleKey),
    ("goals", "kind"): ("goal", "challenge"),
    ("goals", "state"): ("open", "done", "dropped"),
    ("agenda_items", "state"): ("open", "discussed", "dropped"),
    ("mail_messages", "direction"): (Direction.INBOUND.value, Direction.OUTBOUND.value),
    ("mail_accounts", "security"): ("ssl", "starttls", "plain"),
    ("opportunities", "kind"): tuple(OpportunityKind),
    ("opportunities", "status"): tuple(OpportunityStatus),
    ("prospects", "as_role"): tuple(ProspectAs),
    ("prospects", "stage"): tuple(ProspectStage),
    ("mentee_notes", "kind"): ("goal", "achievement"),
}
RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("people", "cadence_days"): (1, MAX_DAYS),
    ("roles", "cadence_days"): (1, MAX_DAYS),
    ("groups", "cadence_days"): (1, MAX_DAYS),
    ("groups", "session_minutes"): (1, SESSION_MINUTES),
    ("people", "latitude"): (-90, 90),
    ("people", "longitude"): (-180, 180),
    ("trips", "latitude"): (-90, 90),
    ("trips", "longitude"): (-180, 180),
    ("office_hours", "weekday"): (0, 6),
}
NAMES = {("people", "name"), ("groups", "name"), ("tags", "name"), ("trips", "city")}


class OwnerInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: Annotated[str, Strict(), Field(max_length=200)] | None = None
    created_at: Instant | None = None


class Header(BaseModel):
    model_config = ConfigDict(extra="ignore")
    format: Literal["mentormap-backup"]
    version: Annotated[int, Strict()]
    schema_: Annotated[str, Strict(), Field(alias="schema", max_length=40)]
    owner: OwnerInfo | None = None


def check_header(raw: dict[str, Any], known: Callable[[str], bool], head: str) -> Header:
    """The header, or one sentence saying why this file is not a backup this code reads."""
    if raw.get("format") != FORMAT:
        raise InvalidInput("This is not a mentormap backup (no mentormap-backup header).")
    if raw.get("version") != VERSION or isinstance(raw.get("version"), bool):
        raise InvalidInput(f"Backup version {_shown(raw.get('version'))} is not one this reads.")
    schema = raw.get("schema")
    if not isinstance(schema, str) or len(schema) > 40:
        raise InvalidInput(
            f"The backup's schema {_shown(schema)} is not a schema revision such as {head!r}."
        )
    if not known(schema):
        raise InvalidInput(
            f"The backup is of schema {schema!r}, which this mentormap ({head!r}) "
            "does not know; restore it with the version that made it, or a newer one."
        )
    try:
        return Header.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        place = ".".join(str(part) for part in error["loc"])
        raise InvalidInput(f"The backup's header: {place} {_problem(error)}.") from None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _column_type(table: Table, name: str) -> Any:
    column = table.c[name]
    kind = column.type
    key = (table.name, name)
    if key in CHOICES:
        shape: Any = Literal[CHOICES[key]]
    elif isinstance(kind, Boolean):
        shape = Annotated[bool, Strict()]
    elif isinstance(kind, DateTime):
        shape = Instant
    elif isinstance(kind, Date):
        shape = Day
    elif isinstance(kind, Integer):
        low, high = RANGES.get(key, (-INT64 - 1, INT64))
        if column.primary_key or column.foreign_keys:
            low, high = 1, min(high, ROW_ID)
        shape = Annotated[int, Strict(), Field(ge=low, le=high)]
    elif isinstance(kind, Numeric) and not isinstance(kind, Float):
        digits, places = kind.precision or 18, kind.scale or 0
        shape = Annotated[
            Decimal, Field(max_digits=digits, decimal_places=places, allow_inf_nan=False)
        ]
    elif isinstance(kind, Float):
        low, high = RANGES.get(key, (float("-inf"), float("inf")))
        shape = Annotated[float, Strict(), Field(ge=low, le=high, allow_inf_nan=False)]
    elif isinstance(kind, String):
        shape = Annotated[
            str,
            Strict(),
            Field(min_length=1 if key in NAMES else 0, max_length=kind.length or TEXT_LIMIT),
        ]
    else:  # pragma: no cover - every column type in the models is handled above
        raise TypeError(f"No backup check for {table.name}.{name} ({kind!r}).")
    return shape | None if column.nullable else shape


def row_adapter(table: Table, columns: list[str]) -> TypeAdapter[list[tuple[Any, ...]]]:
    """Validates a batch of rows of `table` holding `columns`, in that order."""
    row: Any = tuple[tuple(_column_type(table, name) for name in columns)]  # type: ignore[misc]
    return TypeAdapter(list[row])


_TYPE_WORDS = {
    "string_type": "should be text",
    "int_type": "should be a whole number",
    "bool_type": "should be true or false",
    "float_type": "should be a number",
    "decimal_type": "should be an amount",
    "date_type": "should be a date (YYYY-MM-DD)",
    "datetime_type": "should be a date and time",
    "finite_number": "must be a finite number",
    "string_unicode": "holds text that is not valid Unicode",
    "timezone_naive": "must be in UTC without a time zone",
    "none_required": "should be empty",
}


def _problem(error: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    if kind in _TYPE_WORDS:
        return f"{_shown(given)} {_TYPE_WORDS[kind]}"
    if kind == "literal_error":
        return f"{_shown(given)} is not one of: {context.get('expected', '')}"
    if kind == "string_too_long":
        return f"is longer than {context.get('max_length')} characters"
    if kind == "string_too_short":
        return "is empty"
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        bound = next(iter(context.values()), "")
        return f"{_shown(given)} is out of range (limit {bound})"
    if kind.startswith(("date_", "datetime_")):
        return f"{_shown(given)} is not a valid date or time"
    if kind.startswith("decimal_"):
        return f"{_shown(given)} is not an amount with at most two decimals"
    if kind == "missing":
        return "is missing"
    return f"{_shown(given)}: {str(error.get('msg', 'is not valid')).lower()}"


def refusal(table: str, first_row: int, columns: list[str], exc: ValidationError) -> InvalidInput:
    """One line for the first problem pydantic found in a batch starting at `first_row`."""
    error = exc.errors()[0]
    loc = error["loc"]
    number = first_row + int(loc[0]) if loc else first_row
    if len(loc) < 2:
        given = error.get("input")
        if error["type"] in ("too_short", "too_long") and isinstance(given, list):
            return InvalidInput(
                f"{table} row {number}: expected {len(columns)} values, found {len(given)}."
            )
        return InvalidInput(f"{table} row {number}: a row must be a list of values.")
    column = columns[int(loc[1])]
    return InvalidInput(f"{table} row {number}, column {column}: {_problem(error)}.")


# Checks beyond a column's type, on the few tables where a stored value is parsed again later.
# Each takes a row as {column: value} and returns a problem (column, sentence) or None.
RowCheck = Callable[[dict[str, Any]], tuple[str, str] | None]


def _zone(value: str | None) -> bool:
    if not value:
        return True
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _check_person(row: dict[str, Any]) -> tuple[str, str] | None:
    from mentormap.domain.overlap import parse_hours

    if not _zone(row.get("timezone")):
        return "timezone", f"{_shown(row['timezone'])} is not a known time zone"
    if row.get("work_hours"):
        try:
            parse_hours(row["work_hours"])
        except UserError:
            return "work_hours", f"{_shown(row['work_hours'])} is not like 09:00-17:30"
    return None


def _check_trip(row: dict[str, Any]) -> tuple[str, str] | None:
    if not _zone(row.get("timezone")):
        return "timezone", f"{_shown(row['timezone'])} is not a known time zone"
    start, end = row.get("start_on"), row.get("end_on")
    if start and end and end < start:
        return "end_on", "is before start_on"
    return None


def _check_preference(row: dict[str, Any]) -> tuple[str, str] | None:
    from mentormap.services.preferences import KNOWN

    key, value = row.get("key"), row.get("value")
    if key in KNOWN and value is not None:
        try:
            KNOWN[key][1](value)
        except UserError as exc:
            return "value", f"{_shown(value)} is not a valid {key} ({exc})"
    return None


ROW_CHECKS: dict[str, RowCheck] = {
    "people": _check_person,
    "trips": _check_trip,
    "preferences": _check_preference,
}
LINKS: dict[str, tuple[str, bool]] = {
    "person_links": ("url", True),
    "opportunities": ("url", False),
}
"""Columns holding a link, and whether an unsafe one drops the whole row (else it is blanked)."""


def unsafe_link(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not is_safe_link(value)


@dataclass
class TablePlan:
    """What the check learnt about one table of the backup, for the write that follows."""

    name: str
    columns: list[str]
    rows: int = 0
    dropped: set[int] = field(default_factory=set)
    blanked: dict[int, list[int]] = field(default_factory=dict)
    adapter: TypeAdapter[list[tuple[Any, ...]]] | None = None
