"""The cadence figures of the health report worked out the slow, obvious way, in Python.

The SQL in `services/health/sql.py` reads the standing on past days; this reads the clock's rules
(`domain.clock`) again from the raw rows, person by person and day by day: the roles and group
memberships that ran that day, her last contacts of each kind up to that day. The tests hold the
two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from mentormap.domain.cadence import Warmth, warmth
from mentormap.domain.clock import (
    CONVERSATION_KINDS,
    HIGHLIGHTS_KINDS,
    Keeper,
    KeepsClock,
    role_keeper,
)
from mentormap.domain.roles import CATALOGUE, CONTACT_CADENCE_DAYS, RoleKey
from mentormap.domain.vocab import InteractionKind
from mentormap.models import Group, GroupMember, Interaction, InteractionParticipant, Person, Role
from mentormap.services.context import Ctx


@dataclass
class Network:
    people: list[Person]
    roles: dict[int, list[Role]]
    memberships: dict[int, list[tuple[GroupMember, Group]]]
    contacts: dict[int, list[tuple[date, InteractionKind]]]


def read_network(ctx: Ctx) -> Network:
    people = list(
        ctx.session.scalars(
            select(Person).where(Person.owner_id == ctx.owner_id, Person.archived.is_(False))
        )
    )
    roles: dict[int, list[Role]] = defaultdict(list)
    for role in ctx.session.scalars(select(Role).where(Role.owner_id == ctx.owner_id)):
        roles[role.person_id].append(role)
    memberships: dict[int, list[tuple[GroupMember, Group]]] = defaultdict(list)
    for member, group in ctx.session.execute(
        select(GroupMember, Group).join(Group, Group.id == GroupMember.group_id)
    ):
        memberships[member.person_id].append((member, group))
    contacts: dict[int, list[tuple[date, InteractionKind]]] = defaultdict(list)
    for pid, on, kind in ctx.session.execute(
        select(InteractionParticipant.person_id, Interaction.occurred_on, Interaction.kind)
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(Interaction.owner_id == ctx.owner_id)
    ):
        contacts[pid].append((on, InteractionKind(kind)))
    return Network(people, roles, memberships, contacts)


def standing_on(net: Network, person: Person, day: date) -> tuple[int, date, date, Warmth] | None:
    """(cadence, clock start, due on, warmth) as she stood on `day`; None: on no clock then."""
    seen = [(on, kind) for on, kind in net.contacts[person.id] if on <= day]
    every = [on for on, _k in seen]
    talks = [on for on, kind in seen if kind in CONVERSATION_KINDS]
    highs = [on for on, kind in seen if kind in HIGHLIGHTS_KINDS]
    last = {
        Keeper.ANY: max(every, default=None),
        Keeper.CONVERSATION: max(talks, default=None),
        Keeper.CONVERSATION_OR_HIGHLIGHTS: max(talks + highs, default=None),
    }
    setting = KeepsClock(person.keeps_clock) if person.keeps_clock else None
    active = [
        r for r in net.roles[person.id] if r.since <= day and (r.until is None or r.until > day)
    ]
    groups = sorted(
        (g.cadence_days, g.id)
        for m, g in net.memberships[person.id]
        if not g.archived and m.since <= day and (m.until is None or m.until > day)
    )
    clocks = []
    if not active:
        keeper = Keeper.CONVERSATION if setting == KeepsClock.CONVERSATION else Keeper.ANY
        start = last[keeper] or person.met_on or person.created_at.date()
        if start > day:
            return None  # not yet met or added
        cadence = person.cadence_days or CONTACT_CADENCE_DAYS
        clocks.append((start + timedelta(days=cadence), 9, "", start, cadence))
    for role in active:
        key = RoleKey(role.key)
        cadence = person.cadence_days or role.cadence_days
        if cadence is None and key == RoleKey.PEER and groups:
            cadence = groups[0][0]
        cadence = cadence or CATALOGUE[key].cadence_days
        if cadence is None:
            continue
        start = last[role_keeper(key, setting)] or role.since
        clocks.append(
            (start + timedelta(days=cadence), CATALOGUE[key].rank, role.key, start, cadence)
        )
    if not clocks:
        return None
    due, _rank, _role, start, cadence = min(clocks)
    return cadence, start, due, warmth((day - start).days, cadence)


def history(net: Network, checkpoints: list[date]) -> list[tuple[date, int, int, int, int]]:
    out = []
    for on in checkpoints:
        counts = dict.fromkeys(Warmth, 0)
        for person in net.people:
            found = standing_on(net, person, on)
            if found is not None:
                counts[found[3]] += 1
        out.append((on, *(counts[w] for w in Warmth)))
    return out


def adherence(net: Network, first: date, last: date) -> tuple[int, int]:
    """(member-days inside cadence, member-days on a clock), one day at a time."""
    inside = held = 0
    day = first
    while day <= last:
        for person in net.people:
            found = standing_on(net, person, day)
            if found is not None:
                held += 1
                inside += day <= found[2]
        day += timedelta(days=1)
    return inside, held
