"""Each person's standing — cadence, clock start, due date, warmth — for any set of people at once.

This is the one place that works out where a tie stands; every surface (today, people lists and
pages, group pages, prep, health, the calendar feed, reconnect, trips) reads it. The rules are
`mentormap.domain.clock`'s; here they are one SQL query over the whole network:

1. one *clock* row per active role (plus one for someone with no active role: a contact), with
   the role's cadence, the last-contact date that keeps it, and its start;
2. per person the clock that runs out first (ties: the closer role), picked by a window;
3. her warmth band from the silence since that clock started, in whole days.

No per-person loop touches the database, whatever the size of the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Select, Subquery

from mentormap.domain.cadence import COLD_MAX, COOLING_MAX, WARM_MAX, Warmth, due_on
from mentormap.domain.clock import Keeper, KeepsClock, reason, role_keeper
from mentormap.domain.roles import CATALOGUE, CONTACT_CADENCE_DAYS, RoleKey
from mentormap.models import Booking, Group, GroupMember, Person, Role
from mentormap.services.context import Ctx
from mentormap.services.sql import date_of, day_number, day_of

CHUNK = 900  # ids per IN list: below SQLite's variable limit on every build


@dataclass(frozen=True)
class Standing:
    """Where one person stands today, and why."""

    person_id: int
    cadence_days: int | None  # None: no clock (a mentee or a coach only)
    cadence_source: str | None  # "person" (her own setting), "role", "group" or "contact"
    role: str | None  # the role whose clock runs out first; None for a contact
    group_id: int | None  # her group, when the group's cadence is hers
    group_name: str | None
    keeper: Keeper | None  # which contacts keep that clock
    clock_start: date | None
    last_contact_on: date | None  # the last contact that keeps the clock
    latest_contact_on: date | None  # the last contact of any kind
    due_on: date | None
    warmth: Warmth | None
    snoozed_until: date | None
    booked_on: date | None  # a planned catch-up ahead; set once calendar sync knows of one
    archived: bool
    rank: int
    role_since: date | None  # when the role whose clock runs out first began
    started_on: date | None  # where her clock would start, with or without a cadence
    as_of: date  # the day this standing is of

    @cached_property
    def reason(self) -> str:
        """Why, in words (`domain.clock.reason`): worked out only for what is shown."""
        return reason(
            cadence_days=self.cadence_days,
            source=self.cadence_source,
            role=self.role,
            group=self.group_name,
            keeper=self.keeper,
            last_kept_on=self.last_contact_on,
            latest_contact_on=self.latest_contact_on,
            role_since=self.role_since,
            clock_start=self.started_on,
            snoozed_until=self.snoozed_until,
            archived=self.archived,
            today=self.as_of,
            booked_on=self.booked_on,
        )

    @property
    def clocked(self) -> bool:
        return self.cadence_days is not None and self.due_on is not None

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days if self.due_on else 0

    def is_booked(self, today: date) -> bool:
        """A catch-up with her is planned today or later (a calendar event): booked, not due."""
        return self.booked_on is not None and self.booked_on >= today

    def is_due(self, today: date) -> bool:
        """On the due list today: her clock ran out, she is not snoozed, booked or archived."""
        return (
            self.due_on is not None
            and self.due_on <= today
            and not self.archived
            and (self.snoozed_until is None or self.snoozed_until <= today)
            and not self.is_booked(today)
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "cadence_days": self.cadence_days,
            "cadence_source": self.cadence_source,
            "role": self.role,
            "group": (
                {"id": self.group_id, "name": self.group_name}
                if self.group_id is not None
                else None
            ),
            "keeps_clock": self.keeper.value if self.keeper else None,
            "clock_start": self.clock_start,
            "last_contact_on": self.last_contact_on,
            "latest_contact_on": self.latest_contact_on,
            "due_on": self.due_on,
            "warmth": self.warmth.value if self.warmth else None,
            "snoozed_until": self.snoozed_until,
            "booked_on": self.booked_on,
            "reason": self.reason,
        }


# --- the query --------------------------------------------------------------------------------


def _later(a: Any, b: Any) -> ColumnElement[Any]:
    """The later of two nullable days (NULL only when both are)."""
    return case((a.is_(None), b), (b.is_(None), a), (a > b, a), else_=b)


def _keeper_of_role(role_key: Any, setting: Any) -> Any:
    by_role = {key.value: role_keeper(key, None).value for key in RoleKey}
    return case(
        (setting == KeepsClock.ANY.value, Keeper.ANY.value),
        (setting == KeepsClock.CONVERSATION.value, Keeper.CONVERSATION.value),
        else_=case(by_role, value=role_key, else_=Keeper.CONVERSATION.value),
    )


def _kept_on(keeper: Any, lasts: Any | None = None) -> ColumnElement[Any]:
    """The last-contact date a clock reads: her own columns, or `lasts`'s as of a past day."""
    if lasts is None:
        last_any, last_talk, last_high = (
            Person.last_contact_on,
            Person.last_conversation_on,
            Person.last_highlights_on,
        )
    else:
        last_any, last_talk, last_high = (
            lasts.c.last_any,
            lasts.c.last_conversation,
            lasts.c.last_highlights,
        )
    return case(
        (keeper == Keeper.ANY.value, last_any),
        (keeper == Keeper.CONVERSATION_OR_HIGHLIGHTS.value, _later(last_talk, last_high)),
        else_=last_talk,
    )


