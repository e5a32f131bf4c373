"""Who is due, and who visits soon: the daily agenda's entries (owed replies: owed_replies).

Who is due comes from `services.clock.standing`, the one computation of everyone's clock (its rules:
`domain.clock`); this module turns it into agenda entries, adds peer groups whose own sessions are
due, visitors, and dormant ties worth reviving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    func,
    select,
)

from mentormap.domain.cadence import Warmth, due_on, warmth
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.domain.suggestions import (
    GROUP_ACTION,
    suggestion,
    visit_suggestion,
    visit_while_away,
)
from mentormap.models import (
    Group,
    GroupMember,
    Interaction,
    Person,
    Trip,
)
from mentormap.services.clock.standing import Standing, due_briefs, due_with_details, standings
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference
from mentormap.services.sql import date_of, day_of

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
    reason: str = ""  # why she is due, in words (`services.clock.standing`)
    group_id: int | None = None  # a peer on her group's cadence: that group
    members: list[str] = field(default_factory=list)  # a group: members due with it
    # Where the reason comes from; it is put into words (`fill_roles`) only for entries shown.
    standing: Standing | None = field(default=None, repr=False, metadata={"json": False})


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


def _entry(where: Standing, bits: Any, today: date, roles: list[str]) -> DueEntry:
    assert where.due_on is not None and where.warmth is not None and where.cadence_days
    return DueEntry(
        kind="person",
        id=where.person_id,
        name=bits.name,
        roles=roles,
        warmth=where.warmth,
        due_on=where.due_on,
        days_overdue=where.days_overdue(today),
        cadence_days=where.cadence_days,
        last_contact_on=where.last_contact_on,
        suggestion=suggestion(
            roles,
            bits.preferred_format,
            bits.preferred_time,
            dormant=where.warmth == Warmth.DORMANT,
        ),
        preferred_format=bits.preferred_format,
        preferred_time=bits.preferred_time,
        company=bits.company,
        rank=where.rank,
        group_id=where.group_id,
        standing=where,
    )


def due_people(ctx: Ctx, with_roles: bool = True) -> list[DueEntry]:
    """Everyone due today (`services.clock.standing`), warmest band first, then by role rank and the
    longest overdue.

    `with_roles=False` skips the role lookup (and role-specific wording) for callers that only
    count or rank; `fill_roles` completes chosen entries later.
    """
    today = ctx.today()
    entries = [_entry(where, row, today, []) for where, row in due_with_details(ctx)]
    entries.sort(key=_due_order)
    if with_roles:
        fill_roles(ctx, entries)
    return entries


def agenda_key(warmth: Warmth, rank: int, days_overdue: int, name: str) -> tuple[Any, ...]:
    """The agenda's order of who is due: dormant ties last (they have their own list);
    otherwise by role, the coldest first in each, then the longest overdue."""
    return (warmth == Warmth.DORMANT, rank, -WARMTH_ORDER[warmth], -days_overdue, name)


@dataclass
class AgendaDue:
    """Who is due, as the agenda shows it (`agenda_due`)."""

    shown: list[DueEntry]
    reconnect: list[DueEntry]
    more: int  # active entries left out of `shown`
    more_dormant: int  # dormant ties neither shown nor suggested


def agenda_due(ctx: Ctx, limit: int | None, reconnect_limit: int) -> AgendaDue:
    """People and peer groups due, in `agenda_key` order, with dormant ties worth reviving.

    `limit` keeps the first few active entries (None: every entry, dormant ones included). The
    peers a due group stands for are named on its entry (`fold_into_groups`). Everyone due is
    ordered and counted from the light rows of `due_briefs`; whole entries, with her standing,
    are built only for those returned.
    """
    today_n = day_of(ctx.today())
    briefs = {row.pid: row for row in due_briefs(ctx)}
    groups = due_groups(ctx)
    built: dict[int, DueEntry] = {}
    if groups:
        # Folding a peer into her group compares her whole standing with the group's.
        peers = _entries(ctx, [b for b in briefs.values() if b.role == RoleKey.PEER.value])
        peers.sort(key=_due_order)  # as `due_people` lists them
        kept = {e.id for e in fold_into_groups([*peers, *groups]) if e.kind == "person"}
        for entry in peers:
            if entry.id in kept:
                built[entry.id] = entry
            else:
                del briefs[entry.id]
    items: list[tuple[tuple[Any, ...], Any]] = [
        (agenda_key(g.warmth, g.rank, g.days_overdue, g.name), g) for g in groups
    ]
    for row in briefs.values():
        key = agenda_key(Warmth(row.band), row.rank, today_n - row.due_n, row.name)
        items.append((key, row))
    items.sort(key=lambda item: item[0])
    active = [thing for key, thing in items if not key[0]]
    dormant = [thing for key, thing in items if key[0]]
    mine = _employer_key(ctx)
    asleep = [row for row in dormant if not isinstance(row, DueEntry)]
    asleep.sort(key=lambda row: _revival_key(mine, row.company, date_of(row.start_n), row.name))
    picked = asleep[:reconnect_limit]
    shown = [thing for _key, thing in items] if limit is None else active[:limit]
    wanted = [row for row in [*shown, *picked] if not isinstance(row, DueEntry)]
    built.update((e.id, e) for e in _entries(ctx, [r for r in wanted if r.pid not in built]))

    def whole(things: list[Any]) -> list[DueEntry]:
        found = (t if isinstance(t, DueEntry) else built.get(t.pid) for t in things)
        return [entry for entry in found if entry is not None]

    return AgendaDue(
        shown=whole(shown),
        reconnect=whole(picked),
        more=len(active) - len(shown) if limit is not None else 0,
        more_dormant=len(dormant) - len(picked),
    )


def _entries(ctx: Ctx, briefs: list[Any]) -> list[DueEntry]:
    """Whole entries, with each one's standing, for rows of `due_briefs`."""
    today = ctx.today()
    found = standings(ctx, [row.pid for row in briefs])
    return [_entry(found[row.pid], row, today, []) for row in briefs if row.pid in found]


