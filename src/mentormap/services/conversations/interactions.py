"""Logging, editing and listing interactions; keeping each person's last-contact date true."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm.util import identity_key

from mentormap.domain.clock import CONVERSATION_KINDS, HIGHLIGHTS_KINDS
from mentormap.domain.vocab import Direction, InteractionKind, parse_choice
from mentormap.errors import InvalidInput
from mentormap.models import Group, Interaction, InteractionParticipant, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.views import InteractionView

# Directions that answer a message: something went from the user to her, or both ways.
OUTGOING = (Direction.OUTBOUND.value, Direction.MUTUAL.value)


def _last_contact_values() -> dict[str, Any]:
    """Each derived contact date of a person, as a correlated subquery over her interactions."""

    def latest(column: Any, *where: Any) -> Any:
        query = (
            select(func.max(column))
            .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
            .where(InteractionParticipant.person_id == Person.id, *where)
        )
        return query.scalar_subquery()

    outgoing = Interaction.direction.in_(OUTGOING)
    return {
        "last_contact_on": latest(Interaction.occurred_on),
        "last_outgoing_at": latest(Interaction.occurred_at, outgoing),
        "last_outgoing_on": latest(Interaction.occurred_on, outgoing),
        "last_conversation_on": latest(
            Interaction.occurred_on, Interaction.kind.in_(sorted(CONVERSATION_KINDS))
        ),
        "last_highlights_on": latest(
            Interaction.occurred_on, Interaction.kind.in_(sorted(HIGHLIGHTS_KINDS))
        ),
    }


def refresh_last_contact(ctx: Ctx, person_ids: list[int]) -> None:
    """Recompute `last_contact_on` from the interactions themselves (by when they happened).

    Also `last_outgoing_at`/`last_outgoing_on`: the latest outbound or mutual interaction, which
    tells the owed-replies check at once whether a message was answered; and
    `last_conversation_on`/`last_highlights_on`, which keep the clocks a ping does not keep.
    """
    if not person_ids:
        return
    values = _last_contact_values()
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 900):
        ctx.session.execute(
            update(Person).where(Person.id.in_(ids[start : start + 900])).values(**values),
            execution_options={"synchronize_session": False},
        )
    # Only the people just updated go stale; expiring the whole session made logging cost
    # grow with everything loaded before it (a 2,000-person demo took a minute).
    for pid in ids:
        person = ctx.session.identity_map.get(identity_key(Person, pid))
        if person is not None:
            ctx.session.expire(person, list(values))


def refresh_every_last_contact(ctx: Ctx) -> None:
    """The same for everyone the owner has, in one statement (after a restore, say)."""
    values = _last_contact_values()
    values["updated_at"] = Person.updated_at  # derived dates only: the person was not edited
    ctx.session.execute(
        update(Person).where(Person.owner_id == ctx.owner_id).values(**values),
        execution_options={"synchronize_session": False},
    )


def to_utc(ctx: Ctx, on: date, at: time | None) -> datetime:
    """The instant, as naive UTC, of a local date and time in the user's time zone."""
    local = datetime.combine(on, at or time(12, 0), tzinfo=ctx.settings.timezone)
    return local.astimezone(UTC).replace(tzinfo=None)


def _check_when(ctx: Ctx, on: date) -> None:
    if on > ctx.today():
        raise InvalidInput(
            f"{on.isoformat()} is in the future; log what happened, "
            "or add a follow-up for what is planned."
        )


def log_interaction(
    ctx: Ctx,
    people: list[Person],
    *,
    kind: str = "message",
    on: date | None = None,
    at: time | None = None,
    occurred_at: datetime | None = None,
    direction: str = "mutual",
    notes: str | None = None,
    location: str | None = None,
    group: Group | None = None,
    absent: list[Person] | None = None,
    needs_reply: bool = False,
    private: bool = False,
    source: str = "manual",
    external_uid: str | None = None,
) -> Interaction:
    """Record an interaction that happened `on` a day (default today) with people or a group.

    With a group, every current member took part except those `absent`, and the `people`
    named are there as well (guests, or members already counted).
    `occurred_at` (naive UTC) wins over `on`/`at` when an importer knows the exact instant.
    """
    kind_value = parse_choice(InteractionKind, kind, "kind")
    direction_value = parse_choice(Direction, direction, "direction")
    if occurred_at is not None:
        local = occurred_at.replace(tzinfo=UTC).astimezone(ctx.settings.timezone)
        on = local.date()
    on = on or ctx.today()
    _check_when(ctx, on)
    if occurred_at is None:
        if at is None and on == ctx.today():
            at = ctx.now().time().replace(microsecond=0, tzinfo=None)
        occurred_at = to_utc(ctx, on, at)
    participants = list({p.id: p for p in people}.values())
    if group is not None:
        participants = _session_participants(ctx, group, participants, absent or [])
    elif absent:
        raise InvalidInput("Only a group session has members who can be absent.")
    if not participants:
        raise InvalidInput("Name at least one person (or a group with members).")
    if needs_reply and direction_value != Direction.INBOUND:
        raise InvalidInput("Only an inbound message can need a reply.")
    interaction = Interaction(
        owner_id=ctx.owner_id,
        occurred_at=occurred_at,
        occurred_on=on,
        kind=kind_value.value,
        direction=direction_value.value,
        notes=(notes or "").strip() or None,
        location=location,
        group_id=group.id if group else None,
        needs_reply=needs_reply,
        private=private,
        source=source,
        external_uid=external_uid,
    )
    interaction.participants = [
        InteractionParticipant(owner_id=ctx.owner_id, person_id=p.id) for p in participants
    ]
    ctx.session.add(interaction)
    ctx.session.flush()
    refresh_last_contact(ctx, [p.id for p in participants])

    # Keep-in-touch rules: close the follow-ups this interaction satisfies (a thank-you).
    from mentormap.services.clock.followups import after_interaction

    after_interaction(ctx, interaction)
    return interaction


