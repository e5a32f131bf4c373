"""The cadence parts of the health report as SQL aggregates: warmth over the year, adherence.

Both are the standing (`services.clock.standing`) on past days: the same clocks, kinds and groups,
with each person's last contacts read from the interactions up to that day instead of the columns
kept on her, which only know today. A large history holds a million interactions; reading them into
Python costs seconds, so each figure is one statement that returns a handful of rows:

- one grouped pass over the interactions, per person and period up to the adherence window and
  per person and day inside it, gives both the last contacts before every month end (a running
  maximum over the periods) and each person's contact days in the window;
- `history`: the standing of everyone at each past month end, counted per band (the chart's
  last point, today, is today's standing itself);
- `adherence`: a person's standing changes only on a day she was in touch, or a role or a
  membership of hers began or ended. Her standing on each such day holds until the next; the
  days of that stretch up to her due date are inside her cadence.

Day arithmetic differs between engines, so `day_number` compiles per dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
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

from mentormap.domain.cadence import Warmth
from mentormap.domain.clock import CONVERSATION_KINDS, HIGHLIGHTS_KINDS
from mentormap.domain.health import WarmthMonth
from mentormap.models import GroupMember, Interaction, InteractionParticipant, Person, Role
from mentormap.services.clock.standing import standing_rows_on
from mentormap.services.context import Ctx
from mentormap.services.sql import day_number, day_of, least


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
    """How the one read of the interactions cuts time: a period up to each bound before the
    adherence window (the last of them the day before it), then one slot per day of it."""

    early: list[date]
    first: date
    today: date

    @property
    def span(self) -> int:
        return len(self.early) + (self.today - self.first).days + 1

    def of(self, day: date) -> int:
        """The slot holding `day`, for a bound before the window or a day inside it."""
        if day >= self.first:
            return len(self.early) + (day - self.first).days
        return self.early.index(day)


def _touched(ctx: Ctx, slots: _Slots) -> CTE:
    """Per person and slot, her last contact, conversation and highlights email in it.

    Column `slot` folds person and slot into one integer (pid * span + slot), since sorting a
    million rows on one integer is measurably cheaper than on two columns; then a, c, h. Inside
    the window a slot is a day, so `a` is that day: these rows are her contact days too, and the
    interactions are read once for the month ends and the adherence alike.
    """
    on = Interaction.occurred_on
    early = slots.early
    by_day = len(early) + (day_number(on) - day_of(slots.first))
    # Most contacts are recent: test the latest periods first.
    period = case(
        (on >= slots.first, by_day),
        *((on > early[i - 1], i) for i in range(len(early) - 1, 0, -1)),
        else_=0,
    )
    slot = cast(InteractionParticipant.person_id, BigInteger) * slots.span + period
    talk, high = _touches()
    return (
        select(
            slot.label("slot"),
            func.max(on).label("a"),
            func.max(talk).label("c"),
            func.max(high).label("h"),
        )
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(*_read_up_to(ctx, slots.today))
        .group_by(slot)
        .cte("touched")
    )


def _lasts_by(ctx: Ctx, touched: CTE, slots: _Slots, bounds: list[date]) -> CTE:
    """Per unarchived person, her last contact, conversation and highlights email on or before
    each of `bounds`.

    Columns: pid, then a{i}, c{i}, h{i} for bound i (NULL: none by then): a running maximum
    over the slots of `touched`, with an empty row per person so that everyone has one, in
    touch or not (joining the people to it instead would search it once per person: SQLite
    does not index a CTE).
    """
    everyone = select(
        (cast(Person.id, BigInteger) * slots.span).label("slot"),
        cast(null(), Date).label("a"),
        cast(null(), Date).label("c"),
        cast(null(), Date).label("h"),
        literal(1, Integer).label("live"),
    ).where(*_people(ctx))
    read = select(touched.c.slot, touched.c.a, touched.c.c, touched.c.h, literal(0, Integer))
    touch = union_all(everyone, read).subquery("touch")
    slot_of = touch.c.slot % slots.span

    def upto(column: Any, day: date) -> ColumnElement[Any]:
        return func.max(case((slot_of <= slots.of(day), column), else_=null()), type_=Date)

    pid = touch.c.slot // slots.span
    return (
        select(
            pid.label("pid"),
            *(
                upto(touch.c[kind], day).label(f"{kind}{i}")
                for i, day in enumerate(bounds)
                for kind in ("a", "c", "h")
            ),
        )
        .group_by(pid)
        .having(func.max(touch.c.live) == 1)  # archived people have no empty row
        .cte("lasts_by")
    )


def _people(ctx: Ctx) -> list[ColumnElement[bool]]:
    return [Person.owner_id == ctx.owner_id, Person.archived.is_(False)]


def _key(pid: Any, part: Any, offset: Any) -> ColumnElement[int]:
    """One integer per row of the standing's input: person, part, and a day in the window."""
    return (cast(pid, BigInteger) * PARTS + part) * WINDOW_DAYS + offset


PARTS = 16  # the adherence window and up to 15 month ends
WINDOW_DAYS = 1024  # days of the adherence window, at most


def _at(lasts_by: CTE, i: int, on: Any, part: int, *more: Any) -> Select[Any]:
    """Every unarchived person with her last contacts as of bound `i`, as the day `on`."""
    return select(
        _key(lasts_by.c.pid, part, 0).label("key"),
        lasts_by.c.pid,
        on.label("on"),
        lasts_by.c[f"a{i}"].label("last_any"),
        lasts_by.c[f"c{i}"].label("last_conversation"),
        lasts_by.c[f"h{i}"].label("last_highlights"),
        literal(part, Integer).label("part"),
        *more,
    )


