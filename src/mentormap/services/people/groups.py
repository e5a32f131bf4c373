"""Peer mentoring groups and their members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from mentormap.domain.durations import check_days
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Group, GroupMember, Person
from mentormap.services.context import Ctx


@dataclass
class GroupView:
    id: int
    name: str
    cadence_days: int
    session_minutes: int
    note: str | None
    members: list[str]
    last_session_on: date | None


def create_group(
    ctx: Ctx,
    name: str,
    *,
    cadence_days: int = 30,
    session_minutes: int = 60,
    note: str | None = None,
) -> Group:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("A group needs a name.")
    if cadence_days <= 0 or session_minutes <= 0:
        raise InvalidInput("Cadence and session length must be positive.")
    check_days(cadence_days)
    exists = ctx.session.scalar(
        select(Group.id).where(
            Group.owner_id == ctx.owner_id, func.lower(Group.name) == cleaned.lower()
        )
    )
    if exists:
        raise InvalidInput(f"A group called {cleaned!r} already exists.")
    group = Group(
        owner_id=ctx.owner_id,
        name=cleaned,
        cadence_days=cadence_days,
        session_minutes=session_minutes,
        note=note,
    )
    ctx.session.add(group)
    ctx.session.flush()
    return group


def current_members(ctx: Ctx, group: Group) -> list[Person]:
    return list(
        ctx.session.scalars(
            select(Person)
            .join(GroupMember, GroupMember.person_id == Person.id)
            .where(GroupMember.group_id == group.id, GroupMember.until.is_(None))
            .order_by(Person.name)
        )
    )


def add_member(ctx: Ctx, group: Group, person: Person, since: date | None = None) -> GroupMember:
    """Add a member; she also gets the peer role, since that is what a group member is."""
    from mentormap.services.people.roles import give_role

    member = ctx.session.scalar(
        select(GroupMember).where(
            GroupMember.group_id == group.id,
            GroupMember.person_id == person.id,
            GroupMember.until.is_(None),
        )
    )
    if member is not None:
        raise InvalidInput(f"{person.name} is already in {group.name}.")
    member = GroupMember(
        owner_id=ctx.owner_id, group_id=group.id, person_id=person.id, since=since or ctx.today()
    )
    ctx.session.add(member)
    give_role(ctx, person, "peer", since=since)
    ctx.session.flush()
    return member


def remove_member(ctx: Ctx, group: Group, person: Person) -> None:
    member = ctx.session.scalar(
        select(GroupMember).where(
            GroupMember.group_id == group.id,
            GroupMember.person_id == person.id,
            GroupMember.until.is_(None),
        )
    )
    if member is None:
        raise NotFound(f"{person.name} is not in {group.name}.")
    member.until = ctx.today()
    ctx.session.flush()


def groups_of(ctx: Ctx, person: Person) -> list[Group]:
    return list(
        ctx.session.scalars(
            select(Group)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.person_id == person.id, GroupMember.until.is_(None))
            .order_by(Group.name)
        )
    )


def list_groups(ctx: Ctx) -> list[GroupView]:
    from mentormap.models import Interaction

    last = (
        select(Interaction.group_id, func.max(Interaction.occurred_on).label("last_on"))
        .where(Interaction.owner_id == ctx.owner_id, Interaction.group_id.is_not(None))
        .group_by(Interaction.group_id)
        .subquery()
    )
    rows = ctx.session.execute(
        select(Group, last.c.last_on)
        .outerjoin(last, last.c.group_id == Group.id)
        .where(Group.owner_id == ctx.owner_id, Group.archived.is_(False))
        .order_by(Group.name)
    ).all()
    return [
        GroupView(
            id=group.id,
            name=group.name,
            cadence_days=group.cadence_days,
            session_minutes=group.session_minutes,
            note=group.note,
            members=[p.name for p in current_members(ctx, group)],
            last_session_on=last_on,
        )
        for group, last_on in rows
    ]
