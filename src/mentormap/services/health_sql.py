"""The cadence parts of the health report as SQL aggregates: clocks, warmth history, adherence.

A large history holds a million interactions; reading them into Python costs seconds, so each
figure here is one statement that returns a handful of rows:

- `clocks`: every clocked member's effective cadence and the day her first role began, worked
  out in SQL from her roles (joined to a small generated table of the catalogue's cadences) and
  her peer-group memberships — the same rule as `domain.cadence.effective_cadence`.
- `warmth_history`: the last contact in each month (one GROUP BY over the interaction range),
  a running maximum over the month ends (a window function) and a count per month and band.
- `adherence`: each start of a clock (her role's start, then every contact) keeps her warm for
  one cadence up to the next start (LEAD over her starts); the days covered inside the window
  are summed.

Day arithmetic differs between engines, so `day_number` compiles per dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    exists,
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

from mentormap.domain.cadence import COLD_MAX, COOLING_MAX, WARM_MAX, Warmth
from mentormap.domain.health import WarmthMonth
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.models import (
    Group,
    GroupMember,
    Interaction,
    InteractionParticipant,
    Person,
    Role,
)
from mentormap.services.context import Ctx
from mentormap.services.sql_days import day_number, day_of


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


def _read_range(ctx: Ctx, first: date, last: date) -> list[ColumnElement[bool]]:
    """Conditions for the owner's interactions from `first` to `last`, read by a table scan.

    These ranges hold a third or more of all interactions. Walking the date index visits the
    rows, and then their participants, in random order and costs four or five times what a
    scan of the table in rowid order does (participants are then looked up in order too).
    """
    on = Interaction.occurred_on
    return [
        unindexed(Interaction.owner_id) == ctx.owner_id,
        unindexed(on) >= first,
        unindexed(on) <= last,
        # Always true, but `kind` lies outside the date index, so SQLite reads the table
        # itself rather than scanning that index whole (see `unindexed`).
        Interaction.kind.is_not(None),
    ]


def _table(name: str, rows: list[dict[str, Any]], types: dict[str, Any]) -> Subquery:
    """A small generated table as a UNION ALL of one-row SELECTs.

    (SQLite cannot name the columns of a VALUES list in FROM, so VALUES is not portable.)
    """
    selects = [select(*(literal(row[col], types[col]).label(col) for col in types)) for row in rows]
    return union_all(*selects).subquery(name)


def _catalogue() -> Subquery:
    """The role catalogue's default cadences as a small generated table (key, cadence)."""
    rows = [{"key": key.value, "cadence": info.cadence_days} for key, info in CATALOGUE.items()]
    return _table("catalogue", rows, {"key": String(), "cadence": Integer()})