def _groups(owner_id: int, days: Any | None = None) -> Subquery:
    """Per person, the active group with the shortest cadence she belongs to.

    With `days` (a subquery with a column `on`): per person and day, among the memberships
    that ran on that day.
    """
    partition: list[Any] = [GroupMember.person_id]
    extra: list[Any] = []
    during: list[ColumnElement[bool]] = [GroupMember.until.is_(None)]
    if days is not None:
        partition.append(days.c.on)
        extra.append(days.c.on.label("on"))
        during = [
            GroupMember.since <= days.c.on,
            or_(GroupMember.until.is_(None), GroupMember.until > days.c.on),
        ]
    ranked = (
        select(
            GroupMember.person_id.label("pid"),
            *extra,
            Group.id.label("gid"),
            Group.name.label("gname"),
            Group.cadence_days.label("gcadence"),
            func.row_number()
            .over(partition_by=partition, order_by=(Group.cadence_days, Group.id))
            .label("n"),
        )
        .join(Group, Group.id == GroupMember.group_id)
        .where(GroupMember.owner_id == owner_id, *during, Group.archived.is_(False))
    )
    if days is not None:
        ranked = ranked.join(days, true())
    found = ranked.subquery("ranked_groups")
    return select(found).where(found.c.n == 1).subquery("her_group")


def _active(as_of: Any) -> ColumnElement[bool]:
    return and_(Role.since <= as_of, or_(Role.until.is_(None), Role.until > as_of))


