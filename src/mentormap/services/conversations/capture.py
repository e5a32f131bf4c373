"""What a logged conversation leaves behind besides its notes: advice, favours, follow-ups,
the positive action after a vent, and the agenda points it covered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from mentormap.domain.capture import Captured, CapturedFavour, CapturedFollowUp, split_name
from mentormap.domain.durations import parse_date
from mentormap.domain.roles import RoleKey
from mentormap.domain.vocab import POSITIVE_ACTION_PREFIX, POSITIVE_ACTION_RULE
from mentormap.errors import InvalidInput, UserError
from mentormap.models import FollowUp, Group, Interaction, Person, Role
from mentormap.services.clock.favours import add_favour
from mentormap.services.clock.followups import say_thank_you
from mentormap.services.context import Ctx
from mentormap.services.conversations.advice import add_advice
from mentormap.services.conversations.agenda_points import mark_discussed, open_points_for
from mentormap.services.people.resolve import find_group, find_person, is_group_name

DEFAULT_FOLLOW_UP_DAYS = 7


@dataclass
class Extras:
    advice: list[tuple[str | None, str]] = field(default_factory=list)
    favours: list[CapturedFavour] = field(default_factory=list)
    follow_ups: list[CapturedFollowUp] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    # The positive actions the others named: (who, what), each a participant's to do.
    their_actions: list[tuple[str, str]] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)
    cover_all: bool = False
    # When the follow-ups and actions of this log fall due; else a week after the log's date.
    due_by: date | None = None


@dataclass
class ExtrasResult:
    advice: int = 0
    favours: int = 0
    follow_ups: int = 0
    actions: int = 0
    their_actions: int = 0
    covered: int = 0


def _who(people: list[Person], name: str | None, text: str, what: str) -> tuple[Person, str]:
    """Attribute an entry: 'Name: text' names one of those present; else the only one present.

    A leading 'word: ' that names nobody present is part of the text, not a name.
    """
    if name is not None:
        matches = _named(people, name)
        if len(matches) == 1:
            return matches[0], text
        text = f"{name}: {text}"
    if len(people) == 1:
        return people[0], text
    raise InvalidInput(
        f"Several people were there: write the {what} as 'Name: {excerpt_of(text)}'."
    )


def excerpt_of(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _participant(people: list[Person], name: str, what: str) -> Person:
    """The one participant `name` means (full or first name); else the participants, listed."""
    matches = _named(people, name)
    if len(matches) == 1:
        return matches[0]
    present = ", ".join(f"{p.name} (#{p.id})" for p in people) or "nobody"
    if matches:
        raise InvalidInput(f"{name!r} fits several who were there ({present}); write a full name.")
    raise InvalidInput(f"{name!r} was not there, so the {what} is not hers; there were: {present}.")


def _named(people: list[Person], name: str) -> list[Person]:
    """Those present whom `name` means: her full name or her first name, in any case."""
    wanted = name.strip().casefold()
    return [
        p for p in people if p.name.casefold() == wanted or p.name.casefold().split()[0] == wanted
    ]


def _due(text: str | None, today: date, default: date) -> tuple[date, bool]:
    """Parse a 'by …' date; a phrase that is not a date stays in the title (False)."""
    if not text:
        return default, True
    try:
        return parse_date(text, today), True
    except UserError:
        return default, False


def _friend_first(ctx: Ctx, people: list[Person]) -> Person:
    """The positive action belongs to the friend you vented with, if one was there."""
    from sqlalchemy import select

    friends = set(
        ctx.session.scalars(
            select(Role.person_id).where(
                Role.person_id.in_([p.id for p in people]),
                Role.key == RoleKey.FRIEND.value,
                Role.until.is_(None),
            )
        )
    )
    return next((p for p in people if p.id in friends), people[0])


def _own_action(ctx: Ctx, people: list[Person], action: str) -> tuple[Person, str]:
    """Your action is kept with the one it concerns: 'Name: …' when named, else the friend."""
    name, text = split_name(action)
    if name is not None:
        named = _named(people, name)
        if len(named) == 1:
            return named[0], text
    return _friend_first(ctx, people), action.strip()


def record_extras(
    ctx: Ctx, interaction: Interaction, people: list[Person], extras: Extras
) -> ExtrasResult:
    result = ExtrasResult()
    today = ctx.today()
    # Counted from the day it happened, so a conversation logged late is not given extra time.
    due_default = extras.due_by or interaction.occurred_on + timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    for name, text in extras.advice:
        person, what = _who(people, name, text, "advice")
        add_advice(ctx, person, what, on=interaction.occurred_on, interaction_id=interaction.id)
        say_thank_you(ctx, person, interaction=interaction, because="advice")
        result.advice += 1
    for favour in extras.favours:
        person, what = _who(people, favour.person, favour.text, "favour")
        # The ledger opens a received favour's loop: thank, act on it, tell the giver.
        add_favour(
            ctx,
            person,
            what,
            direction=favour.direction,
            kind=favour.kind,
            on=interaction.occurred_on,
            interaction=interaction,
        )
        result.favours += 1
    for item in extras.follow_ups:
        name, title = split_name(item.title)
        person, what = _who(people, name, title, "follow-up")
        due, parsed = _due(item.due, today, due_default)
        if not parsed:
            what = f"{what} by {item.due}"
        _add_follow_up(ctx, interaction, person, what, due, item.owed_by, None)
        result.follow_ups += 1
    for action in extras.actions:
        if not action.strip():
            continue
        person, text = _own_action(ctx, people, action)
        title = f"{POSITIVE_ACTION_PREFIX}{text}"
        _add_follow_up(ctx, interaction, person, title, due_default, "me", POSITIVE_ACTION_RULE)
        result.actions += 1
    for name, text in extras.their_actions:
        if not text.strip():
            raise InvalidInput(f"Say what {name} will do: --their-action '{name}: …'.")
        person = _participant(people, name, "positive action")
        title = f"{POSITIVE_ACTION_PREFIX}{text.strip()}"
        _add_follow_up(ctx, interaction, person, title, due_default, "them", POSITIVE_ACTION_RULE)
        result.their_actions += 1
    covered = list(extras.covered)
    if extras.cover_all:
        covered += [
            p.id
            for p in open_points_for(ctx, [p.id for p in people], interaction.group_id)
            if p.id not in covered
        ]
    result.covered = len(mark_discussed(ctx, interaction, covered)) if covered else 0
    ctx.session.flush()
    return result


def _add_follow_up(
    ctx: Ctx,
    interaction: Interaction,
    person: Person,
    title: str,
    due: date,
    owed_by: str,
    rule: str | None,
) -> None:
    ctx.session.add(
        FollowUp(
            owner_id=ctx.owner_id,
            person_id=person.id,
            group_id=interaction.group_id,
            title=title,
            due_on=due,
            owed_by=owed_by,
            rule=rule,
            interaction_id=interaction.id,
        )
    )


@dataclass
class Resolved:
    """The header of a captured conversation, resolved against the database."""

    people: list[Person]
    group: Group | None
    on: date


def resolve_header(ctx: Ctx, captured: Captured) -> Resolved:
    group = find_group(ctx, captured.group) if captured.group.strip() else None
    people: list[Person] = []
    for name in captured.people:
        if group is None and is_group_name(ctx, name):
            group = find_group(ctx, name)
        else:
            people.append(find_person(ctx, name))
    on = parse_date(captured.on, ctx.today()) if captured.on.strip() else ctx.today()
    return Resolved(people, group, on)


def merge(first: Extras, second: Extras) -> Extras:
    """What the template captured plus what came in as command-line flags."""
    return Extras(
        advice=first.advice + second.advice,
        favours=first.favours + second.favours,
        follow_ups=first.follow_ups + second.follow_ups,
        actions=first.actions + second.actions,
        their_actions=first.their_actions + second.their_actions,
        covered=list(dict.fromkeys(first.covered + second.covered)),
        cover_all=first.cover_all or second.cover_all,
        due_by=second.due_by or first.due_by,
    )


def extras_of(captured: Captured) -> Extras:
    return Extras(
        advice=captured.advice,
        favours=captured.favours,
        follow_ups=captured.follow_ups,
        actions=captured.actions,
        covered=captured.covered,
    )