@dataclass
class CadenceFigures:
    history: list[WarmthMonth]
    inside: int  # member-days inside cadence over the adherence window
    held: int  # member-days on a clock over that window


def cadence_figures(ctx: Ctx, past: list[date], first: date, today: date) -> CadenceFigures:
    """The warmth at each of the `past` month ends, and the adherence over [first, today].

    Both are the standing on past days, and both need each person's last contacts before some
    day: the history before every past month end, adherence before `first` and then her contact
    days themselves. So one grouped pass over the interactions serves every bound, and one
    pass of the standing serves every day, month ends and adherence days alike (a column
    `part` tells them apart: 0 for adherence, k + 1 for month end k). Today's point is today's
    standing, which the report reads anyway.
    """
    before_first = first - timedelta(days=1)
    assert len(past) < PARTS and (today - first).days < WINDOW_DAYS
    assert all(end < today for end in past)
    slots = _Slots(sorted({*(end for end in past if end < first), before_first}), first, today)
    touched = _touched(ctx, slots)
    bounds = [before_first, *past]
    lasts_by = _lasts_by(ctx, touched, slots, bounds)
    no_next = cast(null(), Date).label("next_on")
    months = [
        _at(lasts_by, k + 1, literal(end, Date), k + 1, no_next) for k, end in enumerate(past)
    ]
    days = _adherence_days(ctx, lasts_by, touched, slots)
    lasts = union_all(days, *months).cte("lasts_on")
    then = standing_rows_on(ctx, lasts, keep=("part", "next_on"))
    order = list(Warmth)
    history = [
        func.coalesce(
            func.sum(case((and_(then.c.part == k + 1, then.c.band == w.value), 1), else_=0)), 0
        )
        for k in range(len(past))
        for w in order
    ]
    on_n = day_number(then.c.on)
    end_n = func.coalesce(day_number(then.c.next_on) - 1, day_of(today))
    reach = least(end_n, then.c.due_n) - on_n + 1
    adherence = and_(then.c.part == 0, then.c.cadence.is_not(None))
    inside = func.coalesce(func.sum(case((and_(adherence, reach > 0), reach), else_=0)), 0)
    held = func.coalesce(func.sum(case((adherence, end_n - on_n + 1), else_=0)), 0)
    counts = ctx.session.execute(select(*history, inside, held)).one()
    found = []
    for k, end in enumerate(past):
        n = {w: int(counts[k * len(order) + i]) for i, w in enumerate(order)}
        found.append(
            WarmthMonth(end, n[Warmth.WARM], n[Warmth.COOLING], n[Warmth.COLD], n[Warmth.DORMANT])
        )
    return CadenceFigures(found, int(counts[-2]), int(counts[-1]))


def _changes(ctx: Ctx, first: date, today: date, settled: Select[Any]) -> list[Subquery]:
    """(pid, day) for each day in (first, today] that a role or membership began or ended, or
    that a person was met or added: her standing can change then without any contact.

    Meeting or adding someone matters only while no contact of hers keeps a clock: it is where
    a contact's clock starts without one. Whoever is in `settled` had a conversation before the
    window, which keeps every clock, so those days change nothing for her (on L they are one
    row per person, every person added on one day).
    """
    live = select(Person.id).where(*_people(ctx))
    found = []
    for column, owner, pid, who in (
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
            .where(owner == ctx.owner_id, column > first, column <= today, pid.in_(who))
            .subquery()
        )
    return found


def _adherence_days(ctx: Ctx, lasts_by: CTE, touched: CTE, slots: _Slots) -> Select[Any]:
    """Rows for `standing_rows_on`: each person on the window's first day and on every later
    day up to today that her standing can change (a contact, or one of `_changes`), with
    `next_on`, the next such day. Her standing on each holds up to the day before the next;
    the stretch counts as held when she is on a clock, and its days up to her due date as
    inside her cadence.
    """
    first, today = slots.first, slots.today
    start = _at(lasts_by, 0, literal(first, Date), 0)
    pid = touched.c.slot // slots.span
    live = select(Person.id).where(*_people(ctx))
    settled = select(lasts_by.c.pid).where(lasts_by.c.c0.is_not(None))
    contacts = select(
        literal(0, BigInteger).label("key"),
        pid.label("pid"),
        touched.c.a.label("on"),
        touched.c.a.label("last_any"),
        touched.c.c.label("last_conversation"),
        touched.c.h.label("last_highlights"),
        literal(0, Integer).label("part"),
    ).where(touched.c.slot % slots.span >= len(slots.early), pid.in_(live))
    changes = [
        select(literal(0, BigInteger), c.c.pid, c.c.on, null(), null(), null(), literal(0, Integer))
        for c in _changes(ctx, first, today, settled)
    ]
    events = union_all(start, contacts, *changes).subquery("events")
    days = (
        select(
            events.c.pid,
            events.c.on,
            func.max(events.c.last_any).label("a"),
            func.max(events.c.last_conversation).label("c"),
            func.max(events.c.last_highlights).label("h"),
        )
        .group_by(events.c.pid, events.c.on)
        .subquery("event_days")
    )

    def running(column: Any) -> Any:
        return column.over(partition_by=days.c.pid, order_by=days.c.on)

    return select(
        _key(days.c.pid, 0, day_number(days.c.on) - day_of(first)).label("key"),
        days.c.pid,
        days.c.on,
        running(func.max(days.c.a)).label("last_any"),
        running(func.max(days.c.c)).label("last_conversation"),
        running(func.max(days.c.h)).label("last_highlights"),
        literal(0, Integer).label("part"),
        running(func.lead(days.c.on)).label("next_on"),
    )