def _clocks(
    owner_id: int,
    as_of: Any,
    people: Any | None,
    lasts: Any | None = None,
    keep: tuple[str, ...] = (),
) -> Subquery:
    """One row per clock: (pid, role, cadence, source, gid, gname, keeper, kept, since, start).

    With `lasts` (see `standing_rows_on`) one row per clock and day of `lasts`, with that day
    and the columns named in `keep` carried along; `as_of` and `people` are then unused.
    """
    carried = [lasts.c.on, *(lasts.c[name] for name in keep)] if lasts is not None else []
    if lasts is not None:
        as_of = lasts.c.on
        group = _groups(owner_id, select(lasts.c.on).distinct().subquery("days"))
        on_group = and_(group.c.pid == Role.person_id, group.c.on == lasts.c.on)
    else:
        group = _groups(owner_id)
        on_group = group.c.pid == Role.person_id
    defaults = {i.key.value: i.cadence_days for i in CATALOGUE.values() if i.cadence_days}
    peer_in_group = and_(Role.key == RoleKey.PEER.value, group.c.gid.is_not(None))
    role_cadence = case(
        (Person.cadence_days.is_not(None), Person.cadence_days),
        (Role.cadence_days.is_not(None), Role.cadence_days),
        (peer_in_group, group.c.gcadence),
        else_=case(defaults, value=Role.key, else_=null()),
    )
    role_source = case(
        (Person.cadence_days.is_not(None), "person"),
        (Role.cadence_days.is_not(None), "role"),
        (peer_in_group, "group"),
        else_="role",
    )
    keeper = _keeper_of_role(Role.key, Person.keeps_clock)
    kept = _kept_on(keeper, lasts)
    in_group = case((peer_in_group, group.c.gid), else_=null())
    by_role = select(
        Role.person_id.label("pid"),
        *carried,
        Role.key.label("role"),
        role_cadence.label("cadence"),
        role_source.label("source"),
        in_group.label("gid"),
        case((peer_in_group, group.c.gname), else_=null()).label("gname"),
        keeper.label("keeper"),
        kept.label("kept"),
        Role.since.label("role_since"),
        func.coalesce(kept, Role.since, type_=Date).label("start"),
        _rank(Role.key).label("rank"),
    ).join(Person, Person.id == Role.person_id)
    if lasts is not None:
        by_role = by_role.join(lasts, lasts.c.pid == Role.person_id)
    by_role = by_role.outerjoin(group, on_group).where(Role.owner_id == owner_id, _active(as_of))
    contact_keeper = case(
        (Person.keeps_clock == KeepsClock.CONVERSATION.value, Keeper.CONVERSATION.value),
        else_=Keeper.ANY.value,
    )
    contact_kept = _kept_on(contact_keeper, lasts)
    no_role = ~exists(
        select(Role.id).where(
            Role.person_id == Person.id, Role.owner_id == owner_id, _active(as_of)
        )
    )
    contact_start = func.coalesce(
        contact_kept, Person.met_on, func.date(Person.created_at), type_=Date
    )
    as_contact = select(
        Person.id.label("pid"),
        *carried,
        cast(null(), String).label("role"),
        func.coalesce(Person.cadence_days, CONTACT_CADENCE_DAYS).label("cadence"),
        case((Person.cadence_days.is_not(None), "person"), else_="contact").label("source"),
        cast(null(), Integer).label("gid"),
        cast(null(), String).label("gname"),
        contact_keeper.label("keeper"),
        contact_kept.label("kept"),
        cast(null(), Date).label("role_since"),
        contact_start.label("start"),
        literal(CATALOGUE[RoleKey.CONTACT].rank, Integer).label("rank"),
    ).where(Person.owner_id == owner_id, no_role)
    if lasts is not None:
        # Someone first met or added after that day was not yet on any clock then.
        as_contact = as_contact.join(lasts, lasts.c.pid == Person.id).where(
            contact_start <= lasts.c.on
        )
    elif people is not None:
        by_role = by_role.where(Role.person_id.in_(people))
        as_contact = as_contact.where(Person.id.in_(people))
    return union_all(by_role, as_contact).subquery("clocks")


def _rank(role: Any) -> ColumnElement[int]:
    """The rank of a clock's role (`domain.roles`: lower is closer); a contact's without one."""
    ranks = {info.key.value: info.rank for info in CATALOGUE.values()}
    return case(
        (role.is_(None), CATALOGUE[RoleKey.CONTACT].rank), else_=case(ranks, value=role, else_=99)
    )


def _band(silent: ColumnElement[int], cadence: ColumnElement[int]) -> ColumnElement[str]:
    """`domain.cadence.warmth` in SQL: the silence measured in cadences (whole days)."""
    return case(
        (silent <= cadence * WARM_MAX, Warmth.WARM.value),
        (silent <= cadence * COOLING_MAX, Warmth.COOLING.value),
        (silent <= cadence * COLD_MAX, Warmth.COLD.value),
        else_=Warmth.DORMANT.value,
    )


