"""Merging a duplicate person into another, keeping both histories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from mentormap.errors import InvalidInput
from mentormap.models import Person, PersonTag, Role
from mentormap.services.context import Ctx
from mentormap.services.people.people import EDITABLE_FIELDS, add_emails, add_links, add_phones


def merge_people(ctx: Ctx, keep: Person, other: Person) -> Person:
    """Fold `other` into `keep`: both histories survive; `keep`'s fields win where both are set."""
    from mentormap.models import (
        AchievementShare,
        Advice,
        AgendaItem,
        Expense,
        Favour,
        FollowUp,
        GroupMember,
        InteractionParticipant,
        LifeEvent,
        Opportunity,
        PersonAttribute,
        Trip,
    )
    from mentormap.services.conversations.interactions import refresh_last_contact

    if keep.id == other.id:
        raise InvalidInput("Cannot merge a person with herself.")
    session = ctx.session
    for name in EDITABLE_FIELDS:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    add_emails(ctx, keep, [e.email for e in other.emails])
    add_phones(ctx, keep, [p.phone for p in other.phones])
    add_links(ctx, keep, [link.url for link in other.links])
    have_attrs = {a.key for a in keep.attributes}
    for attr in list(other.attributes):
        if attr.key not in have_attrs:
            keep.attributes.append(
                PersonAttribute(owner_id=ctx.owner_id, key=attr.key, value=attr.value)
            )
    session.flush()

    quiet = {"synchronize_session": False}

    def move_unique(model: Any, key_column: Any) -> None:
        taken = select(key_column).where(model.person_id == keep.id).scalar_subquery()
        session.execute(
            delete(model).where(model.person_id == other.id, key_column.in_(taken)),
            execution_options=quiet,
        )
        session.execute(
            update(model).where(model.person_id == other.id).values(person_id=keep.id),
            execution_options=quiet,
        )

    move_unique(InteractionParticipant, InteractionParticipant.interaction_id)
    move_unique(PersonTag, PersonTag.tag_id)
    move_unique(GroupMember, GroupMember.group_id)
    active_keys = select(Role.key).where(Role.person_id == keep.id, Role.until.is_(None))
    session.execute(
        delete(Role).where(
            Role.person_id == other.id, Role.until.is_(None), Role.key.in_(active_keys)
        ),
        execution_options=quiet,
    )
    for model in (Role, LifeEvent, FollowUp, Favour, AgendaItem, Advice, AchievementShare, Trip):
        session.execute(
            update(model).where(model.person_id == other.id).values(person_id=keep.id),
            execution_options=quiet,
        )
    session.execute(
        update(Expense).where(Expense.person_id == other.id).values(person_id=keep.id),
        execution_options=quiet,
    )
    session.execute(
        update(Opportunity)
        .where(Opportunity.brought_by_id == other.id)
        .values(brought_by_id=keep.id),
        execution_options=quiet,
    )
    session.expire_all()
    session.delete(session.get(Person, other.id))
    session.flush()
    refresh_last_contact(ctx, [keep.id])
    session.refresh(keep)
    return keep
