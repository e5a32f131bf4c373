"""Who is due, and who visits soon: the keep-in-touch queries, in SQL (owed replies: owed_replies).

The cadence rules are documented in `mentormap.domain.cadence`; this module states them as SQL so
that the daily agenda is a few aggregate queries whatever the size of the network: no per-person
loop ever touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
)

from mentormap.domain.cadence import Warmth, standing
from mentormap.domain.roles import CATALOGUE, CONTACT_CADENCE_DAYS, RoleKey
from mentormap.domain.suggestions import GROUP_ACTION, suggestion, visit_suggestion
from mentormap.models import (
    Group,
    GroupMember,
    Interaction,
    Person,
    Preference,
    Role,
    Trip,
)
from mentormap.services.context import Ctx

AnySelect = Select[*tuple[Any, ...]]

VISIT_HORIZON_DAYS = 14
WARMTH_ORDER = {Warmth.WARM: 0, Warmth.COOLING: 1, Warmth.COLD: 2, Warmth.DORMANT: 3}


@dataclass
class DueEntry:
    """A person (or a peer group) whose cadence has run out."""

    kind: str  # "person" or "group"
    id: int
    name: str
    roles: list[str]
    warmth: Warmth
    due_on: date
    days_overdue: int
    cadence_days: int
    last_contact_on: date | None  # None: never in touch since the tie began
    suggestion: str
    preferred_format: str | None
    preferred_time: str | None
    company: str | None
    rank: int  # lower: closer or more career-critical role


@dataclass
class Standing:
    """Where one person stands: the numbers behind her place (or absence) in the agenda."""

    cadence_days: int | None  # None: no clock (mentee, coach, or a peer kept by her group)
    since: date | None
    due_on: date | None
    warmth: Warmth | None
    snoozed_until: date | None
    archived: bool


@dataclass
class Visit:
    trip_id: int
    person_id: int
    name: str
    city: str
    start_on: date
    end_on: date
    note: str | None
    suggestion: str


# --- the clock, in SQL ---------------------------------------------------------------------


def days_between(ctx: Ctx, start: ColumnElement[Any], end: date) -> ColumnElement[Any]:
    """Whole days from a date column to `end`, on SQLite (julianday) or PostgreSQL (date - date)."""
    if ctx.session.get_bind().dialect.name == "sqlite":
        return func.julianday(end.isoformat()) - func.julianday(start)
    return cast(literal(end, Date) - start, Integer)


def _role_columns(ctx: Ctx, today: date) -> tuple[Any, Any, Any]:
    """Per person, from her active roles: the shortest clocked cadence, earliest start, best rank.

    Correlated subqueries on ix_roles_person_key: each costs one index probe per person, so the
    pre-filter in `due_people_query` keeps the work proportional to the people possibly due.
    """
    defaults = {i.key.value: i.cadence_days for i in CATALOGUE.values() if i.cadence_days}
    ranks = {info.key.value: info.rank for info in CATALOGUE.values()}
    in_group = (
        select(GroupMember.id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(
            GroupMember.person_id == Role.person_id,
            GroupMember.until.is_(None),
            Group.archived.is_(False),
        )
        .exists()
    )
    role_cadence = case(
        # A peer in an active group is kept warm by the group's own cadence.
        (and_(Role.key == RoleKey.PEER.value, Role.cadence_days.is_(None), in_group), null()),
        else_=func.coalesce(Role.cadence_days, case(defaults, value=Role.key, else_=null())),
    )
    active = and_(
        Role.person_id == Person.id,
        Role.owner_id == ctx.owner_id,
        Role.since <= today,
        or_(Role.until.is_(None), Role.until > today),
    )
    cadence = select(func.min(role_cadence)).where(active).scalar_subquery()
    since = select(func.min(Role.since)).where(active).scalar_subquery()
    rank = select(func.min(case(ranks, value=Role.key, else_=99))).where(active).scalar_subquery()
    return cadence, since, rank


def person_clock(ctx: Ctx, today: date) -> AnySelect:
    """Every person's effective cadence and clock start, as one query (no filter on due)."""
    role_cadence, role_since, role_rank = _role_columns(ctx, today)
    cadence = case(
        (Person.cadence_days.is_not(None), Person.cadence_days),
        (role_since.is_(None), CONTACT_CADENCE_DAYS),  # no active role: a contact
        else_=role_cadence,
    ).label("cadence")
    since = func.coalesce(
        Person.last_contact_on,
        role_since,
        Person.met_on,
        func.date(Person.created_at),
        type_=Date,
    ).label("since")
    return select(
        Person.id,
        Person.name,
        Person.company,
        Person.preferred_format,
        Person.preferred_time,
        Person.last_contact_on,
        Person.snoozed_until,
        Person.archived,
        cadence,
        since,
        func.coalesce(role_rank, CATALOGUE[RoleKey.CONTACT].rank).label("rank"),
    ).where(Person.owner_id == ctx.owner_id)