def standing_rows(ctx: Ctx, as_of: date | None = None, people: Any | None = None) -> Subquery:
    """Each person's governing clock, as a subquery.

    Columns: pid, role, cadence, source, gid, gname, keeper, kept, role_since, start, rank,
    due_n (due day as a day number; NULL without a clock), silent (days since the start),
    band (warmth; NULL without a clock). `people` narrows it (a list of ids or an id select).
    """
    today = as_of or ctx.today()
    return _standing_select(ctx.owner_id, today, day_of(today), people)


def _standing_select(owner_id: int, today: Any, today_n: Any, people: Any | None) -> Subquery:
    """`standing_rows` for a day given as values or as bound parameters (see `_due_statement`)."""
    clocks = _clocks(owner_id, today, people)
    due_n = day_number(clocks.c.start) + clocks.c.cadence
    picked = select(
        clocks,
        due_n.label("due_n"),
        func.row_number()
        .over(
            partition_by=clocks.c.pid,
            order_by=(clocks.c.cadence.is_(None), due_n, clocks.c.rank, clocks.c.role),
        )
        .label("n"),
    ).subquery("picked")
    silent = today_n - day_number(picked.c.start)
    band = case((picked.c.cadence.is_(None), null()), else_=_band(silent, picked.c.cadence))
    return (
        select(
            *(c for c in picked.c if c.name != "n"),
            silent.label("silent"),
            band.label("band"),
        )
        .where(picked.c.n == 1)
        .subquery("standing")
    )


def standing_rows_on(ctx: Ctx, lasts: Any, keep: tuple[str, ...] = ()) -> Subquery:
    """Each person's governing clock as it stood on past days, as a subquery.

    `lasts` is a CTE with one row per person and day, columns (key, pid, on, last_any,
    last_conversation, last_highlights): `key` an integer unique to the row, then her last
    contact of any kind, last conversation and last highlights email on or before `on` (in place
    of the columns kept on each person, which only know today). The rules are those of
    `standing_rows`, applied on `on`: the roles and group memberships that ran that day, her own
    settings as they are now. A contact first met or added after `on` has no row for that day.

    Columns: key, pid, on, the columns of `lasts` named in `keep`, role, cadence, rank, start,
    due_n, silent (days from the start up to `on`) and band. Only what a count needs is carried:
    hundreds of thousands of rows go through here.
    """
    clocks = _clocks(ctx.owner_id, None, None, lasts, ("key", *keep))
    carried = [clocks.c.key, clocks.c.pid, clocks.c.on, *(clocks.c[name] for name in keep)]
    numbered = select(
        *carried,
        clocks.c.role,
        clocks.c.cadence,
        clocks.c.rank,
        clocks.c.start,
        day_number(clocks.c.start).label("start_n"),
        day_number(clocks.c.on).label("on_n"),
    ).subquery("numbered")
    due_n = numbered.c.start_n + numbered.c.cadence
    picked = select(
        *(c for c in numbered.c if c.name not in ("start_n", "on_n")),
        due_n.label("due_n"),
        (numbered.c.on_n - numbered.c.start_n).label("silent"),
        func.row_number()
        .over(
            partition_by=numbered.c.key,
            order_by=(numbered.c.cadence.is_(None), due_n, numbered.c.rank, numbered.c.role),
        )
        .label("n"),
    ).subquery("picked_on")
    band = case(
        (picked.c.cadence.is_(None), null()), else_=_band(picked.c.silent, picked.c.cadence)
    )
    return (
        select(*(c for c in picked.c if c.name != "n"), band.label("band"))
        .where(picked.c.n == 1)
        .subquery("standing_on")
    )


def _due_on(start: date | None, cadence: int | None) -> date | None:
    """The day a clock that started on `start` runs out: None without a clock."""
    return due_on(start, cadence) if start is not None and cadence is not None else None


