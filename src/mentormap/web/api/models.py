"""Pydantic models of the API: what a request may send, and what every answer holds.

Answers mirror the services' view objects (the same ones `--json` prints), so a view and its
API model cannot drift: `model_of` builds the model from the view's dataclass, field by field,
leaving out what the views keep out of JSON.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

_built: dict[type, type[BaseModel]] = {}


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# The database keeps instants as naive UTC; the API says so (RFC 3339 wants the offset).
Instant = Annotated[datetime, AfterValidator(_as_utc)]


def _translate(hint: Any) -> Any:
    """A dataclass field's type as the API shows it: nested views as models, tuples as lists."""
    origin = typing.get_origin(hint)
    if hint is datetime:
        return Instant
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return model_of(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return str
    if origin in (list, tuple, set, frozenset):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return list[_translate(args[0]) if args else Any]  # type: ignore[misc]
    if origin is dict:
        return dict[str, Any]
    if origin in (typing.Union, types.UnionType):
        members = tuple(_translate(a) for a in typing.get_args(hint))
        return typing.Union[members]  # noqa: UP007
    return hint


def model_of(view: type) -> type[BaseModel]:
    """The pydantic model of a service's view dataclass (built once, named after the view)."""
    if view in _built:
        return _built[view]
    hints = typing.get_type_hints(view)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(view):
        if not item.metadata.get("json", True):
            continue
        # The JSON key the view's own `as_json` writes ("as", "from"): an alias, since a field
        # of that name would be a Python keyword.
        key = item.metadata.get("key", item.name)
        fields[item.name] = (_translate(hints[item.name]), Field(..., alias=key))
    config = ConfigDict(extra="ignore", populate_by_name=True)
    model = create_model(view.__name__, __config__=config, **fields)
    _built[view] = model
    return model


class ErrorOut(BaseModel):
    """Every refusal: the same one-line message the command line prints."""

    error: str


# --- requests ----------------------------------------------------------------------------------

Text = typing.Annotated[str, Field(max_length=10_000)]
RowId = typing.Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id either engine can store
Short = typing.Annotated[str, Field(min_length=1, max_length=200)]


class PersonFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: Short | None = None
    title: Short | None = None
    city: Short | None = None
    country: Short | None = None
    timezone: Short | None = None
    how_met: Text | None = None
    met_on: date | None = None
    interests: Text | None = None
    expertise: Text | None = None
    notes: Text | None = None
    preferred_format: Short | None = None
    preferred_time: Short | None = None
    emails: list[Short] = Field(default_factory=list, max_length=20)
    phones: list[Short] = Field(default_factory=list, max_length=20)
    links: list[Short] = Field(default_factory=list, max_length=20)


class PersonCreate(PersonFields):
    name: Short
    roles: list[Short] = Field(default_factory=list, max_length=10)


class PersonUpdate(PersonFields):
    name: Short | None = None


class ArchiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    archived: bool = True


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: Short
    note: Text | None = None
    cadence_days: int | None = Field(default=None, ge=1, le=3650)
    since: date | None = None


class InteractionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    people: list[RowId] = Field(min_length=1, max_length=50)
    kind: Short = "message"
    direction: Literal["inbound", "outbound", "mutual"] = "mutual"
    on: date | None = None
    notes: Text | None = None
    location: Short | None = None
    needs_reply: bool = False


class InteractionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    people: list[RowId] | None = Field(default=None, min_length=1, max_length=50)
    kind: Short | None = None
    direction: Literal["inbound", "outbound", "mutual"] | None = None
    on: date | None = None
    notes: Text | None = None
    location: Short | None = None
    needs_reply: bool | None = None


# --- answers that are not a view as is -----------------------------------------------------------


class RoleInfoOut(BaseModel):
    key: str
    label: str
    who: str
    cadence_days: int | None
    good_for: list[str]
    watch_out: list[str]
    bring: list[str]
    next_action: str
    time_box_minutes: int


class HitOut(BaseModel):
    type: str
    id: int
    person: str | None
    person_ids: list[int]
    title: str
    snippet: str
    score: float
    on: date | None


class SearchOut(BaseModel):
    query: str
    hits: list[HitOut]


class HelperOut(BaseModel):
    id: int
    name: str
    score: float
    roles: list[str]
    warmth: str | None
    why: list[str]
    ask: str
    company: str | None
    title: str | None


class WhoOut(BaseModel):
    topic: str
    helpers: list[HelperOut]


def list_of(model: type[BaseModel]) -> Any:
    """`list[model]` for a model built at run time (which a type checker cannot see)."""
    return list[model]  # type: ignore[valid-type]
