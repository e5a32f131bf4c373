"""Owed replies: inbound messages marked as needing a reply, with nothing sent back since.

Each is due within a reply window (short for mentees, longer for others), both kept in the user's
preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from mentormap.domain.durations import check_days
from mentormap.domain.roles import RoleKey
from mentormap.domain.vocab import Direction
from mentormap.errors import InvalidInput
from mentormap.models import (
    Interaction,
    InteractionParticipant,
    MailMessage,
    Person,
    Preference,
    Role,
)
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference
from mentormap.services.sql import AnySelect, day_number

REPLY_WINDOW_KEY = "reply_window_days"
MENTEE_REPLY_WINDOW_KEY = "mentee_reply_window_days"
DEFAULT_REPLY_WINDOW_DAYS = 7
DEFAULT_MENTEE_REPLY_WINDOW_DAYS = 2  # the seed: when a mentee reaches out, respond
# The daily screen looks back this far for unanswered messages; older ones count as lapsed there
# (`today --all` still lists them). It also keeps the query fast.
OWED_LOOKBACK_DAYS = 90


@dataclass
class OwedReply:
    interaction_id: int
    person_id: int
    name: str
    roles: list[str]
    received_on: date
    kind: str
    due_on: date
    days_overdue: int  # negative: days left in the reply window
    excerpt: str | None
    question: str | None = None  # the sentence an email asked (mail capture)


@dataclass
class ReplyWindows:
    mentee_days: int
    other_days: int


def _preference_int(ctx: Ctx, key: str, default: int) -> int:
    value = get_preference(ctx, key)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default  # a hand-edited value that is not a number: fall back, do not crash


def reply_windows(ctx: Ctx) -> ReplyWindows:
    return ReplyWindows(
        mentee_days=_preference_int(ctx, MENTEE_REPLY_WINDOW_KEY, DEFAULT_MENTEE_REPLY_WINDOW_DAYS),
        other_days=_preference_int(ctx, REPLY_WINDOW_KEY, DEFAULT_REPLY_WINDOW_DAYS),
    )


def set_reply_windows(
    ctx: Ctx, mentee_days: int | None = None, other_days: int | None = None
) -> ReplyWindows:
    """Store the reply windows in the user's preferences."""
    for key, value in ((MENTEE_REPLY_WINDOW_KEY, mentee_days), (REPLY_WINDOW_KEY, other_days)):
        if value is None:
            continue
        if value <= 0:
            raise InvalidInput("A reply window must be at least one day.")
        check_days(value)
        row = ctx.session.scalar(
            select(Preference).where(Preference.owner_id == ctx.owner_id, Preference.key == key)
        )
        if row is None:
            ctx.session.add(Preference(owner_id=ctx.owner_id, key=key, value=str(value)))
        else:
            row.value = str(value)
    ctx.session.flush()
    return reply_windows(ctx)


def _is_mentee(today: Any) -> ColumnElement[bool]:
    return (
        select(Role.id)
        .where(
            Role.person_id == Person.id,
            Role.key == RoleKey.MENTEE.value,
            Role.since <= today,
            or_(Role.until.is_(None), Role.until > today),
        )
        .exists()
    )


def answered() -> ColumnElement[bool]:
    """Whether the participant (`InteractionParticipant`, with her `Person`) wrote back after
    the message (`Interaction`): the full rule, as the commit applies it (`_settle_owed`).

    "After" means later in time, or logged after it on the same day or later: a reply logged
    with only a date still answers a message that came in that afternoon.
    """
    later = aliased(Interaction)
    later_with = aliased(InteractionParticipant)
    answered_in_history = (
        select(later.id)
        .join(later_with, later_with.interaction_id == later.id)
        .where(
            later_with.person_id == InteractionParticipant.person_id,
            later.direction.in_([Direction.OUTBOUND.value, Direction.MUTUAL.value]),
            or_(
                later.occurred_at > Interaction.occurred_at,
                and_(later.occurred_on >= Interaction.occurred_on, later.id > Interaction.id),
            ),
        )
        .exists()
    )
    # The person's latest outgoing instant and day (kept by refresh_last_contact) settle almost
    # every message without walking her history: sent after it means answered; nothing sent on
    # or after its day means unanswered. Only the rest (a reply dated the same day but logged
    # without a later time, or a person whose columns are not filled in) takes the walk above.
    return or_(
        and_(
            Person.last_outgoing_at.is_not(None), Person.last_outgoing_at > Interaction.occurred_at
        ),
        and_(
            or_(
                Person.last_outgoing_on.is_(None),
                Person.last_outgoing_on >= Interaction.occurred_on,
            ),
            answered_in_history,
        ),
    )


