"""Opportunities: CFPs, conferences, programs, projects and roles, who brought each, what came
of it, and which mentees the user pointed at one (sponsoring when she can)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from mentormap.domain.links import is_safe_link
from mentormap.domain.practice import (
    DEADLINE_HORIZON_DAYS,
    STILL_OPEN,
    OpportunityKind,
    OpportunityStatus,
)
from mentormap.domain.roles import RoleKey
from mentormap.domain.vocab import parse_choice
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import FollowUp, Opportunity, OpportunityPass, Person, Role
from mentormap.services.clock.followups import say_thank_you
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.sql import AnySelect

UNSET = object()  # "leave as it is", distinct from None ("clear it")


@dataclass
class OpportunityView:
    id: int
    title: str
    kind: str
    from_name: str | None = field(metadata={"key": "from"})
    from_id: int | None
    deadline: date | None
    days_left: int | None
    status: str
    url: str | None
    note: str | None
    created_on: date
    passed_to: list[str] = field(default_factory=list)


@dataclass
class Updated:
    view: OpportunityView
    thank_you: FollowUp | None  # opened for the person who brought it, on acceptance
    thanks_already_open: bool = False


@dataclass
class PassedOn:
    opportunity_id: int
    title: str
    person_id: int
    name: str
    passed_on: date
    note: str | None
    status: str
    deadline: date | None


def _kind(value: str) -> str:
    return parse_choice(OpportunityKind, value, "opportunity kind").value


def _status(value: str) -> str:
    return parse_choice(OpportunityStatus, value, "status").value


def _title(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidInput("Name the opportunity, e.g. 'Platform Days CFP'.")
    return text


def _url(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not is_safe_link(text):
        raise InvalidInput(f"{text!r} is not a web address (http:// or https://).")
    return text


def add_opportunity(
    ctx: Ctx,
    title: str,
    *,
    kind: str = OpportunityKind.CFP.value,
    brought_by: Person | None = None,
    deadline: date | None = None,
    status: str = OpportunityStatus.CONSIDERING.value,
    url: str | None = None,
    note: str | None = None,
) -> Opportunity:
    opportunity = Opportunity(
        owner_id=ctx.owner_id,
        kind=_kind(kind),
        title=_title(title),
        url=_url(url),
        deadline=deadline,
        brought_by_id=brought_by.id if brought_by else None,
        status=_status(status),
        note=" ".join((note or "").split()) or None,
        created_on=ctx.today(),
    )
    ctx.session.add(opportunity)
    ctx.session.flush()
    return opportunity


def get_opportunity(ctx: Ctx, opportunity_id: int) -> Opportunity:
    return get_owned(ctx, Opportunity, opportunity_id, f"No opportunity with id {opportunity_id}.")


def update_opportunity(
    ctx: Ctx,
    opportunity: Opportunity,
    *,
    status: str | None = None,
    title: str | None = None,
    kind: str | None = None,
    deadline: date | object | None = UNSET,
    brought_by: Person | object | None = UNSET,
    note: str | None = None,
    url: str | None = None,
) -> Updated:
    """Change what is given. Becoming accepted opens a thank-you to whoever brought it."""
    before = opportunity.status
    if status is not None:
        opportunity.status = _status(status)
    if title is not None:
        opportunity.title = _title(title)
    if kind is not None:
        opportunity.kind = _kind(kind)
    if deadline is not UNSET:
        opportunity.deadline = deadline  # type: ignore[assignment]
    if brought_by is not UNSET:
        opportunity.brought_by_id = brought_by.id if isinstance(brought_by, Person) else None
    if note is not None:
        opportunity.note = " ".join(note.split()) or None
    if url is not None:
        opportunity.url = _url(url)
    ctx.session.flush()
    thanks, already = None, False
    accepted = OpportunityStatus.ACCEPTED.value
    if opportunity.status == accepted and before != accepted and opportunity.brought_by_id:
        giver = ctx.session.get(Person, opportunity.brought_by_id)
        assert giver is not None
        thanks = say_thank_you(ctx, giver, because=f"tip: {opportunity.title} (accepted)")
        already = thanks is None
    return Updated(view_of(ctx, opportunity), thanks, already)


def remove_opportunity(ctx: Ctx, opportunity: Opportunity) -> str:
    title = opportunity.title
    ctx.session.delete(opportunity)
    ctx.session.flush()
    return title


def _views(ctx: Ctx, query: AnySelect) -> list[OpportunityView]:
    today = ctx.today()
    rows = ctx.session.execute(query).all()
    ids = [o.id for o, _name in rows]
    passed: dict[int, list[str]] = {}
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        for opportunity_id, name in ctx.session.execute(
            select(OpportunityPass.opportunity_id, Person.name)
            .join(Person, Person.id == OpportunityPass.person_id)
            .where(OpportunityPass.opportunity_id.in_(chunk))
            .order_by(Person.name_key)
        ):
            passed.setdefault(opportunity_id, []).append(name)
    return [
        OpportunityView(
            id=o.id,
            title=o.title,
            kind=o.kind,
            from_name=name,
            from_id=o.brought_by_id,
            deadline=o.deadline,
            days_left=(o.deadline - today).days if o.deadline else None,
            status=o.status,
            url=o.url,
            note=o.note,
            created_on=o.created_on,
            passed_to=passed.get(o.id, []),
        )
        for o, name in rows
    ]


def list_opportunities(ctx: Ctx, status: str | None = None) -> list[OpportunityView]:
    """Open ones first by deadline (none last), then the rest, newest first."""
    query = (
        select(Opportunity, Person.name)
        .outerjoin(Person, Person.id == Opportunity.brought_by_id)
        .where(Opportunity.owner_id == ctx.owner_id)
        .order_by(Opportunity.id)
    )
    if status:
        query = query.where(Opportunity.status == _status(status))
    views = _views(ctx, query)
    far = date.max
    views.sort(
        key=lambda v: (
            v.status not in STILL_OPEN,
            (v.deadline or far) if v.status in STILL_OPEN else far,
            -v.created_on.toordinal(),
            -v.id,
        )
    )
    return views


def view_of(ctx: Ctx, opportunity: Opportunity) -> OpportunityView:
    query = (
        select(Opportunity, Person.name)
        .outerjoin(Person, Person.id == Opportunity.brought_by_id)
        .where(Opportunity.id == opportunity.id)
    )
    return _views(ctx, query)[0]


def deadlines(ctx: Ctx, days: int = DEADLINE_HORIZON_DAYS) -> list[OpportunityView]:
    """Open opportunities whose deadline falls in the next `days` (today included)."""
    today = ctx.today()
    query = (
        select(Opportunity, Person.name)
        .outerjoin(Person, Person.id == Opportunity.brought_by_id)
        .where(
            Opportunity.owner_id == ctx.owner_id,
            Opportunity.status.in_(STILL_OPEN),
            Opportunity.deadline >= today,
            Opportunity.deadline <= today + timedelta(days=days),
        )
        .order_by(Opportunity.deadline, Opportunity.id)
    )
    return _views(ctx, query)


# --- passing one on to a mentee ----------------------------------------------------------------


def is_mentee(ctx: Ctx, person: Person) -> bool:
    return (
        ctx.session.scalar(
            select(Role.id).where(
                Role.person_id == person.id,
                Role.key == RoleKey.MENTEE.value,
                Role.until.is_(None),
            )
        )
        is not None
    )


def pass_on(
    ctx: Ctx, opportunity: Opportunity, mentee: Person, note: str | None = None
) -> OpportunityPass:
    """Point a mentee at an opportunity; passing it again only updates the note."""
    if not is_mentee(ctx, mentee):
        raise InvalidInput(
            f"{mentee.name} is not your mentee; give her the role first "
            f"(`mentormap role add {mentee.name!r} mentee`)."
        )
    found = ctx.session.scalar(
        select(OpportunityPass).where(
            OpportunityPass.opportunity_id == opportunity.id,
            OpportunityPass.person_id == mentee.id,
        )
    )
    text = " ".join((note or "").split()) or None
    if found is None:
        found = OpportunityPass(
            owner_id=ctx.owner_id,
            opportunity_id=opportunity.id,
            person_id=mentee.id,
            passed_on=ctx.today(),
            note=text,
        )
        ctx.session.add(found)
    elif note is not None:
        found.note = text
    ctx.session.flush()
    return found


def unpass(ctx: Ctx, opportunity: Opportunity, mentee: Person) -> None:
    found = ctx.session.scalar(
        select(OpportunityPass).where(
            OpportunityPass.opportunity_id == opportunity.id,
            OpportunityPass.person_id == mentee.id,
        )
    )
    if found is None:
        raise NotFound(f"“{opportunity.title}” was not passed on to {mentee.name}.")
    ctx.session.delete(found)
    ctx.session.flush()


def passed_to(ctx: Ctx, person: Person) -> list[PassedOn]:
    """What the user pointed this mentee at, newest first."""
    rows = ctx.session.execute(
        select(OpportunityPass, Opportunity)
        .join(Opportunity, Opportunity.id == OpportunityPass.opportunity_id)
        .where(OpportunityPass.owner_id == ctx.owner_id, OpportunityPass.person_id == person.id)
        .order_by(OpportunityPass.passed_on.desc(), OpportunityPass.id.desc())
    ).all()
    return [
        PassedOn(
            opportunity_id=o.id,
            title=o.title,
            person_id=person.id,
            name=person.name,
            passed_on=p.passed_on,
            note=p.note,
            status=o.status,
            deadline=o.deadline,
        )
        for p, o in rows
    ]


def passes_of(ctx: Ctx, opportunity_id: int) -> list[PassedOn]:
    """The mentees one opportunity was passed on to."""
    rows = ctx.session.execute(
        select(OpportunityPass, Opportunity, Person.name)
        .join(Opportunity, Opportunity.id == OpportunityPass.opportunity_id)
        .join(Person, Person.id == OpportunityPass.person_id)
        .where(
            OpportunityPass.owner_id == ctx.owner_id,
            OpportunityPass.opportunity_id == opportunity_id,
        )
        .order_by(Person.name_key)
    ).all()
    return [
        PassedOn(o.id, o.title, p.person_id, name, p.passed_on, p.note, o.status, o.deadline)
        for p, o, name in rows
    ]