def _standing(row: Any, today: date) -> Standing:
    clocked = row.cadence is not None and row.start is not None
    keeper = Keeper(row.keeper) if clocked and row.keeper else None
    return Standing(
        person_id=row.pid,
        cadence_days=row.cadence if clocked else None,
        cadence_source=row.source if clocked else None,
        role=row.role,
        group_id=row.gid,
        group_name=row.gname,
        keeper=keeper,
        clock_start=row.start if clocked else None,
        last_contact_on=row.kept,
        latest_contact_on=row.latest,
        due_on=_due_on(row.start, row.cadence),
        warmth=Warmth(row.band) if clocked and row.band else None,
        snoozed_until=row.snoozed_until,
        booked_on=row.booked,
        archived=bool(row.archived),
        rank=row.rank,
        role_since=row.role_since,
        started_on=row.start,
        as_of=today,
    )


def _booked(pid: Any, today: Any) -> Any:
    """Her first catch-up booked on `today` or later (`bookings`, from calendar sync)."""
    return (
        select(func.min(Booking.on))
        .where(Booking.person_id == pid, Booking.on >= today)
        .scalar_subquery()
    )


def _query(rows: Subquery, today: Any, *where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            rows,
            Person.last_contact_on.label("latest"),
            Person.snoozed_until,
            Person.archived,
            _booked(rows.c.pid, today).label("booked"),
        )
        .join(Person, Person.id == rows.c.pid)
        .where(*where)
    )


def _read(ctx: Ctx, query: Select[Any]) -> list[Standing]:
    today = ctx.today()
    return [_standing(row, today) for row in ctx.session.execute(query)]


def standings(ctx: Ctx, person_ids: Iterable[int]) -> dict[int, Standing]:
    """The standing of each of `person_ids` (ids of other owners are simply absent)."""
    ids = sorted(set(person_ids))
    found: dict[int, Standing] = {}
    today = ctx.today()
    statement = _standings_statement(ctx.owner_id)
    for start in range(0, len(ids), CHUNK):
        values = {
            "standing_ids": ids[start : start + CHUNK],
            "standing_today": today,
            "standing_today_n": day_of(today),
        }
        for row in ctx.session.execute(statement, values):
            item = _standing(row, today)
            found[item.person_id] = item
    return found


@lru_cache(maxsize=64)
def _standings_statement(owner_id: int) -> Select[Any]:
    """`standings` for some people, built once per owner with the people and the day as bound
    parameters: a person's page asks it on every load, and building it cost more than running
    it (as `_due_statement`)."""
    today = bindparam("standing_today", type_=Date)
    today_n = bindparam("standing_today_n", type_=Integer)
    people: Any = bindparam("standing_ids", expanding=True)
    return _query(_standing_select(owner_id, today, today_n, people), today)


def clock_rows(ctx: Ctx, people: Any | None = None) -> Subquery:
    """Each person's governing clock for long lists: columns pid, start_n (the day it started, a
    day number), cadence (NULL: no clock), role (the clock's role; NULL for a contact's), due_n
    and band (warmth; NULL without a clock).

    The same clock as `standing_rows`: it is read from the copy kept on her
    (`services.clock.checks`), which cannot have changed until a role of hers begins or ends or
    the triggers mark her; only the people for whom one of those happened are worked out in
    full, and everyone when the checks cannot tell. `people` narrows it (ids or an id select).
    """
    today_n = day_of(ctx.today())
    if not _checks_hold(ctx):
        rows = standing_rows(ctx, people=people)
        clocks: Any = select(
            rows.c.pid, day_number(rows.c.start).label("start_n"), rows.c.cadence, rows.c.role
        )
    else:
        kept, come = _kept_and_come(ctx.owner_id, literal(today_n), people)
        if ctx.session.scalar(come.limit(1)) is None:
            clocks = kept  # the usual case: no clock to work out at all
        else:
            rows = standing_rows(ctx, people=come)
            worked = select(rows.c.pid, day_number(rows.c.start), rows.c.cadence, rows.c.role)
            clocks = union_all(kept, worked)
    return _with_band(clocks, literal(today_n))


