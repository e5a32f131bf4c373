"""The day each person must be looked at again, so the due list reads a few people, not all.

`people.clock_check_n` holds the first day (a day number) on which she can be due or her clock
can change without anyone writing anything: the earlier of her due date and the next day one of
her roles begins or ends. Triggers (migration 0141) set it to 0, "work it out again", whenever an
input of her clock changes; `settle` works out every such person at the end of a unit of work, in
one statement, from the standing itself (`standing_rows`: the one computation of a clock).

The due list then reads the people whose check day has come and works out their standing in full:
the column can only make it look at more people, never decide for it. The day it was worked out
(`clock_checked_n`) guards against a clock that moves back (a test's fixed day, or a flight west):
when any check was worked out after the day asked about, the due list looks at everyone
(`standing._checked_by`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select, union_all, update

from mentormap.models import Person, Role
from mentormap.services.clock.standing import standing_rows
from mentormap.services.context import Ctx
from mentormap.services.sql import day_number, day_of, least

NEVER = day_of(date(9999, 12, 31))  # no clock and no role change ahead


def _stale(ctx: Ctx) -> Any:
    return select(Person.id).where(Person.owner_id == ctx.owner_id, Person.clock_check_n == 0)


def settle(ctx: Ctx) -> None:
    """Work out the check day of everyone whose clock inputs changed (one statement)."""
    session = ctx.session
    session.flush()
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
            updated_at=Person.updated_at,  # a worked-out day is not an edit of her
        )
        .execution_options(synchronize_session=False)
    )
