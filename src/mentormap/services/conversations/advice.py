"""Advice, taken with a grain of salt: record it, later say whether you followed it and
whether it helped, and see whose advice tends to work for you."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, case, delete, func, select

from mentormap.domain.vocab import FollowUpState
from mentormap.errors import InvalidInput
from mentormap.models import Advice, FollowUp, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned

TELL_IT_HELPED_WITHIN_DAYS = 7


@dataclass
class AdviceView:
    id: int
    person: str
    given_on: date
    text: str
    followed: bool | None
    helped: bool | None
    reviewed_on: date | None
    note: str | None


@dataclass
class AdviserScore:
    """How one person's advice has worked out for you, over the advice you reviewed.

    It measures the fit with your situation, not the adviser: advice is taken with a grain of
    salt, and what one person needs another may not.
    """

    person: str
    given: int
    reviewed: int
    followed: int
    helped: int
    # Share of the advice you followed that worked for you; None until something was followed.
    hit_rate: float | None


def add_advice(
    ctx: Ctx,
    person: Person,
    text: str,
    *,
    on: date | None = None,
    interaction_id: int | None = None,
) -> Advice:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("Advice needs some text.")
    day = on or ctx.today()
    if day > ctx.today():
        raise InvalidInput(f"{day.isoformat()} is in the future.")
    advice = Advice(
        owner_id=ctx.owner_id,
        person_id=person.id,
        text=cleaned,
        given_on=day,
        interaction_id=interaction_id,
    )
    ctx.session.add(advice)
    ctx.session.flush()
    return advice


def _view(advice: Advice, name: str) -> AdviceView:
    return AdviceView(
        id=advice.id,
        person=name,
        given_on=advice.given_on,
        text=advice.text,
        followed=advice.followed,
        helped=advice.helped,
        reviewed_on=advice.reviewed_on,
        note=advice.note,
    )


def list_advice(
    ctx: Ctx, *, pending_only: bool = False, person: Person | None = None
) -> list[AdviceView]:
    """Oldest first: the advice waiting longest for a verdict comes up first."""
    query = (
        select(Advice, Person.name)
        .join(Person, Person.id == Advice.person_id)
        .where(Advice.owner_id == ctx.owner_id)
    )
    if pending_only:
        query = query.where(Advice.reviewed_on.is_(None))
    if person is not None:
        query = query.where(Advice.person_id == person.id)
    rows = ctx.session.execute(query.order_by(Advice.given_on, Advice.id)).all()
    return [_view(advice, name) for advice, name in rows]


def get_advice(ctx: Ctx, advice_id: int) -> Advice:
    return get_owned(ctx, Advice, advice_id, f"No advice #{advice_id}.")


def review_advice(
    ctx: Ctx,
    advice_id: int,
    *,
    followed: bool,
    helped: bool | None,
    note: str | None = None,
) -> AdviceView:
    """Record the verdict. Advice you did not follow cannot have helped, so `helped` is None."""
    advice = get_advice(ctx, advice_id)
    if followed and helped is None:
        raise InvalidInput("Say whether the advice helped: --helped or --no-help.")
    newly_helped = bool(followed and helped) and advice.helped is not True
    advice.followed = followed
    advice.helped = helped if followed else None
    advice.reviewed_on = ctx.today()
    if note is not None:
        advice.note = note.strip() or None
    ctx.session.flush()
    if newly_helped:
        _tell_her_it_helped(ctx, advice)
    return _view(advice, advice.person.name)


def _tell_her_it_helped(ctx: Ctx, advice: Advice) -> None:
    """Advice that worked is worth a note to the one who gave it: a follow-up to send it."""
    from mentormap.services.clock.followups import ADVICE_HELPED, add_follow_up

    add_follow_up(
        ctx,
        _helped_title(advice),
        person=advice.person,
        due_on=ctx.today() + timedelta(days=TELL_IT_HELPED_WITHIN_DAYS),
        rule=ADVICE_HELPED,
    )


def _helped_title(advice: Advice) -> str:
    return f"Tell {advice.person.name.split()[0]} her advice helped: {_short(advice.text)}"


def remove_advice(ctx: Ctx, advice: Advice) -> AdviceView:
    """Forget advice recorded by mistake, and the open "tell her it helped" it asked for; the
    conversation it was given in stays."""
    from mentormap.services.clock.followups import ADVICE_HELPED

    view = _view(advice, advice.person.name)
    ctx.session.execute(
        delete(FollowUp).where(
            FollowUp.owner_id == ctx.owner_id,
            FollowUp.person_id == advice.person_id,
            FollowUp.rule == ADVICE_HELPED,
            FollowUp.state == FollowUpState.OPEN.value,
            FollowUp.title == _helped_title(advice),
        )
    )
    ctx.session.delete(advice)
    ctx.session.flush()
    return view


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def adviser_scores(ctx: Ctx) -> list[AdviserScore]:
    """Per person, in one GROUP BY: best hit rate first, then most advice followed."""

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    followed = count_if(Advice.followed.is_(True))
    helped = count_if(Advice.helped.is_(True))
    rows = ctx.session.execute(
        select(
            Person.name,
            func.count(Advice.id),
            count_if(Advice.reviewed_on.is_not(None)),
            followed,
            helped,
        )
        .join(Person, Person.id == Advice.person_id)
        .where(Advice.owner_id == ctx.owner_id)
        .group_by(Person.id, Person.name)
    ).all()
    scores = [
        AdviserScore(
            person=name,
            given=int(given),
            reviewed=int(reviewed or 0),
            followed=int(n_followed or 0),
            helped=int(n_helped or 0),
            hit_rate=(n_helped or 0) / n_followed if n_followed else None,
        )
        for name, given, reviewed, n_followed, n_helped in rows
    ]
    scores.sort(key=lambda s: (s.hit_rate is None, -(s.hit_rate or 0), -s.followed, s.person))
    return scores