def _kept_and_come(owner_id: int, today_n: Any, people: Any | None) -> tuple[Any, Any]:
    """The kept clocks that hold today (pid, start_n, cadence, role), and the select of the
    people whose clock must be worked out in full instead (see `clock_rows`)."""
    # Her kept clock holds until it changes on its own, or the triggers mark her (0).
    holds = and_(Person.clock_check_n != 0, Person.clock_change_n > today_n)
    kept = select(
        Person.id.label("pid"),
        Person.clock_start_n.label("start_n"),
        Person.clock_cadence.label("cadence"),
        Person.clock_role.label("role"),
    ).where(Person.owner_id == owner_id, holds)
    come = select(Person.id).where(
        Person.owner_id == owner_id,
        or_(Person.clock_check_n == 0, Person.clock_change_n <= today_n),
    )
    if people is not None:
        kept = kept.where(Person.id.in_(people))
        come = come.where(Person.id.in_(people))
    return kept, come


def _with_band(clocks: Any, today_n: Any) -> Subquery:
    found = clocks.subquery("clocks_kept")
    band = case(
        (found.c.cadence.is_(None), null()),
        else_=_band(today_n - found.c.start_n, found.c.cadence),
    )
    return select(
        found.c.pid,
        found.c.start_n,
        found.c.cadence,
        found.c.role,
        (found.c.start_n + found.c.cadence).label("due_n"),
        band.label("band"),
    ).subquery("clock")


@lru_cache(maxsize=64)
def _kept_statements(owner_id: int) -> tuple[Select[Any], Select[Any]]:
    """`warmth_and_due` for a page of people while the checks hold, built once per owner with
    the people and the day bound: whether any of them must be worked out in full, and the
    warmth and due date of each from her kept clock."""
    today_n = bindparam("kept_today_n", type_=Integer)
    people: Any = bindparam("kept_ids", expanding=True)
    kept, come = _kept_and_come(owner_id, today_n, people)
    rows = _with_band(kept, today_n)
    warmth = select(rows.c.pid, rows.c.band, rows.c.due_n).where(rows.c.due_n.is_not(None))
    return come.limit(1), warmth


def warmth_and_due(ctx: Ctx, people: Any) -> dict[int, tuple[str | None, date | None]]:
    """(warmth band, due date) of each of `people` (ids, or a select of ids), for long lists.

    The same numbers as `standings`, read from `clock_rows` without building each one's whole
    Standing (most of a 20,000-person list's time). People without a clock are absent.
    """
    if isinstance(people, list) and len(people) <= CHUNK and _checks_hold(ctx):
        come, warmth = _kept_statements(ctx.owner_id)
        values = {"kept_ids": people, "kept_today_n": day_of(ctx.today())}
        if ctx.session.scalar(come, values) is None:  # a page, none to work out: the usual case
            found = ctx.session.execute(warmth, values)
            return {pid: (band or None, date_of(due_n)) for pid, band, due_n in found}
    rows = clock_rows(ctx, people)
    query = select(rows.c.pid, rows.c.band, rows.c.due_n).where(rows.c.due_n.is_not(None))
    return {pid: (band or None, date_of(due_n)) for pid, band, due_n in ctx.session.execute(query)}


def standing_of(ctx: Ctx, person: Person) -> Standing:
    return standings(ctx, [person.id])[person.id]


def _clock_inputs(ctx: Ctx) -> tuple[int, bool]:
    """The shortest cadence anyone can have (no one in conversation more recently is due), and
    whether the check days hold today (`_checks_hold`), in one statement: the due list needs
    both on every load."""
    catalogue = min(i.cadence_days for i in CATALOGUE.values() if i.cadence_days)
    # Each minimum and the maximum read from its owner-and-column index.
    found = ctx.session.execute(_clock_inputs_statement(ctx.owner_id)).one()
    *shortest, latest = found
    return min([catalogue, *(value for value in shortest if value is not None)]), _holds(
        ctx, latest
    )


@lru_cache(maxsize=64)
def _clock_inputs_statement(owner_id: int) -> Select[Any]:
    parts = [
        select(func.min(column)).where(owner == owner_id).scalar_subquery()
        for column, owner in (
            (Person.cadence_days, Person.owner_id),
            (Role.cadence_days, Role.owner_id),
            (Group.cadence_days, Group.owner_id),
        )
    ]
    return select(*parts, _latest_check(owner_id).scalar_subquery())


