"""Each person's standing on past days, as stretches over which it held still.

The health report's year of warmth and cadence adherence are the standing
(`services.clock.standing`) on past days: the same clocks, kinds and groups, with each person's
last contacts read from the interactions up to that day instead of the columns kept on her, which
only know today. A person's standing changes only on a day she was in touch, or a role or a
membership of hers began or ended (or she was first met or added). `span_rows` works out, for
everyone or for a few people, her standing on the first day of a horizon and on each such later
day, each holding up to the day before the next: one grouped pass over the interactions, then one
pass of the standing. `services/health/spans.py` keeps the result and its sums per day.

Day arithmetic differs between engines, so `day_number` compiles per dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import CTE, Select, Subquery

from mentormap.domain.clock import CONVERSATION_KINDS, HIGHLIGHTS_KINDS
from mentormap.models import GroupMember, Interaction, InteractionParticipant, Person, Role
from mentormap.services.clock.standing import standing_rows_on
from mentormap.services.context import Ctx
from mentormap.services.sql import day_number, day_of

NEVER_N = day_of(date(9999, 12, 31))  # the end of a stretch that nothing ends yet
DAYS = 1 << 20  # days a horizon may span, at most: folds person and day into one key


class unindexed(FunctionElement[Any]):  # named like the SQL idiom it stands for
    """A column SQLite must not look up through an index (`+column`); plain elsewhere.

    Reading every interaction in a long range, a scan of the table in rowid order followed
    by lookups of its participants in the same order touches each page once; walking the
    date index instead jumps around both tables and costs several times more.
    """

    inherit_cache = True

    def __init__(self, expr: Any) -> None:
        super().__init__(expr)
        self.type = expr.type


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def _read_up_to(ctx: Ctx, last: date) -> list[ColumnElement[bool]]:
    """Conditions for the owner's interactions up to `last`, read by a table scan.

    The range holds nearly every interaction. Walking the date index visits the rows, and
    then their participants, in random order and costs four or five times what a scan of
    the table in rowid order does (participants are then looked up in order too).
    """
    return [
        unindexed(Interaction.owner_id) == ctx.owner_id,
        unindexed(Interaction.occurred_on) <= last,
        # Always true, but `kind` lies outside the date index, so SQLite reads the table
        # itself rather than scanning that index whole (see `unindexed`).
        Interaction.kind.is_not(None),
    ]


def _touches() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The day of an interaction when it is a conversation, and when a highlights email."""
    on = Interaction.occurred_on
    talk = case((Interaction.kind.in_(sorted(CONVERSATION_KINDS)), on), else_=null())
    high = case((Interaction.kind.in_(sorted(HIGHLIGHTS_KINDS)), on), else_=null())
    return talk, high


@dataclass(frozen=True)
class _Slots:
    """How the one read of the interactions cuts time: everything before the horizon in one
    period (slot 0), then one slot per day from `first`, the horizon, up to `last`."""

    first: date
    last: date

    @property
    def span(self) -> int:
        return (self.last - self.first).days + 2


def _touched(ctx: Ctx, slots: _Slots, who: Select[Any] | None) -> CTE:
    """Per person and slot, her last contact, conversation and highlights email in it, and how
    many conversations outside a group session she had in it.

    Column `slot` folds person and slot into one integer (pid * span + slot), since sorting a
    million rows on one integer is measurably cheaper than on two columns; then a, c, h. After the
    horizon a slot is a day, so `a` is that day: these rows are her contact days too. For a few
    people (`who`), their interactions are found through the participants' person index instead
    of a scan of them all.
    """
    on = Interaction.occurred_on
    period = case((on >= slots.first, day_number(on) - day_of(slots.first) + 1), else_=0)
    slot = cast(InteractionParticipant.person_id, BigInteger) * slots.span + period
    talk, high = _touches()
    one_to_one = case((and_(talk.is_not(None), Interaction.group_id.is_(None)), 1), else_=0)
    found = select(
        slot.label("slot"),
        func.max(on).label("a"),
        func.max(talk).label("c"),
        func.max(high).label("h"),
        func.sum(one_to_one).label("t"),
    ).join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
    if who is None:
        found = found.where(*_read_up_to(ctx, slots.last))
    else:
        found = found.where(
            InteractionParticipant.person_id.in_(who),
            Interaction.owner_id == ctx.owner_id,
            on <= slots.last,
        )
    return found.group_by(slot).cte("touched")


def _lasts_before(ctx: Ctx, touched: CTE, slots: _Slots, who: Select[Any] | None) -> CTE:
    """Per unarchived person, her last contact, conversation and highlights email before the
    horizon (NULL: none), with an empty row per person so that everyone has one, in touch or
    not (joining the people to it instead would search it once per person: SQLite does not
    index a CTE)."""
    everyone = select(
        (cast(Person.id, BigInteger) * slots.span).label("slot"),
        cast(null(), Date).label("a"),
        cast(null(), Date).label("c"),
        cast(null(), Date).label("h"),
        literal(1, Integer).label("live"),
    ).where(*_people(ctx, who))
    read = select(touched.c.slot, touched.c.a, touched.c.c, touched.c.h, literal(0, Integer)).where(
        touched.c.slot % slots.span == 0
    )
    touch = union_all(everyone, read).subquery("touch")
    pid = touch.c.slot // slots.span
    return (
        select(
            pid.label("pid"),
            func.max(touch.c.a).label("a0"),
            func.max(touch.c.c).label("c0"),
            func.max(touch.c.h).label("h0"),
        )
        .group_by(pid)
        .having(func.max(touch.c.live) == 1)  # archived people have no empty row
        .cte("lasts_before")
    )