def clocks(ctx: Ctx) -> CTE:
    """(person_id, cadence, since_n) for every active, unarchived member who is on a clock.

    Mirrors `services.health._members` + `effective_cadence`: her own override if set, else
    the shortest of her roles' cadences (a role's override, else the catalogue's), where an
    active peer-group membership counts as the peer role if she does not hold it already.
    """
    cat = _catalogue()
    live = and_(Person.owner_id == ctx.owner_id, Person.archived.is_(False))
    from_roles = (
        select(
            Role.person_id.label("person_id"),
            Role.since.label("since"),
            func.coalesce(func.nullif(Role.cadence_days, 0), cat.c.cadence).label("cadence"),
        )
        .join(Person, Person.id == Role.person_id)
        .join(cat, cat.c.key == Role.key)
        .where(live, Role.owner_id == ctx.owner_id, Role.until.is_(None))
    )
    holds_peer_role = exists().where(
        Role.person_id == GroupMember.person_id,
        Role.owner_id == ctx.owner_id,
        Role.key == RoleKey.PEER.value,
        Role.until.is_(None),
    )
    peer_cadence = CATALOGUE[RoleKey.PEER].cadence_days
    from_groups = (
        select(
            GroupMember.person_id.label("person_id"),
            func.min(GroupMember.since).label("since"),
            literal(peer_cadence, Integer).label("cadence"),
        )
        .join(Person, Person.id == GroupMember.person_id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(live, GroupMember.until.is_(None), Group.archived.is_(False), ~holds_peer_role)
        .group_by(GroupMember.person_id)
    )
    held = union_all(from_roles, from_groups).subquery("held")
    cadence = func.coalesce(func.nullif(Person.cadence_days, 0), func.min(held.c.cadence))
    return (
        select(
            held.c.person_id,
            cadence.label("cadence"),
            day_number(func.min(held.c.since)).label("since_n"),
        )
        .join(Person, Person.id == held.c.person_id)
        .group_by(held.c.person_id, Person.cadence_days)
        .having(cadence.is_not(None))
        .cte("clocks")
    )


def _band(days: ColumnElement[int], cadence: ColumnElement[int]) -> ColumnElement[str]:
    """`domain.cadence.warmth` in SQL: silence measured in cadences (integers, no division)."""
    return case(
        (days <= cadence * WARM_MAX, Warmth.WARM.value),
        (days <= cadence * COOLING_MAX, Warmth.COOLING.value),
        (days <= cadence * COLD_MAX, Warmth.COLD.value),
        else_=Warmth.DORMANT.value,
    )


SLOTS = 16  # periods per person in the combined (person, period) key


@dataclass
class CadenceFigures:
    history: list[WarmthMonth]
    inside: int  # member-days inside cadence over the adherence window
    held: int  # member-days on a clock over that window


def cadence_figures(
    ctx: Ctx, checkpoints: list[date], first: date, reach_from: date
) -> CadenceFigures:
    """The warmth history at each checkpoint and the adherence over [first, today], at once.

    Both need each member's last contact before some day: the history before every month
    end, adherence before `first`, after which it needs her contact days themselves. So
    one read of the long range groups contacts by person and period (the months, with the
    month holding `first` split at it), and only the short adherence window is read day by
    day. Contacts before `reach_from` are not read: it lies four of the longest cadences
    before the first checkpoint, and anyone silent that long is dormant whatever came
    earlier; such a contact cannot reach the adherence window either.
    """
    today = checkpoints[-1]
    before_first = first - timedelta(days=1)
    bounds = sorted({*checkpoints, before_first})
    assert len(bounds) <= SLOTS and bounds[0] >= reach_from
    clock = clocks(ctx)
    on = Interaction.occurred_on
    # The period a contact falls in: the first bound on or after it.
    period = case(*((on <= end, i) for i, end in enumerate(bounds)))
    # Her last contact in each period. Person and period are folded into one integer key:
    # sorting a million rows on one integer is measurably cheaper than on two columns.
    slot = InteractionParticipant.person_id * SLOTS + period
    touch = (
        select(slot.label("slot"), day_number(func.max(on)).label("last_n"))
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(*_read_range(ctx, reach_from, today))
        .group_by(slot)
        .subquery("touch")
    )
    # One row per clocked member: her clock, and her last contact on or before each bound as
    # columns. Her clock comes in as a row of its own so that no join is needed (SQLite would
    # not index a computed key) and members never contacted still get a row.
    contacts = select(
        (touch.c.slot // SLOTS).label("person_id"),
        (touch.c.slot % SLOTS).label("period"),
        touch.c.last_n,
        null().label("since_n"),
        null().label("cadence"),
    )
    roles = select(
        clock.c.person_id,
        null().label("period"),
        null().label("last_n"),
        clock.c.since_n,
        clock.c.cadence,
    )
    rows = union_all(contacts, roles).subquery("rows")

    def last_by(day: date) -> ColumnElement[int]:
        return func.max(case((rows.c.period <= bounds.index(day), rows.c.last_n)))

    cadence = func.max(rows.c.cadence)
    lasts = (
        select(
            rows.c.person_id,
            func.max(rows.c.since_n).label("since_n"),
            cadence.label("cadence"),
            last_by(before_first).label("pre"),
            *(last_by(end).label(f"l{k}") for k, end in enumerate(checkpoints)),
        )
        .group_by(rows.c.person_id)
        .having(cadence.is_not(None))  # in touch but on no clock: not counted
        .cte("lasts")
    )
    bands = []
    for k, end in enumerate(checkpoints):
        last = lasts.c[f"l{k}"]
        # The clock starts at her last contact, or at her first role if that came later.
        start = case((last > lasts.c.since_n, last), else_=lasts.c.since_n)
        band = case(
            (lasts.c.since_n > day_of(end), None),  # before her first role she has no band
            else_=_band(day_of(end) - start, lasts.c.cadence),
        )
        bands.append(band.label(f"b{k}"))
    banded = select(*bands).subquery("banded")
    order = list(Warmth)
    history = [
        func.coalesce(func.sum(case((banded.c[f"b{k}"] == w.value, 1), else_=0)), 0)
        for k in range(len(checkpoints))
        for w in order
    ]
    inside, held = _adherence(ctx, clock, lasts, first, today)
    counts = ctx.session.execute(
        select(*history, inside.scalar_subquery(), held.scalar_subquery())
    ).one()
    months = []
    for k, end in enumerate(checkpoints):
        n = {w: int(counts[k * len(order) + i]) for i, w in enumerate(order)}
        months.append(
            WarmthMonth(end, n[Warmth.WARM], n[Warmth.COOLING], n[Warmth.COLD], n[Warmth.DORMANT])
        )
    return CadenceFigures(months, int(counts[-2]), int(counts[-1]))


def _adherence(
    ctx: Ctx, clock: CTE, lasts: CTE, first: date, today: date
) -> tuple[Select[Any], Select[Any]]:
    """(member-days inside cadence, member-days on a clock) over [first, today], as queries.

    A day is inside when her latest start on or before it (her role's start, or a contact
    since then) is at most one cadence back. Of the starts before the window only the
    latest can reach into it: her role's start or her last contact before `first`,
    whichever came later.
    """
    on = Interaction.occurred_on
    before = select(
        lasts.c.person_id,
        case((lasts.c.pre > lasts.c.since_n, lasts.c.pre), else_=lasts.c.since_n).label("start_n"),
        lasts.c.cadence,
        lasts.c.since_n,
    )
    within = (
        select(
            InteractionParticipant.person_id,
            day_number(on).label("start_n"),
            clock.c.cadence,
            clock.c.since_n,
        )
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .join(clock, clock.c.person_id == InteractionParticipant.person_id)
        .where(Interaction.owner_id == ctx.owner_id, on >= first, on <= today)
    )
    starts = union_all(before, within).subquery("starts")
    following = (
        func.lead(starts.c.start_n)
        .over(partition_by=starts.c.person_id, order_by=starts.c.start_n)
        .label("following")
    )
    spans = select(starts.c.start_n, starts.c.cadence, starts.c.since_n, following).subquery(
        "spans"
    )
    # Each start covers [start, start + cadence], cut at the next start and at the window.
    # Nothing before her role counts: a contact before it is cut off by the role's own
    # start, which follows it.
    first_n, today_n = day_of(first), day_of(today)
    lo = _greatest(ctx, [spans.c.start_n, spans.c.since_n, literal(first_n)])
    hi = _least(
        ctx,
        [
            spans.c.start_n + spans.c.cadence,
            func.coalesce(spans.c.following - 1, today_n),
            literal(today_n),
        ],
    )
    inside = select(func.coalesce(func.sum(case((hi >= lo, hi - lo + 1), else_=0)), 0))
    held_from = _greatest(ctx, [lasts.c.since_n, literal(first_n)])
    held = select(
        func.coalesce(func.sum(case((held_from <= today_n, today_n - held_from + 1), else_=0)), 0)
    )
    return inside, held


def _least(ctx: Ctx, parts: list[ColumnElement[Any]]) -> ColumnElement[int]:
    name = "least" if ctx.session.get_bind().dialect.name == "postgresql" else "min"
    return getattr(func, name)(*parts)


def _greatest(ctx: Ctx, parts: list[ColumnElement[Any]]) -> ColumnElement[int]:
    name = "greatest" if ctx.session.get_bind().dialect.name == "postgresql" else "max"
    return getattr(func, name)(*parts)
