"""Peer mentoring groups and their members: create, change, archive or delete a group.

Deleting a group keeps its past sessions: each stays a logged conversation in the timeline of
everyone who came, with its notes and date, no longer labelled with the group's name (and
counted as a conversation outside a group from then on). Its memberships go, and with them what
was only about the group: its open agenda points and its follow-ups. Archiving instead keeps
the group, its name on its sessions and its members, out of lists and clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, update

from mentormap.domain.durations import check_days
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import (
    AgendaItem,
    FollowUp,
    Group,
    GroupMember,
    Interaction,
    Person,
    Preference,
)
from mentormap.services.context import Ctx

# Who spoke first last time, per group, kept with the user's own settings (no schema change).
FIRST_SPEAKER_KEY = "group_first_speaker:{group_id}"


@dataclass
class GroupView:
    id: int
    name: str
    cadence_days: int
    session_minutes: int
    note: str | None
    members: list[str]
    last_session_on: date | None
    archived: bool = False


@dataclass
class DeletedGroup:
    name: str
    members: int  # memberships that ended with it
    sessions: int  # past sessions kept, as conversations
    agenda_points: int  # its open points, gone
    follow_ups: int  # its follow-ups, gone


def _check(ctx: Ctx, name: str, cadence_days: int, session_minutes: int, other_than: int) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("A group needs a name.")
    if cadence_days <= 0 or session_minutes <= 0:
        raise InvalidInput("Cadence and session length must be positive.")
    check_days(cadence_days)
    exists = ctx.session.scalar(
        select(Group.id).where(
            Group.owner_id == ctx.owner_id,
            func.lower(Group.name) == cleaned.lower(),
            Group.id != other_than,
        )
    )
    if exists:
        raise InvalidInput(f"A group called {cleaned!r} already exists.")
    return cleaned


def create_group(
    ctx: Ctx,
    name: str,
    *,
    cadence_days: int = 30,
    session_minutes: int = 60,
    note: str | None = None,
) -> Group:
    cleaned = _check(ctx, name, cadence_days, session_minutes, other_than=0)
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


def edit_group(
    ctx: Ctx,
    group: Group,
    *,
    name: str | None = None,
    cadence_days: int | None = None,
    session_minutes: int | None = None,
    note: str | None = None,
    archived: bool | None = None,
) -> Group:
    """Change what is given; `note=''` clears it. An archived group leaves the lists and its
    members' clocks, and keeps its name on its sessions; archived=False brings it back."""
    cadence = group.cadence_days if cadence_days is None else cadence_days
    minutes = group.session_minutes if session_minutes is None else session_minutes
    group.name = _check(
        ctx, group.name if name is None else name, cadence, minutes, other_than=group.id
    )
    group.cadence_days, group.session_minutes = cadence, minutes
    if note is not None:
        group.note = note.strip() or None
    if archived is not None:
        group.archived = archived
    ctx.session.flush()
    return group


def delete_group(ctx: Ctx, group: Group) -> DeletedGroup:
    """Delete a group; its past sessions stay as conversations (see the module's docstring)."""

    def count(model: type[Interaction | AgendaItem | FollowUp], *where: Any) -> int:
        query = select(func.count()).select_from(model)
        return ctx.session.scalar(query.where(model.owner_id == ctx.owner_id, *where)) or 0

    result = DeletedGroup(
        name=group.name,
        members=sum(1 for m in group.members if m.until is None),
        sessions=count(Interaction, Interaction.group_id == group.id),
        agenda_points=count(
            AgendaItem, AgendaItem.group_id == group.id, AgendaItem.state == "open"
        ),
        follow_ups=count(FollowUp, FollowUp.group_id == group.id),
    )
    ctx.session.execute(
        update(Interaction)
        .where(Interaction.owner_id == ctx.owner_id, Interaction.group_id == group.id)
        .values(group_id=None)
    )
    # Its points and follow-ups, open or closed, belong to no one once it is gone.
    for model in (AgendaItem, FollowUp):
        ctx.session.execute(
            delete(model).where(model.owner_id == ctx.owner_id, model.group_id == group.id)
        )
    ctx.session.execute(
        delete(Preference).where(
            Preference.owner_id == ctx.owner_id,
            Preference.key == FIRST_SPEAKER_KEY.format(group_id=group.id),
        )
    )
    ctx.session.delete(group)  # its memberships with it
    ctx.session.flush()
    return result


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


def list_groups(ctx: Ctx, include_archived: bool = False) -> list[GroupView]:
    """The groups by name; archived ones only when asked, after the others."""
    last = (
        select(Interaction.group_id, func.max(Interaction.occurred_on).label("last_on"))
        .where(Interaction.owner_id == ctx.owner_id, Interaction.group_id.is_not(None))
        .group_by(Interaction.group_id)
        .subquery()
    )
    query = (
        select(Group, last.c.last_on)
        .outerjoin(last, last.c.group_id == Group.id)
        .where(Group.owner_id == ctx.owner_id)
        .order_by(Group.archived, Group.name)
    )
    if not include_archived:
        query = query.where(Group.archived.is_(False))
    rows = ctx.session.execute(query).all()
    return [
        GroupView(
            id=group.id,
            name=group.name,
            cadence_days=group.cadence_days,
            session_minutes=group.session_minutes,
            note=group.note,
            members=[p.name for p in current_members(ctx, group)],
            last_session_on=last_on,
            archived=group.archived,
        )
        for group, last_on in rows
    ]
