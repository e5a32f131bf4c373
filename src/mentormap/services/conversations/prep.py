"""A brief for the next conversation: who she is, what happened, what is open, what to bring."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, exists, func, select

from mentormap.domain.practice import STILL_OPEN
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.domain.vocab import (
    POSITIVE_ACTION_PREFIX,
    POSITIVE_ACTION_RULE,
    FavourDirection,
    FavourState,
)
from mentormap.errors import InvalidInput
from mentormap.models import (
    Expense,
    Favour,
    FollowUp,
    Group,
    Interaction,
    LifeEvent,
    Opportunity,
    OpportunityPass,
    Person,
    Role,
)
from mentormap.services.clock.standing import standing_of
from mentormap.services.context import Ctx
from mentormap.services.conversations import achievements as achievement_service
from mentormap.services.conversations import goals as goal_service
from mentormap.services.conversations.agenda_points import AgendaPointView, Target, list_points
from mentormap.services.conversations.group_sessions import SessionPlan, plan
from mentormap.services.conversations.interactions import timeline, views_of
from mentormap.services.people.groups import current_members
from mentormap.services.views import InteractionView

RECENT_INTERACTIONS = 5
EXCERPT_CHARS = 160
NEWS_LOOKBACK_DAYS = 365
GIVEN_LOOKBACK_DAYS = 180


@dataclass
class RecentView:
    id: int
    occurred_on: date
    kind: str
    direction: str
    excerpt: str | None


@dataclass
class LoopView:
    source: str  # follow_up | favour
    id: int
    text: str
    due_on: date | None = None


@dataclass
class RoleBrief:
    key: str
    label: str
    note: str | None
    bring: list[str]  # the catalogue's guidance for this role
    specifics: list[str]  # drawn from your data: challenges, achievements, thanks...
    watch_out: list[str]
    time_box_minutes: int


@dataclass
class MemberView:
    name: str
    city: str | None
    local_time: str | None


@dataclass
class Brief:
    name: str
    is_group: bool
    roles: list[str]
    company: str | None = None
    title: str | None = None
    city: str | None = None
    country: str | None = None
    timezone: str | None = None
    local_time: str | None = None  # e.g. "Thu 05:12"
    hours_from_you: float | None = None
    preferred_format: str | None = None
    preferred_time: str | None = None
    last_contact_on: date | None = None
    days_since_contact: int | None = None
    recent: list[RecentView] = field(default_factory=list)
    personal_details: str | None = None
    news: list[dict[str, Any]] = field(default_factory=list)
    i_owe: list[LoopView] = field(default_factory=list)
    they_owe: list[LoopView] = field(default_factory=list)
    agenda: list[AgendaPointView] = field(default_factory=list)
    bring: list[RoleBrief] = field(default_factory=list)
    time_box_minutes: int | None = None
    members: list[MemberView] = field(default_factory=list)
    schedule: SessionPlan | None = None
    standing: dict[str, Any] = field(default_factory=dict)  # `services.clock.standing`, a person's
    asks_this_year: int | None = None  # favours asked of a visionary since 1 January


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str | None:
    if not text:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _local_clock(ctx: Ctx, zone_name: str | None) -> tuple[str | None, float | None]:
    if not zone_name:
        return None, None
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        return None, None
    mine = ctx.now()
    theirs = mine.astimezone(zone)
    mine_offset = mine.utcoffset() or timedelta()
    their_offset = theirs.utcoffset() or timedelta()
    return theirs.strftime("%a %H:%M"), (their_offset - mine_offset).total_seconds() / 3600


def _recent(items: list[InteractionView]) -> list[RecentView]:
    return [RecentView(i.id, i.occurred_on, i.kind, i.direction, excerpt(i.notes)) for i in items]


def _loops(ctx: Ctx, person: Person) -> tuple[list[LoopView], list[LoopView]]:
    """Open follow-ups both ways, and favours whose loop is still open."""
    mine: list[LoopView] = []
    theirs: list[LoopView] = []
    for item in ctx.session.scalars(
        select(FollowUp)
        .where(
            FollowUp.owner_id == ctx.owner_id,
            FollowUp.person_id == person.id,
            FollowUp.state == "open",
        )
        .order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.id)
    ):
        target = mine if item.owed_by == "me" else theirs
        target.append(LoopView("follow_up", item.id, item.title, item.due_on))
    # A favour already tracked by an open follow-up is listed once, through that follow-up.
    tracked = exists().where(FollowUp.favour_id == Favour.id, FollowUp.state == "open")
    first = person.name.split()[0]
    for favour in ctx.session.scalars(
        select(Favour)
        .where(Favour.owner_id == ctx.owner_id, Favour.person_id == person.id, ~tracked)
        .order_by(Favour.occurred_on, Favour.id)
    ):
        if favour.state == FavourState.RECEIVED.value:
            mine.append(
                LoopView("favour", favour.id, f"Act on {first}'s favour: {favour.description}")
            )
        elif favour.state == FavourState.ACTED_ON.value:
            mine.append(
                LoopView("favour", favour.id, f"Tell {first} what came of: {favour.description}")
            )
        elif (
            favour.state == FavourState.GIVEN.value
            and favour.occurred_on >= ctx.today() - timedelta(days=GIVEN_LOOKBACK_DAYS)
        ):
            theirs.append(
                LoopView(
                    "favour",
                    favour.id,
                    f"You did for {first}: {favour.description}; ask how it went",
                )
            )
    return mine, theirs


def _received_recently(ctx: Ctx, person: Person) -> list[Favour]:
    return list(
        ctx.session.scalars(
            select(Favour)
            .where(
                Favour.owner_id == ctx.owner_id,
                Favour.person_id == person.id,
                Favour.direction == FavourDirection.RECEIVED.value,
                Favour.occurred_on >= ctx.today() - timedelta(days=NEWS_LOOKBACK_DAYS),
            )
            .order_by(Favour.occurred_on.desc())
        )
    )


def _asks_this_year(ctx: Ctx, person: Person) -> int:
    """Favours she did for you since 1 January: a visionary should not be asked too much."""
    start = ctx.today().replace(month=1, day=1)
    return (
        ctx.session.scalar(
            select(func.count(Favour.id)).where(
                Favour.owner_id == ctx.owner_id,
                Favour.person_id == person.id,
                Favour.direction == FavourDirection.RECEIVED.value,
                Favour.occurred_on >= start,
            )
        )
        or 0
    )


def _challenges(ctx: Ctx) -> list[str]:
    found = [g.title for g in goal_service.top_challenges(ctx)]
    return found or ['No challenge recorded yet: `mentormap goal add --challenge --top "…"`.']


def _achievement_lines(ctx: Ctx, person: Person) -> list[str]:
    pending = achievement_service.unshared_with(ctx, person)
    if not pending:
        return [f"No new achievements since you last shared some with {person.name.split()[0]}."]
    return [f"Achievement to share: {a.title} ({a.occurred_on.isoformat()})" for a in pending]


def _specifics(ctx: Ctx, person: Person, role: Role, brief: Brief) -> list[str]:
    """What to bring to this role, from your own records."""
    key = RoleKey(role.key)
    first = person.name.split()[0]
    if key == RoleKey.ROLE_MODEL:
        return [f"Challenge: {c}" for c in _challenges(ctx)]
    if key == RoleKey.VISIONARY:
        brief.asks_this_year = _asks_this_year(ctx, person)
        lines = [
            f"Asked of {first} this year: {brief.asks_this_year} favour(s); "
            "her time is scarce, so make each ask count."
        ]
        lines += [f"Strategic question: {p.text}" for p in brief.agenda]
        lines += [f"Where you are heading: {g.title}" for g in goal_service.open_goals(ctx)]
        lines += _achievement_lines(ctx, person)
        lines.append(f'Short of time? Send `mentormap highlights "{person.name}"` instead.')
        return lines
    if key == RoleKey.SPONSOR:
        lines = _achievement_lines(ctx, person)
        lines += [f"Thank {first} for: {f.description}" for f in _received_recently(ctx, person)]
        return lines
    if key == RoleKey.FRIEND:
        actions = ctx.session.execute(
            select(FollowUp.title, FollowUp.owed_by).where(
                FollowUp.owner_id == ctx.owner_id,
                FollowUp.person_id == person.id,
                FollowUp.rule == POSITIVE_ACTION_RULE,
                FollowUp.state == "open",
            )
        ).all()
        lines = [
            (
                "Check on the positive action you committed to: "
                if owed_by == "me"
                else f"Ask how {first}'s positive action went: "
            )
            + title.removeprefix(POSITIVE_ACTION_PREFIX)
            for title, owed_by in actions
        ]
        lines.append(
            f'Vent, then each name one positive action: `mentormap log "{person.name}" '
            f'--action "…" --their-action "{first}: …"` keeps both as follow-ups.'
        )
        return lines
    if key == RoleKey.MENTEE:
        concerns = ctx.session.scalars(
            select(Interaction.notes)
            .where(
                Interaction.owner_id == ctx.owner_id,
                Interaction.needs_reply.is_(True),
                Interaction.participants.any(person_id=person.id),
            )
            .order_by(Interaction.occurred_on.desc())
        ).all()
        lines = [f"{first}'s open question: {excerpt(c)}" for c in concerns if c]
        lines += [f"Praise {first}'s news: {e['text']}" for e in brief.news]
        opportunities = ctx.session.scalars(
            select(Opportunity.title).where(
                Opportunity.owner_id == ctx.owner_id,
                Opportunity.status.in_(STILL_OPEN),
                Opportunity.deadline >= ctx.today(),
                Opportunity.id.not_in(
                    select(OpportunityPass.opportunity_id).where(
                        OpportunityPass.person_id == person.id
                    )
                ),
            )
        ).all()
        lines += [f"Could you put {first} forward for: {o}?" for o in opportunities]
        lines += _mentor_side(ctx, person, first)
        lines.append(f"Ask what {first} is proud of since you last spoke; can you sponsor it?")
        return lines
    if key == RoleKey.COACH:
        lines = [f"The task: {role.note}" if role.note else "Name the task before you book."]
        spent = ctx.session.execute(
            select(Expense.currency, func.sum(Expense.amount))
            .where(Expense.owner_id == ctx.owner_id, Expense.person_id == person.id)
            .group_by(Expense.currency)
        ).all()
        lines += [f"Spent with {first} so far: {cur} {total}" for cur, total in spent]
        return lines
    if key == RoleKey.CHAMPION:
        brought = ctx.session.execute(
            select(Opportunity.title, Opportunity.status).where(
                Opportunity.owner_id == ctx.owner_id, Opportunity.brought_by_id == person.id
            )
        ).all()
        return [
            f"{first} brought: {title} ({status}); say what came of it" for title, status in brought
        ]
    if key == RoleKey.PEER:
        return [f"Pressing problem: {c}" for c in _challenges(ctx)[:1]]
    return []


PREP_STORIES = 2


def _mentor_side(ctx: Ctx, person: Person, first: str) -> list[str]:
    """From the mentor's side (services/practice): her goals and achievements to praise, what
    the user pointed her at, and a failure story or two to be open about."""
    from mentormap.services.practice.mentoring import mentee_view

    view = mentee_view(ctx, person)
    lines = [f"{first}'s goal: {g.text}" for g in view.goals[:2]]
    lines += [f"Praise, and showcase to others: {a.text}" for a in view.achievements[:3]]
    lines += [
        f"You pointed {first} at {p.title} ({p.status}); ask how it is going"
        for p in view.passed_on[:3]
    ]
    for story in view.stories[:PREP_STORIES]:
        lesson = f" (what you learnt: {story.lesson})" if story.lesson else ""
        lines.append(f"Be open about failure: {story.text}{lesson}")
    return lines


def _role_brief(key: RoleKey, note: str | None, specifics: list[str]) -> RoleBrief:
    info = CATALOGUE[key]
    return RoleBrief(
        key=key.value,
        label=info.label,
        note=note,
        bring=list(info.bring),
        specifics=specifics,
        watch_out=list(info.watch_out),
        time_box_minutes=info.time_box_minutes,
    )


def _news_item(ctx: Ctx, event: LifeEvent, name: str) -> dict[str, Any]:
    """A life event for the brief; recent news (services/people/lives.py) carries a prompt."""
    from mentormap.domain.lives import congratulate
    from mentormap.services.people.lives import NEWS_DAYS

    recent = event.occurred_on is not None and (
        0 <= (ctx.today() - event.occurred_on).days < NEWS_DAYS
    )
    return {
        "on": event.occurred_on,
        "kind": event.kind,
        "text": event.text,
        "prompt": congratulate(event.kind, name) if recent else None,
    }


def person_brief(ctx: Ctx, person: Person) -> Brief:
    roles = sorted(
        ctx.session.scalars(select(Role).where(Role.person_id == person.id, Role.until.is_(None))),
        key=lambda r: (CATALOGUE[RoleKey(r.key)].rank, r.key),
    )
    local_time, offset = _local_clock(ctx, person.timezone)
    last = person.last_contact_on
    news_from = ctx.today() - timedelta(days=NEWS_LOOKBACK_DAYS)
    news = ctx.session.scalars(
        select(LifeEvent)
        .where(
            LifeEvent.person_id == person.id,
            LifeEvent.owner_id == ctx.owner_id,
            (LifeEvent.occurred_on.is_(None)) | (LifeEvent.occurred_on >= news_from),
        )
        .order_by(LifeEvent.occurred_on.desc())
    )
    brief = Brief(
        name=person.name,
        is_group=False,
        roles=[CATALOGUE[RoleKey(r.key)].label for r in roles],
        company=person.company,
        title=person.title,
        city=person.city,
        country=person.country,
        timezone=person.timezone,
        local_time=local_time,
        hours_from_you=offset,
        preferred_format=person.preferred_format,
        preferred_time=person.preferred_time,
        last_contact_on=last,
        days_since_contact=(ctx.today() - last).days if last else None,
        recent=_recent(timeline(ctx, person, limit=RECENT_INTERACTIONS)),
        personal_details=person.personal_details,
        news=[_news_item(ctx, e, person.name) for e in news],
        agenda=list_points(ctx, Target(person=person)),
        standing=standing_of(ctx, person).as_json(),
    )
    brief.i_owe, brief.they_owe = _loops(ctx, person)
    brief.bring = [
        _role_brief(RoleKey(r.key), r.note, _specifics(ctx, person, r, brief)) for r in roles
    ]
    if not roles:
        brief.bring = [_role_brief(RoleKey.CONTACT, None, [])]
    brief.time_box_minutes = brief.bring[0].time_box_minutes
    return brief


def group_brief(ctx: Ctx, group: Group) -> Brief:
    members = current_members(ctx, group)
    last_session = ctx.session.scalar(
        select(func.max(Interaction.occurred_on)).where(
            Interaction.owner_id == ctx.owner_id, Interaction.group_id == group.id
        )
    )
    recent = ctx.session.scalars(
        select(Interaction)
        .where(Interaction.owner_id == ctx.owner_id, Interaction.group_id == group.id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        .limit(RECENT_INTERACTIONS)
    ).all()
    brief = Brief(
        name=group.name,
        is_group=True,
        roles=[CATALOGUE[RoleKey.PEER].label],
        last_contact_on=last_session,
        days_since_contact=(ctx.today() - last_session).days if last_session else None,
        recent=_recent(views_of(ctx, list(recent))),
        agenda=list_points(ctx, Target(group=group)),
        members=[MemberView(m.name, m.city, _local_clock(ctx, m.timezone)[0]) for m in members],
        time_box_minutes=group.session_minutes,
    )
    brief.i_owe = [
        LoopView("follow_up", f.id, f.title, f.due_on)
        for f in ctx.session.scalars(
            select(FollowUp).where(
                FollowUp.owner_id == ctx.owner_id,
                FollowUp.group_id == group.id,
                FollowUp.state == "open",
            )
        )
    ]
    member_ids = [m.id for m in members]
    given = ctx.session.execute(
        select(Person.name, Favour.description)
        .join(Person, Person.id == Favour.person_id)
        .where(
            and_(
                Favour.owner_id == ctx.owner_id,
                Favour.person_id.in_(member_ids),
                Favour.direction == FavourDirection.GIVEN.value,
            )
        )
        .order_by(Favour.occurred_on.desc())
    ).all()
    specifics = [f"Pressing problem: {c}" for c in _challenges(ctx)[:1]]
    specifics += [f"Connection you made before: {who}: {what}" for who, what in given]
    specifics.append("Think of one introduction you can offer each member present.")
    brief.bring = [_role_brief(RoleKey.PEER, group.note, specifics)]
    if members:
        try:
            brief.schedule = plan(ctx, group)
        except InvalidInput:
            brief.schedule = None  # too many members for the session length: no fair plan
    return brief