def owed_replies_query(owner_id: int, today: Any, since: Any = None) -> AnySelect:
    """Inbound interactions marked as needing a reply, one row per participant owed a reply.

    The commit works the rule out (`owed_state` 1, the participants marked `owed`); a message
    still waiting for that (2: written in this unit of work) gets the full rule here. With
    `since`, only messages received on or after that day are considered. `today` and `since`
    may be bound parameters (see `_owed_statement`).
    """
    query: AnySelect = (
        select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.kind,
            Interaction.notes,
            Person.id.label("person_id"),
            Person.name,
            _is_mentee(today).label("is_mentee"),
            select(MailMessage.question)
            .where(MailMessage.interaction_id == Interaction.id)
            .limit(1)
            .scalar_subquery()
            .label("question"),
        )
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .join(Person, Person.id == InteractionParticipant.person_id)
        .where(
            Interaction.owner_id == owner_id,
            Interaction.owed_state > 0,  # the partial index: a few messages, not months
            Interaction.needs_reply == true(),
            Interaction.direction == Direction.INBOUND.value,
            Person.archived == false(),
            or_(
                and_(Interaction.owed_state == 1, InteractionParticipant.owed == true()),
                and_(Interaction.owed_state == 2, ~answered()),
            ),
        )
    )
    if since is not None:
        query = query.where(Interaction.occurred_on >= since)
    return query


def _excerpt(notes: str | None, width: int = 90) -> str | None:
    if not notes:
        return None
    flat = " ".join(notes.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


@lru_cache(maxsize=64)
def _owed_statement(owner_id: int, since: bool, limit: int | None) -> AnySelect:
    """The owed replies, the most urgent first, built once per owner with the day, the first
    day looked at and the reply windows as bound parameters: Today asks on every load, and
    building a statement of this size cost about as much as running it."""
    today = bindparam("owed_today", type_=Date)
    first = bindparam("owed_since", type_=Date) if since else None
    found = owed_replies_query(owner_id, today, first).subquery("owed")
    window = case(
        (found.c.is_mentee, bindparam("owed_mentee_days", type_=Integer)),
        else_=bindparam("owed_other_days", type_=Integer),
    )
    # The most urgent first, ordered (and cut to `limit`) in SQL: a short screen builds only
    # what it shows.
    due_n = day_number(found.c.occurred_on) + window
    return (
        select(found, window.label("window"), func.count().over().label("total"))
        .order_by(due_n, found.c.name, found.c.id)
        .limit(limit)
    )


def owed_replies(
    ctx: Ctx, lookback_days: int | None = OWED_LOOKBACK_DAYS, limit: int | None = None
) -> tuple[list[OwedReply], int]:
    """Replies you owe, the most urgent first, and how many there are in all.

    Mentees get the short window. `lookback_days=None` lists every unanswered message, however
    old; `limit` keeps the most urgent few (roles are looked up for those only).
    """
    from mentormap.services.people.people import roles_by_person

    today = ctx.today()
    windows = reply_windows(ctx)
    values: dict[str, Any] = {
        "owed_today": today,
        "owed_mentee_days": windows.mentee_days,
        "owed_other_days": windows.other_days,
    }
    if lookback_days is not None:
        values["owed_since"] = today - timedelta(days=lookback_days)
    query = _owed_statement(ctx.owner_id, lookback_days is not None, limit)
    owed = []
    total = 0
    for row in ctx.session.execute(query, values):
        total = row.total
        due_on = row.occurred_on + timedelta(days=row.window)
        owed.append(
            OwedReply(
                interaction_id=row.id,
                person_id=row.person_id,
                name=row.name,
                roles=[],
                received_on=row.occurred_on,
                kind=row.kind,
                due_on=due_on,
                days_overdue=(today - due_on).days,
                excerpt=_excerpt(row.notes),
                question=row.question,
            )
        )
    roles = roles_by_person(ctx, sorted({o.person_id for o in owed}))
    for item in owed:
        item.roles = roles.get(item.person_id, [])
    return owed, total