def _due_order(entry: DueEntry) -> tuple[Any, ...]:
    """The due list's order: the warmest band first, then by role rank and the longest overdue."""
    return (WARMTH_ORDER[entry.warmth], entry.rank, -entry.days_overdue, entry.name)


def fill_roles(ctx: Ctx, entries: list[DueEntry]) -> None:
    """Add role keys, the role-specific suggestion and the reason to the person entries given."""
    from mentormap.services.people.people import roles_by_person

    for entry in entries:
        if entry.standing is not None and not entry.reason:
            entry.reason = entry.standing.reason
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
        due = due_on(since, cadence)
        if due > today:
            continue
        band = warmth((today - since).days, cadence)
        entries.append(
            DueEntry(
                kind="group",
                id=group_id,
                name=name,
                roles=[RoleKey.PEER.value],
                warmth=band,
                due_on=due,
                days_overdue=(today - due).days,
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


def fold_into_groups(entries: list[DueEntry]) -> list[DueEntry]:
    """Leave out the peers a due group entry already stands for.

    A peer who came to her group's last session is due exactly when the group is: booking the
    next session keeps her warm too, so she is named on the group's entry instead of on a line
    of her own. A peer who missed sessions (her clock started earlier) keeps her own line.
    """
    groups = {e.id: e for e in entries if e.kind == "group"}
    kept = []
    for entry in entries:
        group = groups.get(entry.group_id or -1) if entry.kind == "person" else None
        if group is not None and entry.last_contact_on == group.last_contact_on:
            group.members.append(entry.name)
        else:
            kept.append(entry)
    return kept


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
    home = get_preference(ctx, "home_city")
    if home:
        query = query.where(func.lower(Trip.city) == home.split(",")[0].strip().lower())
    rows = ctx.session.execute(query).all()
    away = _own_trips(ctx, today, max((trip.end_on for trip, _n, _f in rows), default=today))

    def advice(trip: Trip, preferred_format: str | None) -> str:
        # Your own trip over her stay: you will not be here to meet, so say so.
        for own in away:
            if own.start_on <= trip.end_on and trip.start_on <= own.end_on:
                return visit_while_away(
                    trip.city, (trip.start_on, trip.end_on), (own.city, own.start_on, own.end_on)
                )
        return visit_suggestion(trip.city, preferred_format)

    return [
        Visit(
            trip_id=trip.id,
            person_id=trip.person_id or 0,
            name=name,
            city=trip.city,
            start_on=trip.start_on,
            end_on=trip.end_on,
            note=trip.note,
            suggestion=advice(trip, preferred_format),
        )
        for trip, name, preferred_format in rows
    ]


def _own_trips(ctx: Ctx, first: date, last: date) -> list[Trip]:
    """Your own trips that overlap [first, last], in one query."""
    return list(
        ctx.session.scalars(
            select(Trip)
            .where(
                Trip.owner_id == ctx.owner_id,
                Trip.person_id.is_(None),
                Trip.start_on <= last,
                Trip.end_on >= first,
            )
            .order_by(Trip.start_on)
        )
    )


# --- dormant ties ---------------------------------------------------------------------------


def employer(ctx: Ctx) -> str | None:
    return get_preference(ctx, "employer")


def _employer_key(ctx: Ctx) -> str:
    return (employer(ctx) or "").strip().lower()


def _revival_key(mine: str, company: str | None, since: date, name: str) -> Any:
    """The order of dormant ties worth reviving (`domain.suggestions.reconnect_key`)."""
    from mentormap.domain.suggestions import reconnect_key

    return reconnect_key(
        outside_employer=not mine or (company or "").strip().lower() != mine,
        since=since,
        name=name,
    )


def reconnect_suggestions(
    ctx: Ctx, due: list[DueEntry] | None = None, limit: int | None = 3, *, fill: bool = True
) -> list[DueEntry]:
    """Dormant ties worth reviving, ranked by `domain.suggestions.reconnect_key` (novelty first).

    `fill=False` leaves `fill_roles` to a caller that fills these with other entries at once."""
    entries = due if due is not None else due_people(ctx, with_roles=False)
    mine = _employer_key(ctx)
    dormant = [e for e in entries if e.kind == "person" and e.warmth == Warmth.DORMANT]
    dormant.sort(
        key=lambda e: _revival_key(
            mine, e.company, e.due_on - timedelta(days=e.cadence_days), e.name
        )
    )
    picked = dormant if limit is None else dormant[:limit]
    if fill:
        fill_roles(ctx, picked)
    return picked
