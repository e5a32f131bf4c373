"""Every route of the app, and the values its path parameters take, for the isolation tests.

The routes come from the app itself, so a route added by anyone is checked without being
listed here; one whose path parameters have no value below fails the test with its name.
To cover a new route, add its parameters under its path prefix in `PATH_VALUES`: each value
names one of user A's records (`Records` below) or is a literal, and a list tries each.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select, text

from mentormap.db import Database
from mentormap.models import Base


@dataclass(frozen=True)
class Records:
    """Ids of user A's records that B must not reach."""

    person: int
    email: int  # one of that person's addresses
    role_key: str
    agenda_point: int
    follow_up: int
    favour: int
    group: int
    group_member: int
    trip: int
    achievement: int
    interaction: int
    token: int
    life_event: int
    spend: int
    prospect: int
    advice: int
    goal: int
    opportunity: int
    office_hour: int
    story: int
    mentee_note: int
    invitation: str  # not A's: a sign-up link, which anyone may open


# path prefix -> {parameter: attribute of Records, or ("literal", value…)}; the longest prefix wins.
PATH_VALUES: dict[str, dict[str, Any]] = {
    "/people/": {
        "person_id": "person",
        "favour_id": "favour",
        "key": "role_key",
        "point_id": "agenda_point",
        "email_id": "email",
        "what": ("literal", "ping", "replied", "snooze"),
    },
    "/followups/": {"follow_up_id": "follow_up", "action": ("literal", "done", "cancel", "snooze")},
    "/favours/": {"favour_id": "favour", "step": ("literal", "acted", "reported")},
    "/groups/": {"group_id": "group", "person_id": "group_member"},
    "/trips/": {"trip_id": "trip"},
    "/export/": {"fmt": ("literal", "vcard", "csv", "ics", "json")},
    "/settings/tokens/": {"token_id": "token"},
    "/signup/": {"key": "invitation"},
    "/life-events/": {"event_id": "life_event"},
    "/spend/": {"spend_id": "spend"},
    "/prospects/": {"prospect_id": "prospect"},
    "/achievements/": {"achievement_id": "achievement", "person_id": "person"},
    "/advice/": {"advice_id": "advice"},
    "/interactions/": {"interaction_id": "interaction"},
    "/goals/": {"goal_id": "goal"},
    "/follow-ups/": {"follow_up_id": "follow_up"},
    "/opportunities/": {"opportunity_id": "opportunity", "person_id": "person"},
    "/mentoring/office-hours/": {"hour_id": "office_hour"},
    "/mentoring/stories/": {"story_id": "story"},
    "/mentoring/mentees/": {"person_id": "person"},
    "/mentoring/notes/": {"note_id": "mentee_note"},
    "/config/": {"key": ("literal", "employer", "coaching_budget")},  # B's own settings only
    # The feed is reached by its secret alone (a calendar app signs in to nothing): B, who does
    # not know A's, gets nothing.
    "/feed/": {"secret": ("literal", "not-her-secret", "")},
    "/api/v1/people/": {"person_id": "person", "key": "role_key"},
    "/api/v1/interactions/": {"interaction_id": "interaction"},
    "/api/v1/achievements/": {"achievement_id": "achievement"},
    "/api/v1/followups/": {"follow_up_id": "follow_up"},
    "/api/v1/favours/": {"favour_id": "favour"},
}

# The JSON body B sends to an API route (a valid one, so the refusal is about whose record it
# is, not about the body's shape); "$person" is A's person's id.
API_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/people": {"name": "Intruder Person"},
    "/api/v1/people/{person_id}": {"title": "Intruder"},
    "/api/v1/people/{person_id}/archive": {"archived": True},
    "/api/v1/people/{person_id}/roles": {"key": "friend"},
    "/api/v1/interactions": {"people": ["$person"], "notes": "Intruder"},
    "/api/v1/interactions/{interaction_id}": {"notes": "Intruder"},
}


def api_body(template: str, records: Records) -> dict[str, Any]:
    body = API_BODIES.get(template, {})
    return {
        key: [records.person if item == "$person" else item for item in value]
        if isinstance(value, list)
        else value
        for key, value in body.items()
    }


# Routes whose parameters do not name anything of A's: B may open them (no data of A shown).
NOT_OWNED = {"/export/{fmt}", "/signup/{key}", "/config/{key}/unset"}  # a setting is her own

_PARAM = re.compile(r"{([a-z_]+)(?::[a-z]+)?}")


@dataclass(frozen=True)
class Call:
    method: str
    template: str  # the route's path as declared
    path: str  # with A's values filled in

    @property
    def owned(self) -> bool:
        return bool(_PARAM.search(self.template)) and self.template not in NOT_OWNED


def app_routes(app: FastAPI) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, through included routers (FastAPI keeps them nested)."""
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                original = context.original_route
                yield context.path or original.path, set(getattr(original, "methods", ()) or ())
        elif getattr(route, "methods", None):
            yield route.path, set(route.methods)  # type: ignore[attr-defined]


def calls(app: FastAPI, records: Records) -> tuple[list[Call], list[str]]:
    """Every request to make, and the routes whose parameters have no value (test failures)."""
    made: list[Call] = []
    missing: list[str] = []
    for template, methods in app_routes(app):
        params = _PARAM.findall(template)
        prefix = max((p for p in PATH_VALUES if template.startswith(p)), key=len, default=None)
        table = PATH_VALUES.get(prefix, {}) if prefix else {}
        absent = [p for p in params if p not in table]
        if absent:
            missing.append(f"{template} (no value for {', '.join(absent)} in PATH_VALUES)")
            continue
        choices = []
        for param in params:
            value = table[param]
            if isinstance(value, tuple) and value[0] == "literal":
                choices.append([str(v) for v in value[1:]])
            else:
                choices.append([str(getattr(records, value))])
        for combination in itertools.product(*choices):
            path = template
            for param, value in zip(params, combination, strict=True):
                path = _PARAM.sub(
                    lambda m, p=param, v=value: v if m.group(1) == p else m.group(0), path, count=1
                )
            for method in sorted(methods - {"HEAD"}):
                made.append(Call(method, template, path))
    return made, missing


def snapshot(db: Database, owner_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of one owner, table by table, to prove nothing of hers changed."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "owner_id" in table.c:
                query = select(table).where(table.c.owner_id == owner_id)
                rows[table.name] = sorted(
                    (tuple(map(repr, row)) for row in conn.execute(query)), key=str
                )
        rows["users"] = [
            tuple(map(repr, r))
            for r in conn.execute(text("SELECT * FROM users WHERE owner_id = :o"), {"o": owner_id})
        ]
    return rows
