"""The cadence history the health report reads, kept up to date from the marks triggers leave.

Each person's standing on past days is kept as stretches (`ClockSpan`, from `sql.span_rows`) and
their sums per day (`ClockDay`: how many people are on a clock, inside their cadence and in each
warmth band, as +1/-1 changes whose running sums give any day's counts). Before it reads, the
report works out again whoever a trigger marked since (migration 0241): their old stretches are
taken out of the sums, their new ones put in. The first report, or one whose year reaches back
before the kept horizon, works out everyone. So the year of warmth and the adherence cost a few
hundred rows however long the history, and a write costs what the marked people need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import CompoundSelect, Subquery

from mentormap.domain.cadence import COLD_MAX, COOLING_MAX, WARM_MAX, Warmth
from mentormap.domain.health import WarmthMonth
from mentormap.models import ClockDay, ClockHistory, ClockMark, ClockSpan, Person
from mentormap.services.context import Ctx
from mentormap.services.health.sql import last_known_day, span_rows
from mentormap.services.sql import date_of, day_of, greatest, least

MARGIN_DAYS = 45  # the horizon reaches this far before the first day a report needs
REBUILD_DAYS = 400  # a horizon older than this before that day is moved up (all worked out again)
SERIES = ("held", "inside", "warm", "cooling", "cold", "dormant")


@dataclass
class CadenceFigures:
    history: list[WarmthMonth]
    inside: int  # member-days inside cadence over the adherence window
    held: int  # member-days on a clock over that window


def cadence_figures(ctx: Ctx, past: list[date], first: date, today: date) -> CadenceFigures:
    """The warmth at each of the `past` month ends, and the adherence over [first, today]."""
    assert all(end < today for end in past)
    refresh(ctx, min([first, *past]))
    days = select(ClockDay).where(ClockDay.owner_id == ctx.owner_id).subquery()
    today_n, first_n = day_of(today), day_of(first)
    # A change on day x counts on every day from x (or the window's first) up to today.
    weight = today_n - greatest(days.c.day_n, first_n) + 1
    upto_today = days.c.day_n <= today_n
    sums: list[ColumnElement[Any]] = [
        func.sum(case((upto_today, days.c.inside * weight), else_=0)),
        func.sum(case((upto_today, days.c.held * weight), else_=0)),
    ]
    order = list(Warmth)
    for end in past:
        for band in order:
            column = days.c[band.value]
            sums.append(func.sum(case((days.c.day_n <= day_of(end), column), else_=0)))
    row = ctx.session.execute(select(*sums)).one()
    values = [int(v or 0) for v in row]
    history = []
    for k, end in enumerate(past):
        n = dict(zip(order, values[2 + k * len(order) : 2 + (k + 1) * len(order)], strict=True))
        history.append(
            WarmthMonth(end, n[Warmth.WARM], n[Warmth.COOLING], n[Warmth.COLD], n[Warmth.DORMANT])
        )
    return CadenceFigures(history, values[0], values[1])


def refresh(ctx: Ctx, needed: date) -> None:
    """Bring the stretches and their sums up to date for a report that reads from `needed` on."""
    session = ctx.session
    session.flush()  # the triggers mark on flush
    state = session.execute(
        select(ClockHistory.horizon_n, ClockHistory.people_seen).where(
            ClockHistory.owner_id == ctx.owner_id
        )
    ).one_or_none()
    needed_n = day_of(needed)
    if state is None or not needed_n - REBUILD_DAYS <= state.horizon_n <= needed_n:
        _rebuild(ctx, needed - timedelta(days=MARGIN_DAYS))
        return
    stale = _stale(ctx, state.people_seen)
    if session.scalar(stale.limit(1)) is None:
        return
    mine = and_(ClockSpan.owner_id == ctx.owner_id, ClockSpan.person_id.in_(stale))
    _add(ctx, select(ClockSpan).where(mine).subquery(), -1)
    session.execute(delete(ClockSpan).where(mine))
    _insert_spans(ctx, date_of(state.horizon_n), stale)
    _add(ctx, select(ClockSpan).where(mine).subquery(), 1)
    session.execute(
        delete(ClockDay).where(
            ClockDay.owner_id == ctx.owner_id, *(getattr(ClockDay, s) == 0 for s in SERIES)
        )
    )
    session.execute(delete(ClockMark).where(ClockMark.person_id.in_(stale)))
    session.execute(
        update(ClockHistory)
        .where(ClockHistory.owner_id == ctx.owner_id)
        .values(people_seen=_highest_person(ctx, state.people_seen))
    )


def conversations_with(ctx: Ctx, people: Any, since: date, today: date) -> Subquery:
    """Columns pid, n: for each of `people` (an id select) who had any, her conversations outside
    a group session in [since, today]. Read from the stretches: `refresh` first."""
    return (
        select(ClockSpan.person_id.label("pid"), func.sum(ClockSpan.talks).label("n"))
        .where(
            ClockSpan.owner_id == ctx.owner_id,
            ClockSpan.person_id.in_(people),
            ClockSpan.on_n >= day_of(since),
            ClockSpan.on_n <= day_of(today),
            ClockSpan.talks > 0,
        )
        .group_by(ClockSpan.person_id)
        .subquery("conversations")
    )


def forget(ctx: Ctx) -> None:
    """Drop the kept history (after a restore): the next report works out everyone."""
    for table in (ClockSpan, ClockDay, ClockHistory):
        ctx.session.execute(delete(table).where(table.owner_id == ctx.owner_id))


def _stale(ctx: Ctx, seen: int) -> CompoundSelect[Any]:
    """Whom to work out again: the marked among her people or among those she has stretches
    of (a deleted person's), and anyone added since the last look (no mark without a write
    that touches her standing; adding someone alone leaves none)."""
    marked = select(ClockMark.person_id)
    return union_all(
        select(Person.id).where(Person.owner_id == ctx.owner_id, Person.id.in_(marked)),
        select(ClockSpan.person_id).where(
            ClockSpan.owner_id == ctx.owner_id, ClockSpan.person_id.in_(marked)
        ),
        select(Person.id).where(Person.owner_id == ctx.owner_id, Person.id > seen),
    )


def _highest_person(ctx: Ctx, seen: int) -> int:
    found = ctx.session.scalar(select(func.max(Person.id)).where(Person.owner_id == ctx.owner_id))
    return max(seen, found or 0)


def _rebuild(ctx: Ctx, horizon: date) -> None:
    session = ctx.session
    forget(ctx)
    _insert_spans(ctx, horizon, None)
    _add(ctx, select(ClockSpan).where(ClockSpan.owner_id == ctx.owner_id).subquery(), 1)
    mine = select(Person.id).where(Person.owner_id == ctx.owner_id)
    gone = ~ClockMark.person_id.in_(select(Person.id))
    session.execute(delete(ClockMark).where(or_(ClockMark.person_id.in_(mine), gone)))
    session.execute(
        insert(ClockHistory).values(
            owner_id=ctx.owner_id,
            horizon_n=day_of(horizon),
            people_seen=_highest_person(ctx, 0),
        )
    )


def _insert_spans(ctx: Ctx, horizon: date, who: Any) -> None:
    rows = span_rows(ctx, horizon, last_known_day(ctx), who).subquery("spans")
    ctx.session.execute(
        insert(ClockSpan).from_select(
            ["owner_id", "person_id", "on_n", "end_n", "cadence", "start_n", "talks"],
            select(
                literal(ctx.owner_id, Integer),
                rows.c.pid,
                rows.c.on_n,
                rows.c.end_n,
                rows.c.cadence,
                rows.c.start_n,
                rows.c.talks,
            ),
        )
    )


def _events(spans: Any, sign: int) -> CompoundSelect[Any]:
    """Each stretch as +1 on the first day and -1 on the day after the last of every series it
    is in: on a clock all along, inside its cadence up to the due day, and each warmth band on
    the days its silence lies in that band (`standing._band`: silent <= cadence x WARM_MAX, ...)."""
    on, end, cadence, start = spans.c.on_n, spans.c.end_n, spans.c.cadence, spans.c.start_n

    def edge(times: float) -> ColumnElement[int]:
        # The last day whose silence is within `times` cadences (whole days; the bands are
        # whole multiples, so no rounding differs between engines).
        assert float(times).is_integer()
        return start + cadence * int(times)

    ranges = {
        "held": (on, end),
        "inside": (on, least(end, start + cadence)),
        "warm": (on, least(end, edge(WARM_MAX))),
        "cooling": (greatest(on, edge(WARM_MAX) + 1), least(end, edge(COOLING_MAX))),
        "cold": (greatest(on, edge(COOLING_MAX) + 1), least(end, edge(COLD_MAX))),
        "dormant": (greatest(on, edge(COLD_MAX) + 1), end),
    }
    parts = []
    for series, (lo, hi) in ranges.items():
        values = [literal(0, Integer)] * len(SERIES)
        index = SERIES.index(series)
        for day, step in ((lo, sign), (hi + 1, -sign)):
            values[index] = literal(step, Integer)
            columns = (v.label(s) for v, s in zip(values, SERIES, strict=True))
            on_a_clock = spans.c.cadence.is_not(None)
            parts.append(
                select(day.label("day_n"), *columns).select_from(spans).where(on_a_clock, hi >= lo)
            )
    return union_all(*parts)


def _add(ctx: Ctx, spans: Any, sign: int) -> None:
    """Add (sign 1) or take out (-1) the changes of `spans` to the owner's sums per day."""
    events = _events(spans, sign).subquery("events")
    grouped = (
        select(
            literal(ctx.owner_id, Integer).label("owner_id"),
            events.c.day_n,
            *(func.sum(events.c[s]).label(s) for s in SERIES),
        )
        .where(true())  # SQLite needs a WHERE before an upsert's ON CONFLICT
        .group_by(events.c.day_n)
    )
    from sqlalchemy.dialects import postgresql, sqlite

    postgres = ctx.session.get_bind().dialect.name == "postgresql"
    upsert: Any = postgresql.insert if postgres else sqlite.insert
    statement = upsert(ClockDay).from_select(["owner_id", "day_n", *SERIES], grouped)
    statement = statement.on_conflict_do_update(
        index_elements=["owner_id", "day_n"],
        set_={s: getattr(ClockDay, s) + statement.excluded[s] for s in SERIES},
    )
    ctx.session.execute(statement)