def _people(ctx: Ctx, who: Select[Any] | None = None) -> list[ColumnElement[bool]]:
    found = [Person.owner_id == ctx.owner_id, Person.archived.is_(False)]
    if who is not None:
        found.append(Person.id.in_(who))
    return found


def last_known_day(ctx: Ctx) -> date:
    """The last day anything the standing reads is dated: today, or a later interaction, role,
    membership or first meeting (a stretch past it holds for good)."""
    days = [
        select(func.max(Interaction.occurred_on)).where(Interaction.owner_id == ctx.owner_id),
        *(
            select(func.max(column)).where(owner == ctx.owner_id)
            for column, owner in (
                (Role.since, Role.owner_id),
                (Role.until, Role.owner_id),
                (GroupMember.since, GroupMember.owner_id),
                (GroupMember.until, GroupMember.owner_id),
                (Person.met_on, Person.owner_id),
            )
        ),
    ]
    found = [ctx.session.scalar(day) for day in days]
    return max([ctx.today(), *(d for d in found if d is not None)])


def span_rows(ctx: Ctx, first: date, last: date, who: Select[Any] | None = None) -> Select[Any]:
    """Each unarchived person's stretches from `first` on: her standing on `first` and on every
    later day up to `last` that it can change, each holding up to the day before the next.

    Columns: pid, on_n, end_n (the stretch's last day; NEVER_N for the last stretch), cadence and
    start_n (the clock's start; both NULL off any clock) and talks (her conversations outside a
    group session on its first day). `who` narrows it to a few people.
    """
    assert (last - first).days + 2 < DAYS
    slots = _Slots(first, last)
    touched = _touched(ctx, slots, who)
    lasts = _lasts_before(ctx, touched, slots, who)
    start = select(
        lasts.c.pid.label("pid"),
        literal(first, Date).label("on"),
        lasts.c.a0.label("last_any"),
        lasts.c.c0.label("last_conversation"),
        lasts.c.h0.label("last_highlights"),
        literal(0, Integer).label("talks"),
    )
    pid = touched.c.slot // slots.span
    contacts = select(
        pid.label("pid"),
        touched.c.a.label("on"),
        touched.c.a.label("last_any"),
        touched.c.c.label("last_conversation"),
        touched.c.h.label("last_highlights"),
        touched.c.t.label("talks"),
    ).where(touched.c.slot % slots.span > 0, pid.in_(select(Person.id).where(*_people(ctx, who))))
    settled = select(lasts.c.pid).where(lasts.c.c0.is_not(None))
    changes = [
        select(c.c.pid, c.c.on, null(), null(), null(), literal(0, Integer))
        for c in _changes(ctx, first, last, settled, who)
    ]
    events = union_all(start, contacts, *changes).subquery("events")
    days = (
        select(
            events.c.pid,
            events.c.on,
            func.max(events.c.last_any).label("a"),
            func.max(events.c.last_conversation).label("c"),
            func.max(events.c.last_highlights).label("h"),
            func.sum(events.c.talks).label("talks"),
        )
        .group_by(events.c.pid, events.c.on)
        .subquery("event_days")
    )

    def running(column: Any) -> Any:
        return column.over(partition_by=days.c.pid, order_by=days.c.on)

    stretches = select(
        (cast(days.c.pid, BigInteger) * DAYS + day_number(days.c.on) - day_of(first)).label("key"),
        days.c.pid,
        days.c.on,
        running(func.max(days.c.a)).label("last_any"),
        running(func.max(days.c.c)).label("last_conversation"),
        running(func.max(days.c.h)).label("last_highlights"),
        running(func.lead(days.c.on)).label("next_on"),
        days.c.talks,
    ).cte("stretches")
    then = standing_rows_on(ctx, stretches, keep=("next_on", "talks"))
    start_n = then.c.due_n - then.c.cadence
    end_n = func.coalesce(day_number(then.c.next_on) - 1, NEVER_N)
    return select(
        then.c.pid,
        day_number(then.c.on).label("on_n"),
        end_n.label("end_n"),
        then.c.cadence,
        start_n.label("start_n"),
        then.c.talks,
    )


def _changes(
    ctx: Ctx, first: date, last: date, settled: Select[Any], who: Select[Any] | None
) -> list[Subquery]:
    """(pid, day) for each day in (first, last] that a role or membership began or ended, or
    that a person was met or added: her standing can change then without any contact.

    Meeting or adding someone matters only while no contact of hers keeps a clock: it is where
    a contact's clock starts without one. Whoever is in `settled` had a conversation before the
    horizon, which keeps every clock, so those days change nothing for her (on L they are one
    row per person, every person added on one day).
    """
    live = select(Person.id).where(*_people(ctx, who))
    found = []
    for column, owner, pid, among in (
        (Role.since, Role.owner_id, Role.person_id, live),
        (Role.until, Role.owner_id, Role.person_id, live),
        (GroupMember.since, GroupMember.owner_id, GroupMember.person_id, live),
        (GroupMember.until, GroupMember.owner_id, GroupMember.person_id, live),
        (Person.met_on, Person.owner_id, Person.id, live.except_(settled)),
        (
            func.date(Person.created_at, type_=Date),
            Person.owner_id,
            Person.id,
            live.except_(settled),
        ),
    ):
        found.append(
            select(pid.label("pid"), column.label("on"))
            .where(owner == ctx.owner_id, column > first, column <= last, pid.in_(among))
            .subquery()
        )
    return found