def _latest_check(owner_id: int) -> Select[Any]:
    """The latest day any check day was worked out for (`services.clock.checks`)."""
    return select(func.max(Person.clock_checked_n)).where(Person.owner_id == owner_id)


def _checks_hold(ctx: Ctx) -> bool:
    """Whether the check days and kept clocks can be read today: none was worked out for a
    later day (the clock moved back), which the next commit puts right (`services.clock.checks`)."""
    return _holds(ctx, ctx.session.scalar(_latest_check(ctx.owner_id)))


def _holds(ctx: Ctx, latest: int | None) -> bool:
    holds = latest is None or latest <= day_of(ctx.today())
    ctx.checks_stale = ctx.checks_stale or not holds
    return holds


def _checked_by(ctx: Ctx, day: date) -> Select[Any] | None:
    """Ids of the people who can be due today or by a later `day`: those whose check day
    (`services.clock.checks`) has come by then, as a select. None when the checks cannot tell:
    one was worked out for a later day than today (the clock moved back)."""
    if not _checks_hold(ctx):
        return None
    upto = max(day_of(ctx.today()), day_of(day))
    return select(Person.id).where(Person.owner_id == ctx.owner_id, Person.clock_check_n <= upto)


def due_query(ctx: Ctx) -> Select[Any]:
    """The standing of everyone due today (her clock ran out; not snoozed, not archived), with
    today's values bound (see `_due_statement`)."""
    statement, values = _due(ctx)
    return statement.params(values)


def due_standings(ctx: Ctx) -> list[Standing]:
    """Everyone due today, in no set order (see `_due_statement`)."""
    return [standing for standing, _row in due_with_details(ctx)]


def due_with_details(ctx: Ctx) -> list[tuple[Standing, Any]]:
    """Everyone due today, each with the row she was read from, which also carries her
    `name`, `company`, `preferred_format` and `preferred_time` for the agenda's entries."""
    statement, values = _due(ctx)
    today = ctx.today()
    return [(_standing(row, today), row) for row in ctx.session.execute(statement, values)]


def _due(ctx: Ctx) -> tuple[Select[Any], dict[str, Any]]:
    by_checks, values = _due_inputs(ctx)
    return _due_statement(ctx.owner_id, by_checks), values


def _due_inputs(ctx: Ctx) -> tuple[bool, dict[str, Any]]:
    """Whether the check days hold (as `_checked_by` would say), and the values bound to the
    due list's statements (`_due_params`)."""
    today = ctx.today()
    shortest, by_checks = _clock_inputs(ctx)
    return by_checks, {
        "due_today": today,
        "due_today_n": day_of(today),
        "due_quiet_since": today - timedelta(days=shortest),
    }


def _due_params() -> tuple[Any, Any, Any]:
    """The day, its number and the first day a conversation still keeps every clock, bound."""
    return (
        bindparam("due_today", type_=Date),
        bindparam("due_today_n", type_=Integer),
        bindparam("due_quiet_since", type_=Date),
    )


@lru_cache(maxsize=64)
def _due_statement(owner_id: int, by_checks: bool) -> Select[Any]:
    """Who is due, built once per owner with the day as bound parameters: the daily screen asks
    it on every load, and building a statement of this size costs more than running it."""
    today, today_n, quiet_since = _due_params()
    candidates = _due_candidates(owner_id, by_checks, today, today_n, quiet_since)
    rows = _standing_select(owner_id, today, today_n, candidates)
    return _query(rows, today, rows.c.due_n <= today_n).add_columns(
        Person.name, Person.company, Person.preferred_format, Person.preferred_time
    )