def shortest_cadence(ctx: Ctx) -> int:
    """The shortest cadence anyone can have: nobody in touch more recently than this is due."""
    catalogue = min(i.cadence_days for i in CATALOGUE.values() if i.cadence_days)
    people = ctx.session.scalar(
        select(func.min(Person.cadence_days)).where(Person.owner_id == ctx.owner_id)
    )
    roles = ctx.session.scalar(
        select(func.min(Role.cadence_days)).where(Role.owner_id == ctx.owner_id)
    )
    return min(c for c in (catalogue, people, roles) if c is not None)


def due_people_query(ctx: Ctx, today: date) -> AnySelect:
    """The main agenda query: people whose cadence has run out by `today`.

    Pre-filter: someone in touch within the shortest cadence anyone has cannot be due, and
    ix_people_owner_archived_last finds the rest by a range scan, so the per-person cadence
    subqueries run only for those.
    """
    quiet_since = today - timedelta(days=shortest_cadence(ctx))
    clock = (
        person_clock(ctx, today)
        .where(
            Person.archived.is_(False),
            or_(Person.last_contact_on.is_(None), Person.last_contact_on <= quiet_since),
            or_(Person.snoozed_until.is_(None), Person.snoozed_until <= today),
        )
        .subquery("clock")
    )
    return select(clock).where(
        clock.c.cadence.is_not(None), days_between(ctx, clock.c.since, today) >= clock.c.cadence
    )


def _entry(row: Any, today: date, roles: list[str]) -> DueEntry:
    where = standing(row.since, row.cadence, today)
    return DueEntry(
        kind="person",
        id=row.id,
        name=row.name,
        roles=roles,
        warmth=where.warmth,
        due_on=where.due_on,
        days_overdue=(today - where.due_on).days,
        cadence_days=row.cadence,
        last_contact_on=row.last_contact_on,
        suggestion=suggestion(
            roles,
            row.preferred_format,
            row.preferred_time,
            dormant=where.warmth == Warmth.DORMANT,
        ),
        preferred_format=row.preferred_format,
        preferred_time=row.preferred_time,
        company=row.company,
        rank=row.rank,
    )


def due_people(ctx: Ctx, with_roles: bool = True) -> list[DueEntry]:
    """Everyone due today, warmest band first, then by role rank and the longest overdue.

    `with_roles=False` skips the role lookup (and role-specific wording) for callers that only
    count or rank; `fill_roles` completes chosen entries later.
    """
    today = ctx.today()
    rows = ctx.session.execute(due_people_query(ctx, today)).all()
    entries = [_entry(row, today, []) for row in rows]
    entries.sort(key=lambda e: (WARMTH_ORDER[e.warmth], e.rank, -e.days_overdue, e.name))
    if with_roles:
        fill_roles(ctx, entries)
    return entries


def fill_roles(ctx: Ctx, entries: list[DueEntry]) -> None:
    """Add role keys, and the role-specific suggestion, to the person entries given."""
    from mentormap.services.people import roles_by_person

    people = [e for e in entries if e.kind == "person" and not e.roles]
    ids = [e.id for e in people]
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 900):
        found.update(roles_by_person(ctx, ids[start : start + 900]))
    for entry in people:
        entry.roles = found.get(entry.id, [])
        entry.suggestion = suggestion(
            entry.roles,
            entry.preferred_format,
            entry.preferred_time,
            dormant=entry.warmth == Warmth.DORMANT,
        )


