"""Plain data returned by services: what the CLI renders, the web templates, and `--json`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, enums as values, dataclasses as dicts: a stable JSON shape."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        # Field by field, not `asdict`: that deep-copies every value first, which on
        # 20,000 people costs more than the rest of `people list --json` together.
        names = _FIELD_NAMES.get(kind)
        if names is None:
            # A field's metadata can leave it out ("json": False) or name its key ("key": "as",
            # for a key that is a Python keyword).
            names = _FIELD_NAMES[kind] = tuple(
                (f.metadata.get("key", f.name), f.name)
                for f in fields(value)
                if f.metadata.get("json", True)
            )
        return {key: jsonable(getattr(value, name)) for key, name in names}
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class PersonSummary:
    id: int
    name: str
    roles: list[str]
    company: str | None
    title: str | None
    city: str | None
    country: str | None
    tags: list[str]
    emails: list[str]
    last_contact_on: date | None
    archived: bool
    # From `services.clock.standing`, the one place warmth and due dates are worked out.
    warmth: str | None = None  # None: no clock
    due_on: date | None = None


@dataclass
class InteractionView:
    id: int
    occurred_on: date
    occurred_at: datetime
    kind: str
    direction: str
    people: list[str]
    group: str | None
    location: str | None
    notes: str | None
    needs_reply: bool


@dataclass
class RoleView:
    key: str
    label: str
    since: date
    until: date | None
    cadence_days: int | None
    note: str | None


@dataclass
class PersonDetail(PersonSummary):
    timezone: str | None = None
    how_met: str | None = None
    met_on: date | None = None
    birthday: str | None = None
    interests: str | None = None
    expertise: str | None = None
    personal_details: str | None = None
    notes: str | None = None
    cadence_days: int | None = None
    preferred_format: str | None = None
    preferred_time: str | None = None
    work_hours: str | None = None
    snoozed_until: date | None = None
    phones: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    role_details: list[RoleView] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    life_events: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[InteractionView] = field(default_factory=list)
    keeps_clock: str | None = None  # her own rule for what keeps her clock (domain/clock.py)
    standing: dict[str, Any] = field(default_factory=dict)  # `services.clock.standing.Standing`
