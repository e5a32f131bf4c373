"""The favours ledger: given and received, the loop of a received one, and reciprocity.

A received favour runs received → acted on → reported back (the seed: follow up on the favour,
then let the giver know that you did). Each step closes its follow-up and opens the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, delete, func, select

from mentormap.domain.vocab import FavourDirection, FavourKind, FavourState, parse_choice
from mentormap.errors import InvalidInput
from mentormap.models import Favour, FollowUp, Interaction, Person
from mentormap.services.clock.followups import (
    ACT_ON_FAVOUR,
    ACT_WITHIN_DAYS,
    REPORT_BACK,
    REPORT_WITHIN_DAYS,
    add_follow_up,
    close_favour_step,
    not_after_today,
    say_thank_you,
)
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned

# Reciprocity: flag a tie once she has done this many more favours for you than you for her.
TAKEN_MUCH_MARGIN = 2


@dataclass
class FavourView:
    id: int
    person_id: int
    name: str
    direction: str
    kind: str
    description: str
    occurred_on: date
    state: str
    acted_on: date | None
    reported_on: date | None
    next_step: str | None  # what the loop still asks of you


@dataclass
class Reciprocity:
    person_id: int
    name: str
    received: int
    given: int
    open_loops: int  # received favours not yet reported back
    taken_much: bool
    prompt: str | None


def _next_step(favour: Favour, first_name: str) -> str | None:
    if favour.state == FavourState.RECEIVED.value:
        return "Act on it."
    if favour.state == FavourState.ACTED_ON.value:
        return f"Tell {first_name} what came of it."
    return None


def _view(favour: Favour, name: str) -> FavourView:
    return FavourView(
        id=favour.id,
        person_id=favour.person_id,
        name=name,
        direction=favour.direction,
        kind=favour.kind,
        description=favour.description,
        occurred_on=favour.occurred_on,
        state=favour.state,
        acted_on=favour.acted_on,
        reported_on=favour.reported_on,
        next_step=_next_step(favour, name.split()[0] if name else name),
    )


def view_of(ctx: Ctx, favour: Favour) -> FavourView:
    name = ctx.session.scalar(select(Person.name).where(Person.id == favour.person_id)) or ""
    return _view(favour, name)


def add_favour(
    ctx: Ctx,
    person: Person,
    description: str,
    *,
    direction: str = FavourDirection.RECEIVED.value,
    kind: str = FavourKind.OTHER.value,
    on: date | None = None,
    acted_on: date | None = None,
    reported_on: date | None = None,
    interaction: Interaction | None = None,
) -> Favour:
    """Record a favour. A received one opens its loop (and a thank-you) unless already closed.

    `acted_on` and `reported_on` let the user record an old favour whose loop is long done.
    """
    text = " ".join(description.split())
    if not text:
        raise InvalidInput("Describe the favour, e.g. 'introduced me to the CFP chair'.")
    way = parse_choice(FavourDirection, direction, "direction")
    what = parse_choice(FavourKind, kind, "favour kind")
    day = on or (interaction.occurred_on if interaction else ctx.today())
    not_after_today(ctx, day, "The favour's date")
    if way == FavourDirection.GIVEN and (acted_on or reported_on):
        raise InvalidInput("Only a favour you received is acted on and reported back.")
    _check_order(ctx, day, acted_on, reported_on)
    state = FavourState.GIVEN if way == FavourDirection.GIVEN else FavourState.RECEIVED
    if reported_on is not None:
        state = FavourState.REPORTED_BACK
        acted_on = acted_on or reported_on
    elif acted_on is not None:
        state = FavourState.ACTED_ON
    favour = Favour(
        owner_id=ctx.owner_id,
        person_id=person.id,
        direction=way.value,
        kind=what.value,
        description=text,
        occurred_on=day,
        state=state.value,
        acted_on=acted_on,
        reported_on=reported_on,
        interaction_id=interaction.id if interaction else None,
    )
    ctx.session.add(favour)
    ctx.session.flush()
    if state == FavourState.RECEIVED:
        add_follow_up(
            ctx,
            f"Act on it: {_lower_first(text)}",
            person=person,
            due_on=max(day + timedelta(days=ACT_WITHIN_DAYS), ctx.today()),
            rule=ACT_ON_FAVOUR,
            favour=favour,
        )
    elif state == FavourState.ACTED_ON:
        _open_report_back(ctx, favour, person)
    if way == FavourDirection.RECEIVED and state != FavourState.REPORTED_BACK:
        say_thank_you(ctx, person, interaction=interaction, favour=favour, because=_label(what))
    return favour


def _lower_first(text: str) -> str:
    # "Introduced me to…" reads as "Act on it: introduced me to…"; keep "API" or "CFP" intact.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _label(kind: FavourKind) -> str:
    return "favour" if kind == FavourKind.OTHER else kind.value.replace("_", " ")


def _check_order(ctx: Ctx, day: date, acted_on: date | None, reported_on: date | None) -> None:
    not_after_today(ctx, acted_on, "Acted-on date")
    not_after_today(ctx, reported_on, "Reported-back date")
    if acted_on is not None and acted_on < day:
        raise InvalidInput("You cannot act on a favour before you received it.")
    if reported_on is not None and reported_on < (acted_on or day):
        raise InvalidInput("You cannot report back before you acted on the favour.")


def _open_report_back(ctx: Ctx, favour: Favour, person: Person) -> None:
    acted = favour.acted_on or ctx.today()
    add_follow_up(
        ctx,
        f"Tell {person.name.split()[0]} what came of it: {_lower_first(favour.description)}",
        person=person,
        due_on=max(acted + timedelta(days=REPORT_WITHIN_DAYS), ctx.today()),
        rule=REPORT_BACK,
        favour=favour,
    )


def get_favour(ctx: Ctx, favour_id: int) -> Favour:
    return get_owned(ctx, Favour, favour_id, f"No favour with id {favour_id}.")


def remove_favour(ctx: Ctx, favour: Favour) -> FavourView:
    """Forget a favour recorded by mistake, with the follow-ups its loop opened (thank her, act
    on it, tell her). Conversations stay, the telling logged by `mark_reported` too."""
    view = view_of(ctx, favour)
    ctx.session.execute(
        delete(FollowUp).where(FollowUp.owner_id == ctx.owner_id, FollowUp.favour_id == favour.id)
    )
    ctx.session.delete(favour)
    ctx.session.flush()
    return view


def mark_acted(ctx: Ctx, favour: Favour, on: date | None = None) -> Favour:
    """You followed up on the favour: closes "act on it", opens "tell the giver"."""
    if favour.state != FavourState.RECEIVED.value:
        raise InvalidInput(_state_message(favour, "acted on"))
    day = on or ctx.today()
    _check_order(ctx, favour.occurred_on, day, None)
    favour.acted_on = day
    favour.state = FavourState.ACTED_ON.value
    close_favour_step(ctx, favour, ACT_ON_FAVOUR)
    _open_report_back(ctx, favour, favour.person)
    return favour


def mark_reported(
    ctx: Ctx,
    favour: Favour,
    on: date | None = None,
    log_kind: str | None = "message",
    note: str | None = None,
) -> tuple[Favour, Interaction | None]:
    """You told the giver what came of it: closes the loop, and logs the telling by default.

    `note` (what came of it, in your words) goes into the logged telling's notes.
    """
    note = " ".join((note or "").split()) or None
    if note and not log_kind:
        raise InvalidInput("The note is kept with the logged telling; drop --no-log to keep it.")
    if favour.state != FavourState.ACTED_ON.value:
        if favour.state == FavourState.RECEIVED.value:
            raise InvalidInput(
                f"Act on favour #{favour.id} first (`mentormap favour acted {favour.id}`), "
                "then tell the giver."
            )
        raise InvalidInput(_state_message(favour, "reported back"))
    day = on or ctx.today()
    _check_order(ctx, favour.occurred_on, favour.acted_on, day)
    favour.reported_on = day
    favour.state = FavourState.REPORTED_BACK.value
    close_favour_step(ctx, favour, REPORT_BACK)
    logged = None
    if log_kind:
        from mentormap.services.conversations.interactions import log_interaction

        logged = log_interaction(
            ctx,
            [favour.person],
            kind=log_kind,
            on=day,
            direction="outbound",
            notes=f"Told them what came of: {favour.description}" + (f"\n\n{note}" if note else ""),
        )
    return favour, logged


def _state_message(favour: Favour, step: str) -> str:
    if favour.direction == FavourDirection.GIVEN.value:
        return f"Favour #{favour.id} is one you gave; only received favours are {step}."
    return f"Favour #{favour.id} is already {favour.state.replace('_', ' ')}."


def list_favours(
    ctx: Ctx,
    *,
    person: Person | None = None,
    direction: str | None = None,
    open_only: bool = False,
) -> list[FavourView]:
    """Favours newest first; `open_only` keeps received ones whose loop is still open."""
    query = (
        select(Favour, Person.name)
        .join(Person, Person.id == Favour.person_id)
        .where(Favour.owner_id == ctx.owner_id)
    )
    if person is not None:
        query = query.where(Favour.person_id == person.id)
    if direction:
        query = query.where(
            Favour.direction == parse_choice(FavourDirection, direction, "direction").value
        )
    if open_only:
        query = query.where(
            Favour.state.in_([FavourState.RECEIVED.value, FavourState.ACTED_ON.value])
        )
    query = query.order_by(Favour.occurred_on.desc(), Favour.id.desc())
    return [_view(favour, name) for favour, name in ctx.session.execute(query)]


def reciprocity(ctx: Ctx) -> list[Reciprocity]:
    """Per person: favours received and given, in one GROUP BY; the most lopsided first."""
    received = func.sum(case((Favour.direction == FavourDirection.RECEIVED.value, 1), else_=0))
    given = func.sum(case((Favour.direction == FavourDirection.GIVEN.value, 1), else_=0))
    still_open = func.sum(
        case(
            (Favour.state.in_([FavourState.RECEIVED.value, FavourState.ACTED_ON.value]), 1),
            else_=0,
        )
    )
    rows = ctx.session.execute(
        select(Person.id, Person.name, received, given, still_open)
        .join(Favour, Favour.person_id == Person.id)
        .where(Favour.owner_id == ctx.owner_id, Person.archived.is_(False))
        .group_by(Person.id, Person.name)
    ).all()
    result = []
    for person_id, name, got, gave, loops in rows:
        taken_much = got - gave >= TAKEN_MUCH_MARGIN
        prompt = None
        if taken_much:
            prompt = (
                f"{name} has done {got} favours for you, you {gave} for them: look for a way "
                "to help, such as an introduction, some information or a recommendation."
            )
        elif got > gave:
            prompt = f"Keep an eye out for a way to help {name}."
        result.append(
            Reciprocity(
                person_id=person_id,
                name=name,
                received=int(got),
                given=int(gave),
                open_loops=int(loops),
                taken_much=taken_much,
                prompt=prompt,
            )
        )
    result.sort(key=lambda r: (r.given - r.received, r.name))
    return result
