"""What the due list and owed replies may skip, worked out once per write instead of per read.

Clocks: the day each person must be looked at again, so the due list reads a few people, not all.

`people.clock_check_n` holds the first day (a day number) on which she can be due or her clock
can change without anyone writing anything: the earlier of her due date and the next day one of
her roles begins or ends. Triggers (migration 0141) set it to 0, "work it out again", whenever an
input of her clock changes; `settle` works out every such person at the end of a unit of work, in
one statement, from the standing itself (`standing_rows`: the one computation of a clock).

The due list then reads the people whose check day has come and works out their standing in full:
the column can only make it look at more people, never decide for it. The day it was worked out
(`clock_checked_n`) guards against a clock that moves back (a test's fixed day, or a flight west):
when any check was worked out after the day asked about, the due list looks at everyone
(`standing._checked_by`) and the next commit works those checks out again for the earlier day.

Owed replies: `interactions.owed_state` says whether a reply is owed, and
`interaction_participants.owed` to whom (see `_settle_owed`, migrations 0151 and 0291), so Today
reads the few messages owed and walks no one's history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, text, union_all, update

from mentormap.domain.vocab import Direction
from mentormap.models import Interaction, InteractionParticipant, Person, Role
from mentormap.services.clock.standing import standing_rows
from mentormap.services.context import Ctx
from mentormap.services.sql import day_number, day_of, least

NEVER = day_of(date(9999, 12, 31))  # no clock and no role change ahead


def _stale(ctx: Ctx) -> Any:
    """Whoever the triggers marked, and whoever was worked out for a later day than today (the
    clock moved back: a flight west, a fixed day in a test), so the checks read true again."""
    return select(Person.id).where(
        Person.owner_id == ctx.owner_id,
        or_(Person.clock_check_n == 0, Person.clock_checked_n > day_of(ctx.today())),
    )


def settle(ctx: Ctx) -> None:
    """Work out what the triggers marked: check days of clocks, and messages' owed state."""
    ctx.session.flush()
    _settle_clocks(ctx)
    _settle_owed(ctx)


def recheck_everything(ctx: Ctx) -> None:
    """Mark every person's clock and every marked message for a new check (after a restore,
    whose rows carry the checks of the network they were copied from)."""
    ctx.session.execute(
        update(Person)
        .where(Person.owner_id == ctx.owner_id)
        .values(clock_check_n=0, updated_at=Person.updated_at)
        .execution_options(synchronize_session=False)
    )
    ctx.session.execute(
        update(Interaction)
        .where(Interaction.owner_id == ctx.owner_id, Interaction.needs_reply.is_(True))
        .values(owed_state=2)
        .execution_options(synchronize_session=False)
    )


def _settle_clocks(ctx: Ctx) -> None:
    session = ctx.session
    if session.scalar(_stale(ctx).limit(1)) is None:
        return
    today = ctx.today()
    today_n = day_of(today)
    stale = _stale(ctx)
    ahead = union_all(
        select(Role.person_id.label("pid"), day_number(Role.since).label("n")).where(
            Role.owner_id == ctx.owner_id, Role.since > today, Role.person_id.in_(stale)
        ),
        select(Role.person_id, day_number(Role.until)).where(
            Role.owner_id == ctx.owner_id, Role.until > today, Role.person_id.in_(stale)
        ),
    ).subquery("ahead")
    changes = (
        select(ahead.c.pid, func.min(ahead.c.n).label("n"))
        .group_by(ahead.c.pid)
        .subquery("changes")
    )
    rows = standing_rows(ctx, people=stale)
    first = least(func.coalesce(rows.c.due_n, NEVER), func.coalesce(changes.c.n, NEVER))
    check = (
        select(
            rows.c.pid,
            # Never 0, which means "work it out": a clock that ran out before 1970 reads 1.
            case((first < 1, 1), else_=first).label("n"),
            day_number(rows.c.start).label("start_n"),
            rows.c.cadence,
            rows.c.role,
            func.coalesce(changes.c.n, NEVER).label("change_n"),
        )
        .outerjoin(changes, changes.c.pid == rows.c.pid)
        .subquery("checks")
    )
    session.execute(
        update(Person)
        .where(Person.id == check.c.pid)
        .values(
            clock_check_n=check.c.n,
            clock_checked_n=today_n,
            clock_start_n=check.c.start_n,
            clock_cadence=check.c.cadence,
            clock_role=check.c.role,
            clock_change_n=check.c.change_n,
            updated_at=Person.updated_at,  # a worked-out day is not an edit of her
        )
        .execution_options(synchronize_session=False)
    )


def _settle_owed(ctx: Ctx) -> None:
    """Apply the full rule (`owed_replies.answered`) to each participant of every marked
    message: `owed` when the message is an inbound one needing a reply and she has not written
    back since; then the message's state, 1 when anyone is owed and 0 when no one is."""
    from mentormap.services.clock.owed_replies import answered

    marked = [
        Interaction.owner_id == ctx.owner_id,
        Interaction.owed_state > 0,  # the partial index
        Interaction.owed_state == 2,
    ]
    if ctx.session.scalar(select(Interaction.id).where(*marked).limit(1)) is None:
        return
    owed = and_(
        Interaction.needs_reply.is_(True),
        Interaction.direction == Direction.INBOUND.value,
        ~answered(),
    )
    ctx.session.execute(
        update(InteractionParticipant)
        .where(
            InteractionParticipant.interaction_id == Interaction.id,
            Person.id == InteractionParticipant.person_id,
            *marked,
        )
        .values(owed=owed)
        .execution_options(synchronize_session=False)
    )
    anyone = exists(
        select(InteractionParticipant.person_id).where(
            InteractionParticipant.interaction_id == Interaction.id,
            InteractionParticipant.owed.is_(True),
        )
    )
    ctx.session.execute(
        update(Interaction)
        .where(*marked)
        .values(owed_state=case((anyone, 1), else_=0))
        .execution_options(synchronize_session=False)
    )


def suspend_triggers(ctx: Ctx) -> list[str]:
    """Drop the triggers that mark checks, for a bulk load (a restore) that marks everything
    afterwards anyway (`recheck_everything`); returns their definitions for `resume_triggers`.

    They are read from the database itself, so nothing here repeats the migrations. Inside the
    caller's transaction: a failed load takes the drop back. SQLite only (elsewhere the triggers
    simply keep running, which is slower but as right).
    """
    if ctx.session.get_bind().dialect.name != "sqlite":
        return []
    found = ctx.session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND (name LIKE 'clock\\_check\\_%' ESCAPE '\\' "
            "OR name LIKE 'owed\\_check\\_%' ESCAPE '\\' "
            "OR name LIKE 'clock\\_span\\_%' ESCAPE '\\')"
        )
    ).all()
    for name, _sql in found:
        ctx.session.execute(text(f'DROP TRIGGER "{name}"'))
    return [sql for _name, sql in found]


def resume_triggers(ctx: Ctx, definitions: list[str]) -> None:
    for sql in definitions:
        ctx.session.execute(text(sql))
