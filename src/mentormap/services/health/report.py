"""Network health: where the network is thin, each finding with its reason and a next step.

Every number comes from a handful of aggregate queries (roles joined to people, conversation
counts grouped by person, favour and expense totals, attribute counts); the scoring itself is
plain Python over those rows. Warmth, due dates and the clocks behind them are each person's
standing (`services.clock.standing`), today and on past days alike: nothing here works them
out again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Float, case, cast, func, literal, or_, select

from mentormap.domain.cadence import Warmth
from mentormap.domain.health import (
    ADHERENCE_DAYS,
    ADHERENCE_TARGET,
    CONCENTRATION_LIMIT,
    COVERAGE,
    DOMINANCE_LIMIT,
    EVENNESS_TARGET,
    HISTORY_MONTHS,
    MENTOR_ROLES,
    OUTSIDE_TARGET,
    RING_OF,
    Area,
    Finding,
    HealthReport,
    OrbitPoint,
    WarmthMonth,
    evenness,
    month_end,
)
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.models import (
    Group,
    GroupMember,
    Person,
    PersonAttribute,
    Role,
)
from mentormap.services.clock.standing import clock_rows
from mentormap.services.context import Ctx
from mentormap.services.health.credits import champion_credits
from mentormap.services.health.ledger import money, reciprocity
from mentormap.services.health.spans import cadence_figures, conversations_with, refresh
from mentormap.services.preferences import all_preferences
from mentormap.services.sql import day_of

_CLOSENESS = {k.value: (RING_OF[k], CATALOGUE[k].rank) for k in RoleKey}  # ring, then rank
_RING = {k.value: RING_OF[k] for k in RoleKey}


@dataclass
class _Member:
    """One active, unarchived person who holds at least one role (or sits in a peer group)."""

    id: int
    name: str
    company: str | None
    roles: set[str] = field(default_factory=set)

    def closest_role(self) -> str:
        return min(self.roles, key=_CLOSENESS.__getitem__)


def _members(ctx: Ctx) -> dict[int, _Member]:
    # Core rows straight from the connection: twenty thousand of them go through the ORM's
    # result machinery noticeably slower, and nothing here needs mapped objects. (A bare
    # connection does not autoflush, hence the flush.)
    ctx.session.flush()
    conn = ctx.session.connection()
    rows = conn.execute(
        select(
            Person.id,
            Person.name,
            Person.company,
            Role.key,
        )
        .join(Role, Role.person_id == Person.id)
        .where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            Role.owner_id == ctx.owner_id,
            Role.since <= ctx.today(),
            or_(Role.until.is_(None), Role.until > ctx.today()),
        )
    )
    members: dict[int, _Member] = {}
    for pid, name, company, key in rows:
        members.setdefault(pid, _Member(pid, name, company)).roles.add(key)
    # Members of an active peer group count as peers even without the role.
    peers = conn.execute(
        select(Person.id, Person.name, Person.company)
        .join(GroupMember, GroupMember.person_id == Person.id)
        .join(Group, Group.id == GroupMember.group_id)
        .where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            GroupMember.until.is_(None),
            Group.archived.is_(False),
        )
        .distinct()
    )
    for pid, name, company in peers:
        members.setdefault(pid, _Member(pid, name, company)).roles.add(RoleKey.PEER.value)
    return members


def _is_inside(company: str | None, employer: str | None) -> bool:
    return bool(employer and company and company.strip().lower() == employer.strip().lower())


# --- the areas --------------------------------------------------------------------------------


def _missing(title: str) -> str:
    """'A sponsor' → 'No sponsor'; 'Mentees' → 'No mentees'."""
    for article in ("A ", "An "):
        if title.startswith(article):
            return "No " + title[len(article) :]
    return "No " + title[0].lower() + title[1:]


def _coverage(members: dict[int, _Member], employer: str | None) -> tuple[Area, list[Finding]]:
    held: dict[str, list[str]] = defaultdict(list)
    for m in members.values():
        for key in m.roles:
            held[key].append(m.name)
            if key == RoleKey.FRIEND and not _is_inside(m.company, employer):
                held["friend_outside"].append(m.name)
    held["coach_or_champion"] = held[RoleKey.COACH] + held[RoleKey.CHAMPION]
    findings = []
    covered = 0
    for key, title, reason, action in COVERAGE:
        names = sorted(held[key])
        ok = bool(names)
        covered += ok
        findings.append(
            Finding(
                area="coverage",
                key=f"coverage.{key}",
                ok=ok,
                title=f"{title}: {', '.join(names[:3])}" if ok else _missing(title),
                reason=reason,
                action=None if ok else action,
            )
        )
    score = round(100 * covered / len(COVERAGE))
    area = Area(
        "coverage",
        "Role coverage",
        score,
        f"{covered} of {len(COVERAGE)} kinds of people in your network.",
        {k: sorted(held[k]) for k, *_rest in COVERAGE},
    )
    return area, findings


def _concentration(ctx: Ctx, since: date) -> tuple[Area, list[Finding]]:
    # The conversations are counted in the kept stretches (one begins on each day she was in
    # touch): a few rows per mentor instead of a walk through each one's interactions.
    mentors = select(Role.person_id).where(
        Role.owner_id == ctx.owner_id,
        Role.key.in_([k.value for k in MENTOR_ROLES]),
        Role.until.is_(None),
    )
    talks = conversations_with(ctx, mentors, since, ctx.today())
    rows = ctx.session.execute(
        select(Person.name, talks.c.n)
        .join(Person, Person.id == talks.c.pid)
        .where(Person.archived.is_(False))
        .order_by(talks.c.n.desc(), Person.name)
    ).all()
    total = sum(n for _name, n in rows)
    reason = (
        "No one person can be your one and only mentor: different people help with different "
        "parts of a career, and a single voice narrows the advice you hear."
    )
    if total == 0:
        finding = Finding(
            "concentration",
            "concentration.none",
            False,
            "No mentoring conversations in the last year",
            reason,
            "Book a conversation with a role model, sponsor or visionary this month.",
        )
        return Area("concentration", "Concentration", 0, "No mentoring conversations.", {}), [
            finding
        ]
    top_name, top_n = rows[0]
    share = top_n / total
    ok = share <= CONCENTRATION_LIMIT and len(rows) > 1
    score = round(100 * min(1.0, (1 - share) / (1 - CONCENTRATION_LIMIT / 1.25)))
    finding = Finding(
        "concentration",
        "concentration.one_mentor",
        ok,
        f"{round(share * 100)}% of mentoring conversations are with {top_name}",
        reason,
        None if ok else "Take your next question to a different mentor than usual.",
    )
    details = {"conversations": total, "by_person": {name: n for name, n in rows}}
    summary = f"{total} mentoring conversations with {len(rows)} people in the last year."
    return Area("concentration", "Concentration", score, summary, details), [finding]


def _inside_outside(
    members: dict[int, _Member], employer: str | None
) -> tuple[Area, list[Finding]]:
    reason = (
        "Colleagues share your company context, but some matters — harassment, for one — are "
        "safer to think through with someone outside first; an outside network also outlasts "
        "any one job."
    )
    if not employer:
        finding = Finding(
            "inside_outside",
            "inside_outside.employer_unset",
            False,
            "Your employer is not set, so inside and outside cannot be told apart",
            reason,
            "Run `mentormap config set employer 'Your Company'`.",
        )
        return Area("inside_outside", "Inside vs outside", None, "Employer not set.", {}), [finding]
    close = [m for m in members.values() if set(m.roles) - {RoleKey.CONTACT.value}]
    inside = sum(_is_inside(m.company, employer) for m in close)
    outside = len(close) - inside
    share = outside / len(close) if close else 0.0
    ok = share >= OUTSIDE_TARGET
    finding = Finding(
        "inside_outside",
        "inside_outside.mostly_inside",
        ok,
        f"{outside} of {len(close)} people in your close circle are outside {employer}",
        reason,
        None if ok else "Reconnect with a former colleague or a friend in another company.",
    )
    area = Area(
        "inside_outside",
        "Inside vs outside",
        round(100 * min(1.0, share / OUTSIDE_TARGET)),
        f"{inside} inside {employer}, {outside} outside.",
        {"employer": employer, "inside": inside, "outside": outside},
    )
    return area, [finding]


def _perspectives(ctx: Ctx) -> tuple[Area, list[Finding]]:
    rows = ctx.session.execute(
        select(PersonAttribute.key, PersonAttribute.value, func.count())
        .join(Person, Person.id == PersonAttribute.person_id)
        .where(PersonAttribute.owner_id == ctx.owner_id, Person.archived.is_(False))
        .group_by(PersonAttribute.key, PersonAttribute.value)
        .order_by(PersonAttribute.key, func.count().desc())
    ).all()
    reason = (
        "A network drawn from one kind of person gives one kind of advice; noticing the gaps "
        "lets you seek out the missing views. These dimensions are yours, kept on this machine."
    )
    if not rows:
        return Area(
            "perspectives", "Perspectives", None, "No dimensions recorded (optional).", {}
        ), [
            Finding(
                "perspectives",
                "perspectives.none",
                True,
                "No perspective dimensions recorded — entirely optional",
                reason,
            )
        ]
    dims: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value, count in rows:
        dims[key][value] = int(count)
    findings, scores, details = [], [], {}
    for key, counts in dims.items():
        even = evenness(list(counts.values()))
        scores.append(even)
        top, top_n = max(counts.items(), key=lambda kv: kv[1])
        share = top_n / sum(counts.values())
        details[key] = {"counts": counts, "evenness": round(even, 2)}
        ok = even >= EVENNESS_TARGET and share < DOMINANCE_LIMIT
        findings.append(
            Finding(
                "perspectives",
                f"perspectives.{key}",
                ok,
                f"{key}: {round(share * 100)}% {top} (evenness {even:.2f})",
                reason,
                None
                if ok
                else f"Widen your {key} mix: only {sum(counts.values()) - top_n} of "
                f"{sum(counts.values())} are not '{top}'; ask a peer group for introductions.",
            )
        )
    score = round(100 * sum(scores) / len(scores))
    return Area(
        "perspectives",
        "Perspectives",
        score,
        f"{len(dims)} dimension{'s' if len(dims) != 1 else ''} recorded: {', '.join(dims)}.",
        details,
    ), findings


def _bands(ctx: Ctx) -> dict[int, str]:
    """Every unarchived person on a clock, with her warmth today: the kept clocks the long lists
    read (`clock_rows`), the same clock `standings` gives."""
    ctx.session.flush()
    rows = clock_rows(ctx)
    found = ctx.session.connection().execute(
        select(rows.c.pid, rows.c.band)
        .join(Person, Person.id == rows.c.pid)
        .where(
            Person.owner_id == ctx.owner_id, Person.archived.is_(False), rows.c.band.is_not(None)
        )
    )
    return {pid: band for pid, band in found}


def _cadence(
    ctx: Ctx, bands: dict[int, str], checkpoints: list[date]
) -> tuple[Area, list[Finding], list[WarmthMonth]]:
    today = checkpoints[-1]
    clocked = list(bands.values())
    first = today - timedelta(days=ADHERENCE_DAYS - 1)
    figures = cadence_figures(ctx, checkpoints[:-1], first, today)
    counts = {w: clocked.count(w.value) for w in Warmth}
    history = [
        *figures.history,
        WarmthMonth(
            today,
            counts[Warmth.WARM],
            counts[Warmth.COOLING],
            counts[Warmth.COLD],
            counts[Warmth.DORMANT],
        ),
    ]
    inside, eligible = figures.inside, figures.held
    share = inside / eligible if eligible else 1.0
    coldest = _most_overdue(ctx, today)
    ok = share >= ADHERENCE_TARGET
    finding = Finding(
        "cadence",
        "cadence.adherence",
        ok,
        f"People on a clock were inside their cadence {round(share * 100)}% of the last "
        f"{ADHERENCE_DAYS} days",
        "A network is kept, not collected: regular pings and lunches stop ties going cold.",
        None
        if ok
        else "Catch up with " + (", ".join(coldest) if coldest else "whoever is most overdue"),
    )
    area = Area(
        "cadence",
        "Cadence",
        round(100 * share) if eligible else None,
        f"{len(clocked)} people on a clock; {round(share * 100)}% of days inside cadence."
        if eligible
        else "Nobody on a clock yet.",
        {"adherence": round(share, 3), "coldest": coldest},
    )
    return area, [finding], history


def _most_overdue(ctx: Ctx, today: date, limit: int = 3) -> list[str]:
    """Names furthest past their due date, measured in cadences, as `today` lists them: not
    snoozed, and people whose clock is a closer role's than a contact's first."""
    rows = clock_rows(ctx)
    silent = literal(day_of(today)) - rows.c.start_n
    only_contact = or_(rows.c.role.is_(None), rows.c.role == RoleKey.CONTACT.value)
    query = (
        select(Person.name)
        .select_from(rows)
        .join(Person, Person.id == rows.c.pid)
        .where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            rows.c.cadence.is_not(None),
            silent > rows.c.cadence,
            or_(Person.snoozed_until.is_(None), Person.snoozed_until <= today),
        )
        .order_by(
            case((only_contact, 1), else_=0),
            (cast(silent, Float) / rows.c.cadence).desc(),
            Person.name,
        )
        .limit(limit)
    )
    return list(ctx.session.scalars(query))


def network_health(ctx: Ctx) -> HealthReport:
    """The whole report: a score per area, findings, and the data for both charts."""
    today = ctx.today()
    prefs = all_preferences(ctx)
    employer = prefs.get("employer")
    members = _members(ctx)
    checkpoints = [month_end(today, back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
    year_ago = today - timedelta(days=365)
    refresh(ctx, min(checkpoints[0], year_ago))  # the kept history the parts below read
    parts = [
        _coverage(members, employer),
        _concentration(ctx, year_ago),
        _inside_outside(members, employer),
        _perspectives(ctx),
        reciprocity(ctx, today),
    ]
    parts[-1][1].extend(champion_credits(ctx))
    bands = _bands(ctx)
    cadence_area, cadence_findings, history = _cadence(ctx, bands, checkpoints)
    parts.append((cadence_area, cadence_findings))
    parts.append(money(ctx, prefs, today))
    areas = [area for area, _f in parts]
    findings = [f for _a, fs in parts for f in fs]
    scored = [a.score for a in areas if a.score is not None]
    orbit = []
    for m in sorted(members.values(), key=lambda m: m.name):
        role = m.closest_role()
        band = bands.get(m.id)
        orbit.append(OrbitPoint(m.id, m.name, role, _RING[role], band))
    return HealthReport(
        on=today,
        people=len(members),
        overall=round(sum(scored) / len(scored)) if scored else None,
        areas=areas,
        findings=sorted(findings, key=lambda f: f.ok),
        orbit=orbit,
        warmth_history=history,
    )
