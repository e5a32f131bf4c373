"""Giving and taking roles."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from mentormap.domain.durations import check_days
from mentormap.domain.roles import RoleKey, parse_role
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Interaction, InteractionParticipant, Person, Role
from mentormap.services.context import Ctx


def active_role(ctx: Ctx, person: Person, key: RoleKey) -> Role | None:
    return ctx.session.scalar(
        select(Role).where(Role.person_id == person.id, Role.key == key.value, Role.until.is_(None))
    )


def first_contact_on(ctx: Ctx, person: Person) -> date | None:
    """The day of the earliest interaction logged with her, if any."""
    return ctx.session.scalar(
        select(func.min(Interaction.occurred_on))
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(InteractionParticipant.person_id == person.id)
    )


def give_role(
    ctx: Ctx,
    person: Person,
    key: str,
    *,
    since: date | None = None,
    cadence_days: int | None = None,
    note: str | None = None,
) -> Role:
    """Give `person` a role, or update the cadence and note of the one she already holds.

    Without `since` a new role begins at the earliest interaction logged with her (today if
    there is none), so history logged before the role counts towards its clock.
    """
    role_key = parse_role(key)
    if cadence_days is not None:
        if cadence_days <= 0:
            raise InvalidInput("A cadence must be a positive number of days.")
        check_days(cadence_days)
    if since is not None and since > ctx.today():
        raise InvalidInput(f"A role cannot start in the future ({since.isoformat()}).")
    role = active_role(ctx, person, role_key)
    if role is None:
        role = Role(
            owner_id=ctx.owner_id,
            person_id=person.id,
            key=role_key.value,
            since=since or first_contact_on(ctx, person) or ctx.today(),
        )
        ctx.session.add(role)
    elif since is not None:
        role.since = since
    if cadence_days is not None:
        role.cadence_days = cadence_days
    if note is not None:
        role.note = note or None
    ctx.session.flush()
    return role


def take_role(ctx: Ctx, person: Person, key: str) -> Role:
    """End a role today; its history stays."""
    role_key = parse_role(key)
    role = active_role(ctx, person, role_key)
    if role is None:
        raise NotFound(f"{person.name} is not your {role_key.value}.")
    role.until = ctx.today()
    ctx.session.flush()
    return role