def due_groups(ctx: Ctx) -> list[DueEntry]:
    """Peer groups whose own cadence has run out since their last session."""
    today = ctx.today()
    last_session = (
        select(func.max(Interaction.occurred_on))
        .where(Interaction.group_id == Group.id)
        .scalar_subquery()
    )
    first_member = (
        select(func.min(GroupMember.since))
        .where(GroupMember.group_id == Group.id, GroupMember.until.is_(None))
        .scalar_subquery()
    )
    rows = ctx.session.execute(
        select(Group.id, Group.name, Group.cadence_days, Group.session_minutes, last_session)
        .add_columns(func.coalesce(last_session, first_member, type_=Date).label("since"))
        .where(Group.owner_id == ctx.owner_id, Group.archived.is_(False))
    ).all()
    entries = []
    for group_id, name, cadence, minutes, last_on, since in rows:
        if since is None:
            continue  # no members, no sessions: nothing to keep warm
        where = standing(since, cadence, today)
        if where.due_on > today:
            continue
        entries.append(
            DueEntry(
                kind="group",
                id=group_id,
                name=name,
                roles=[RoleKey.PEER.value],
                warmth=where.warmth,
                due_on=where.due_on,
                days_overdue=(today - where.due_on).days,
                cadence_days=cadence,
                last_contact_on=last_on,
                suggestion=f"{GROUP_ACTION} Sessions run {minutes} minutes.",
                preferred_format=None,
                preferred_time=None,
                company=None,
                rank=CATALOGUE[RoleKey.PEER].rank,
            )
        )
    return entries


def standing_of(ctx: Ctx, person: Person) -> Standing:
    """One person's effective cadence, clock start, due date and warmth (same SQL as the agenda)."""
    today = ctx.today()
    row = ctx.session.execute(person_clock(ctx, today).where(Person.id == person.id)).one()
    if row.cadence is None:
        return Standing(None, row.since, None, None, row.snoozed_until, row.archived)
    where = standing(row.since, row.cadence, today)
    return Standing(
        row.cadence, row.since, where.due_on, where.warmth, row.snoozed_until, row.archived
    )


# --- visits ---------------------------------------------------------------------------------


def visiting_soon(ctx: Ctx, horizon_days: int = VISIT_HORIZON_DAYS) -> list[Visit]:
    """Contacts whose visit to your city overlaps today and the next `horizon_days` days.

    With a home city set (`mentormap config set home_city …`), visits elsewhere are left out.
    """
    today = ctx.today()
    query = (
        select(Trip, Person.name, Person.preferred_format)
        .join(Person, Person.id == Trip.person_id)
        .where(
            Trip.owner_id == ctx.owner_id,
            Trip.person_id.is_not(None),
            Trip.start_on <= today + timedelta(days=horizon_days),
            Trip.end_on >= today,
            Person.archived.is_(False),
        )
        .order_by(Trip.start_on, Person.name)
    )
    home = ctx.session.scalar(
        select(Preference.value).where(
            Preference.owner_id == ctx.owner_id, Preference.key == "home_city"
        )
    )
    if home:
        query = query.where(func.lower(Trip.city) == home.split(",")[0].strip().lower())
    rows = ctx.session.execute(query).all()
    return [
        Visit(
            trip_id=trip.id,
            person_id=trip.person_id or 0,
            name=name,
            city=trip.city,
            start_on=trip.start_on,
            end_on=trip.end_on,
            note=trip.note,
            suggestion=visit_suggestion(trip.city, preferred_format),
        )
        for trip, name, preferred_format in rows
    ]


# --- dormant ties ---------------------------------------------------------------------------


def employer(ctx: Ctx) -> str | None:
    return ctx.session.scalar(
        select(Preference.value).where(
            Preference.owner_id == ctx.owner_id, Preference.key == "employer"
        )
    )


def reconnect_suggestions(
    ctx: Ctx, due: list[DueEntry] | None = None, limit: int | None = 3
) -> list[DueEntry]:
    """Dormant ties worth reviving, ranked by `domain.suggestions.reconnect_key` (novelty first)."""
    from mentormap.domain.suggestions import reconnect_key

    entries = due if due is not None else due_people(ctx, with_roles=False)
    mine = (employer(ctx) or "").strip().lower()
    dormant = [e for e in entries if e.kind == "person" and e.warmth == Warmth.DORMANT]
    dormant.sort(
        key=lambda e: reconnect_key(
            outside_employer=not mine or (e.company or "").strip().lower() != mine,
            since=e.due_on - timedelta(days=e.cadence_days),
            name=e.name,
        )
    )
    picked = dormant if limit is None else dormant[:limit]
    fill_roles(ctx, picked)
    return picked