def _due_candidates(
    owner_id: int, by_checks: bool, today: Any, today_n: Any, quiet_since: Any
) -> Select[Any]:
    """The ids of those who can be due today: the due list works out only these.

    Only people whose check day has come (`by_checks`, see `_checked_by`). A second filter
    holds whatever the checks say (it does the work while they are not yet worked out): a
    conversation keeps every clock, so someone in conversation within the shortest cadence
    anyone has cannot be due; ix_people_owner_archived_conversation finds the rest.
    """
    candidates = select(Person.id).where(
        Person.owner_id == owner_id,
        Person.archived.is_(False),
        or_(Person.last_conversation_on.is_(None), Person.last_conversation_on <= quiet_since),
        or_(Person.snoozed_until.is_(None), Person.snoozed_until <= today),
        ~exists(select(Booking.id).where(Booking.person_id == Person.id, Booking.on >= today)),
    )
    if by_checks:
        candidates = candidates.where(Person.clock_check_n <= today_n)
    return candidates


def due_briefs(ctx: Ctx) -> list[Any]:
    """Everyone due today, as light rows: `pid`, `band`, `due_n`, `start_n`, `cadence`, `role`
    and `rank` of her clock, with her `name`, `company`, `preferred_format` and `preferred_time`.

    The same people and numbers as `due_with_details`, read from the kept clocks
    (`clock_rows`) instead of each one's whole standing: the agenda orders and counts all of
    them, and works out the standing (`standings`) only of those it shows.
    """
    by_checks, values = _due_inputs(ctx)
    come, kept = _brief_statements(ctx.owner_id, by_checks)
    if by_checks and ctx.session.scalar(come, values) is None:  # none to work out: the usual case
        return list(ctx.session.execute(kept, values))
    today_n = values["due_today_n"]
    candidates = _due_candidates(
        ctx.owner_id, by_checks, values["due_today"], today_n, values["due_quiet_since"]
    )
    return list(ctx.session.execute(_briefs(clock_rows(ctx, candidates), today_n)))


@lru_cache(maxsize=64)
def _brief_statements(owner_id: int, by_checks: bool) -> tuple[Select[Any], Select[Any]]:
    """`due_briefs` while the checks hold, built once per owner with the day bound: whether any
    candidate must be worked out in full, and the rows from the kept clocks (`clock_rows`)."""
    today, today_n, quiet_since = _due_params()
    candidates = _due_candidates(owner_id, by_checks, today, today_n, quiet_since)
    kept, come = _kept_and_come(owner_id, today_n, candidates)
    return come.limit(1), _briefs(_with_band(kept, today_n), today_n)


def _briefs(rows: Subquery, today_n: Any) -> Select[Any]:
    return (
        select(
            rows.c.pid,
            rows.c.band,
            rows.c.due_n,
            rows.c.start_n,
            rows.c.cadence,
            rows.c.role,
            _rank(rows.c.role).label("rank"),
            Person.name,
            Person.company,
            Person.preferred_format,
            Person.preferred_time,
        )
        .join(Person, Person.id == rows.c.pid)
        .where(rows.c.due_n <= today_n)
    )


WARMTH_BANDS = ("warm", "cooling", "cold", "dormant", "none")


def people_in_band(ctx: Ctx, band: str) -> Select[Any]:
    """Ids of the people whose warmth today is `band` ("none": no clock), as a subquery."""
    from mentormap.errors import InvalidInput

    if band not in WARMTH_BANDS:
        raise InvalidInput(f"Unknown warmth {band!r}; choose one of: {', '.join(WARMTH_BANDS)}.")
    rows = clock_rows(ctx)
    if band == "none":
        return select(rows.c.pid).where(rows.c.band.is_(None))
    return select(rows.c.pid).where(rows.c.band == band)


def due_by(ctx: Ctx, day: date) -> list[Standing]:
    """Everyone not archived whose clock runs out on or before `day` (snoozed people included),
    but for those booked: a catch-up planned ahead is not one to remind of (the feed and the
    .ics export read this)."""
    people = select(Person.id).where(Person.owner_id == ctx.owner_id, Person.archived.is_(False))
    checked = _checked_by(ctx, day)
    if checked is not None:
        people = people.where(Person.id.in_(checked))
    rows = standing_rows(ctx, people=people)
    today = ctx.today()
    found = _read(ctx, _query(rows, today, rows.c.due_n <= day_of(day)))
    return [s for s in found if not s.is_booked(today)]
