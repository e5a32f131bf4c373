"""Peer-group sessions: plan fair time boxes with a rotating start, and log what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mentormap.domain.timebox import plan_session
from mentormap.domain.vocab import FavourDirection, FavourKind, parse_choice
from mentormap.errors import InvalidInput
from mentormap.models import Group, Interaction, Person
from mentormap.services.context import Ctx
from mentormap.services.people.groups import FIRST_SPEAKER_KEY, current_members
from mentormap.services.preferences import get_preference, store_preference


@dataclass
class SlotView:
    label: str
    starts: str  # HH:MM, the user's local clock
    ends: str
    minutes: int
    pressing: bool


@dataclass
class SessionPlan:
    group: str
    minutes: int
    day: str
    present: list[str]
    first_last_time: str | None
    slots: list[SlotView] = field(default_factory=list)
    logged_interaction_id: int | None = None
    favours_recorded: int = 0


@dataclass
class Connection:
    """A connection made in the session: by you for a member (given), or for you (received)."""

    person: Person
    direction: FavourDirection
    text: str
    kind: FavourKind = FavourKind.INTRODUCTION


YOU = "You"  # the user's own slot in a session plan

ME_WORDS = frozenset({"me", "myself", "you"})
"""How the user names herself among those at a session (`--present me`, `--pressing me`)."""


def is_me(text: str) -> bool:
    return text.strip().casefold() in ME_WORDS


def find_member(ctx: Ctx, group: Group, text: str, *, members_only: bool = False) -> Person:
    """Resolve a name among the group's members first, so 'Ben' means the Ben in the group.

    A member matches on her whole name or on the start of any word of it ('Ben', 'Sat'), never
    on letters inside a word ('me' is not James). `members_only` refuses anyone else.
    """
    from mentormap.services.people.resolve import find_person

    wanted = text.strip().casefold()
    members = current_members(ctx, group)
    for match in (
        [m for m in members if m.name.casefold() == wanted],
        [m for m in members if m.name.casefold().startswith(wanted)],
        [m for m in members if any(w.startswith(wanted) for w in m.name.casefold().split())],
    ):
        if len(match) == 1:
            return match[0]
        if len(match) > 1:
            names = ", ".join(m.name for m in match)
            raise InvalidInput(f"{text!r} matches several members of {group.name}: {names}.")
    if members_only:
        names = ", ".join(m.name for m in members) or "none yet"
        raise InvalidInput(f"No member of {group.name} called {text!r} (members: {names}).")
    return find_person(ctx, text)


def next_start(ctx: Ctx) -> datetime:
    """Now, rounded up to the next five minutes: a sensible default start."""
    now = ctx.now().replace(second=0, microsecond=0)
    return now + timedelta(minutes=(-now.minute) % 5)


def first_speaker(ctx: Ctx, group: Group) -> Person | None:
    value = get_preference(ctx, FIRST_SPEAKER_KEY.format(group_id=group.id))
    if value is None or not value.isdigit():
        return None
    person = ctx.session.get(Person, int(value))
    return person if person is not None and person.owner_id == ctx.owner_id else None


def _remember_first(ctx: Ctx, group: Group, person_id: int) -> None:
    store_preference(ctx, FIRST_SPEAKER_KEY.format(group_id=group.id), str(person_id))


def plan(
    ctx: Ctx,
    group: Group,
    *,
    minutes: int | None = None,
    present: list[Person] | None = None,
    pressing: list[Person] | None = None,
    start: datetime | None = None,
    with_me: bool = False,
    me_pressing: bool = False,
) -> SessionPlan:
    """Time boxes for the members present (default: every current member).

    `with_me` gives the user a share of her own, like everyone's ("You"); `me_pressing` gives
    her the double share of a pressing problem (and implies `with_me`).
    """
    members = current_members(ctx, group)
    member_ids = {m.id for m in members}
    people = present if present else members
    strangers = [p.name for p in people if p.id not in member_ids]
    if strangers:
        raise InvalidInput(f"{', '.join(strangers)} is not a member of {group.name}.")
    names = [p.name for p in {p.id: p for p in people}.values()]
    pressing_names = [p.name for p in pressing or []]
    if with_me or me_pressing:
        names.append(YOU)
        if me_pressing:
            pressing_names.append(YOU)
    last_first = first_speaker(ctx, group)
    begins = start or next_start(ctx)
    slots = plan_session(
        begins,
        group.session_minutes if minutes is None else minutes,
        names,
        pressing=pressing_names,
        first_last_time=last_first.name if last_first else None,
    )
    return SessionPlan(
        group=group.name,
        minutes=group.session_minutes if minutes is None else minutes,
        day=begins.date().isoformat(),
        present=names,
        first_last_time=last_first.name if last_first else None,
        slots=[
            SlotView(
                s.label, s.starts.strftime("%H:%M"), s.ends.strftime("%H:%M"), s.minutes, s.pressing
            )
            for s in slots
        ],
    )


def schedule_markdown(session_plan: SessionPlan) -> str:
    lines = [f"Schedule ({session_plan.minutes} minutes):", ""]
    for slot in session_plan.slots:
        flag = " (pressing problem)" if slot.pressing else ""
        lines.append(f"- {slot.starts}–{slot.ends} {slot.label}, {slot.minutes} min{flag}")
    return "\n".join(lines)


def log_session(
    ctx: Ctx,
    group: Group,
    session_plan: SessionPlan,
    present: list[Person],
    *,
    notes: str | None = None,
    connections: list[Connection] | None = None,
) -> Interaction:
    """Log the session with those present; connections become favours given and received."""
    from mentormap.services.conversations.interactions import log_interaction

    members = current_members(ctx, group)
    people = present or members
    ids = {p.id for p in people}
    for connection in connections or []:
        if connection.person.id not in ids:
            raise InvalidInput(
                f"{connection.person.name} was not at the session; "
                "connections are recorded with those present."
            )
    body = "\n\n".join(part for part in (notes, schedule_markdown(session_plan)) if part)
    interaction = log_interaction(
        ctx,
        [],
        absent=[m for m in members if m.id not in ids],
        kind="group_session",
        notes=body,
        group=group,
        direction="mutual",
    )
    from mentormap.services.clock.favours import add_favour

    for connection in connections or []:
        # Through the ledger, so a connection received opens its loop (thank, act, tell).
        add_favour(
            ctx,
            connection.person,
            connection.text,
            direction=connection.direction.value,
            kind=connection.kind.value,
            on=interaction.occurred_on,
            interaction=interaction,
        )
    first = next((s.label for s in session_plan.slots[1:]), None)
    by_name = {p.name: p.id for p in people}
    if first in by_name:
        _remember_first(ctx, group, by_name[first])
    ctx.session.flush()
    session_plan.logged_interaction_id = interaction.id
    session_plan.favours_recorded = len(connections or [])
    return interaction


def parse_kind(value: str | None) -> FavourKind:
    return parse_choice(FavourKind, value, "favour kind") if value else FavourKind.INTRODUCTION
