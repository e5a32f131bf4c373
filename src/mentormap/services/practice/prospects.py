"""Prospects: people who could become a sponsor, mentor, role model, visionary or champion,
cultivated stage by stage until the role is given (domain/practice.py holds the steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from mentormap.domain.practice import (
    ROLE_OF,
    STAGE_LABEL,
    ProspectAs,
    ProspectStage,
    next_step,
    parse_prospect_as,
    parse_stage,
)
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Person, Prospect, Role
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.people.people import add_person
from mentormap.services.people.resolve import find_person
from mentormap.services.people.roles import give_role


@dataclass
class ProspectView:
    id: int
    person_id: int
    name: str
    as_role: str = field(metadata={"key": "as"})
    stage: str
    stage_label: str
    next_step: str
    why: str | None
    noticed_on: date
    moved_on: date


@dataclass
class ProspectAdded:
    view: ProspectView
    created_person: bool  # the name was new: a person was added for her


@dataclass
class ProspectMoved:
    view: ProspectView
    role: Role | None  # the role given on reaching `role_given`


def _view(prospect: Prospect, name: str) -> ProspectView:
    stage, as_ = ProspectStage(prospect.stage), ProspectAs(prospect.as_role)
    return ProspectView(
        id=prospect.id,
        person_id=prospect.person_id,
        name=name,
        as_role=as_.value,
        stage=stage.value,
        stage_label=STAGE_LABEL[stage],
        next_step=next_step(stage, as_, name.split()[0] if name.strip() else name),
        why=prospect.why,
        noticed_on=prospect.noticed_on,
        moved_on=prospect.moved_on,
    )


def view_of(ctx: Ctx, prospect: Prospect) -> ProspectView:
    name = ctx.session.scalar(select(Person.name).where(Person.id == prospect.person_id)) or ""
    return _view(prospect, name)


def _person_or_new(ctx: Ctx, name: str) -> tuple[Person, bool]:
    """The person the name means; a name that matches no one becomes a new person.

    An ambiguous name is refused with its candidates (find_person), never guessed.
    """
    try:
        return find_person(ctx, name), False
    except NotFound:
        text = " ".join(name.split())
        if not text or (text.startswith("#") and text[1:].isdigit()) or "@" in text:
            raise
        return add_person(ctx, text), True


def add_prospect(
    ctx: Ctx, name: str, as_: str, *, why: str | None = None, stage: str | None = None
) -> ProspectAdded:
    kind = parse_prospect_as(as_)
    at = parse_stage(stage) if stage else ProspectStage.NOTICED
    person, created = _person_or_new(ctx, name)
    existing = _prospect_of(ctx, person)
    if existing is not None:
        raise InvalidInput(
            f"{person.name} is already a prospect ({STAGE_LABEL[ProspectStage(existing.stage)]}"
            "); move her with `prospect move`."
        )
    prospect = Prospect(
        owner_id=ctx.owner_id,
        person_id=person.id,
        as_role=kind.value,
        stage=at.value,
        why=" ".join((why or "").split()) or None,
        noticed_on=ctx.today(),
        moved_on=ctx.today(),
    )
    ctx.session.add(prospect)
    ctx.session.flush()
    if at == ProspectStage.ROLE_GIVEN:
        give_role(ctx, person, ROLE_OF[kind])
    return ProspectAdded(_view(prospect, person.name), created)


def _prospect_of(ctx: Ctx, person: Person) -> Prospect | None:
    return ctx.session.scalar(
        select(Prospect).where(Prospect.owner_id == ctx.owner_id, Prospect.person_id == person.id)
    )


def find_prospect(ctx: Ctx, name: str) -> Prospect:
    person = find_person(ctx, name)
    prospect = _prospect_of(ctx, person)
    if prospect is None:
        raise NotFound(f"{person.name} is not among your prospects (`prospect add` her).")
    return prospect


def get_prospect(ctx: Ctx, prospect_id: int) -> Prospect:
    return get_owned(ctx, Prospect, prospect_id, f"No prospect with id {prospect_id}.")


def list_prospects(ctx: Ctx) -> list[ProspectView]:
    """Every prospect, furthest along first, then by name."""
    rows = ctx.session.execute(
        select(Prospect, Person.name)
        .join(Person, Person.id == Prospect.person_id)
        .where(Prospect.owner_id == ctx.owner_id)
        .order_by(Person.name_key)
    ).all()
    order = {stage.value: index for index, stage in enumerate(ProspectStage)}
    views = [_view(prospect, name) for prospect, name in rows]
    views.sort(key=lambda v: -order[v.stage])
    return views


def move_prospect(ctx: Ctx, prospect: Prospect, stage: str) -> ProspectMoved:
    """Move to `stage`; reaching `role_given` gives her the role, its clock started at the
    first contact logged with her (give_role's rule without `since`)."""
    to = parse_stage(stage)
    prospect.stage = to.value
    prospect.moved_on = ctx.today()
    role = None
    person = ctx.session.get(Person, prospect.person_id)
    assert person is not None
    if to == ProspectStage.ROLE_GIVEN:
        role = give_role(ctx, person, ROLE_OF[ProspectAs(prospect.as_role)])
    ctx.session.flush()
    return ProspectMoved(_view(prospect, person.name), role)


def edit_prospect(
    ctx: Ctx, prospect: Prospect, *, as_: str | None = None, why: str | None = None
) -> ProspectView:
    if as_ is not None:
        prospect.as_role = parse_prospect_as(as_).value
    if why is not None:
        prospect.why = " ".join(why.split()) or None
    ctx.session.flush()
    return view_of(ctx, prospect)


def drop_prospect(ctx: Ctx, prospect: Prospect) -> str:
    """Forget the prospect (the person and any role she was given stay)."""
    name = view_of(ctx, prospect).name
    ctx.session.delete(prospect)
    ctx.session.flush()
    return name