def _session_participants(
    ctx: Ctx, group: Group, guests: list[Person], absent: list[Person]
) -> list[Person]:
    """The group's current members less those absent, then the guests."""
    from mentormap.services.people.groups import current_members

    members = current_members(ctx, group)
    member_ids = {m.id for m in members}
    strangers = [p.name for p in absent if p.id not in member_ids]
    if strangers:
        raise InvalidInput(f"{', '.join(strangers)} is not a member of {group.name}.")
    away = {p.id for p in absent}
    clash = [p.name for p in guests if p.id in away]
    if clash:
        raise InvalidInput(f"{', '.join(clash)} cannot be both there and absent.")
    present = [m for m in members if m.id not in away]
    return present + [p for p in guests if p.id not in member_ids]


def get_interaction(ctx: Ctx, interaction_id: int) -> Interaction:
    return get_owned(ctx, Interaction, interaction_id, f"No interaction with id {interaction_id}.")


def edit_interaction(
    ctx: Ctx, interaction: Interaction, people: list[Person] | None = None, **changes: Any
) -> Interaction:
    before = [p.person_id for p in interaction.participants]
    if "kind" in changes:
        interaction.kind = parse_choice(InteractionKind, changes.pop("kind"), "kind").value
    if "direction" in changes:
        value = changes.pop("direction")
        interaction.direction = parse_choice(Direction, value, "direction").value
    if "on" in changes:
        on = changes.pop("on")
        _check_when(ctx, on)
        interaction.occurred_on = on
        interaction.occurred_at = to_utc(ctx, on, None)
    for key in ("notes", "location", "needs_reply", "private"):
        if key in changes:
            setattr(interaction, key, changes.pop(key))
    if changes:
        raise InvalidInput(f"Cannot change: {', '.join(sorted(changes))}.")
    if people is not None:
        if not people:
            raise InvalidInput("An interaction needs at least one person.")
        interaction.participants = [
            InteractionParticipant(owner_id=ctx.owner_id, person_id=p.id)
            for p in {p.id: p for p in people}.values()
        ]
    ctx.session.flush()
    refresh_last_contact(ctx, before + [p.person_id for p in interaction.participants])
    return interaction


def delete_interaction(ctx: Ctx, interaction: Interaction) -> None:
    people = [p.person_id for p in interaction.participants]
    ctx.session.delete(interaction)
    ctx.session.flush()
    refresh_last_contact(ctx, people)


def views_of(ctx: Ctx, interactions: list[Interaction]) -> list[InteractionView]:
    ids = [i.id for i in interactions]
    names: dict[int, list[str]] = defaultdict(list)
    groups: dict[int, str] = {}
    if ids:
        rows = ctx.session.execute(
            select(InteractionParticipant.interaction_id, Person.name)
            .join(Person, Person.id == InteractionParticipant.person_id)
            .where(InteractionParticipant.interaction_id.in_(ids))
            .order_by(Person.name)
        )
        for interaction_id, name in rows:
            names[interaction_id].append(name)
        group_ids = {i.group_id for i in interactions if i.group_id}
        if group_ids:
            rows = ctx.session.execute(select(Group.id, Group.name).where(Group.id.in_(group_ids)))
            groups = {group_id: name for group_id, name in rows}
    return [
        InteractionView(
            id=i.id,
            occurred_on=i.occurred_on,
            occurred_at=i.occurred_at,
            kind=i.kind,
            direction=i.direction,
            people=names[i.id],
            group=groups.get(i.group_id) if i.group_id else None,
            location=i.location,
            notes=i.notes,
            needs_reply=i.needs_reply,
        )
        for i in interactions
    ]


def timeline(ctx: Ctx, person: Person, limit: int | None = 50) -> list[InteractionView]:
    """A person's interactions, newest first."""
    query = (
        select(Interaction)
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(InteractionParticipant.person_id == person.id)
        .order_by(Interaction.occurred_on.desc(), Interaction.occurred_at.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return views_of(ctx, list(ctx.session.scalars(query)))
