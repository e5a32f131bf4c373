"""Their lives: upcoming birthdays and news (life events) worth a word of congratulation.

`upcoming_birthdays` answers for any range of days, so Today (the next week) and a calendar
feed (months ahead) read the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from mentormap.domain.lives import (
    age_on,
    birthday_in,
    congratulate,
    month_days_between,
    parse_life_event_kind,
)
from mentormap.errors import InvalidInput
from mentormap.models import LifeEvent, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned

BIRTHDAY_DAYS = 7  # Today shows birthdays from today to six days ahead
NEWS_DAYS = 14  # and news from the last two weeks (up to today)


@dataclass
class BirthdayView:
    person_id: int
    name: str
    on: date
    age: int | None  # the age she turns; None when the year is not known
    days_away: int


@dataclass
class LifeEventView:
    id: int
    person_id: int
    name: str
    on: date | None
    kind: str
    text: str
    prompt: str  # how to mark it, for her to say in her own words


def upcoming_birthdays(ctx: Ctx, start: date, end: date) -> list[BirthdayView]:
    """Every birthday of people not archived that falls on a day in [start, end], soonest first.

    The database picks the people whose month and day can fall in the range (the stored value
    ends in MM-DD either way); the dates are then laid out for each year the range touches.
    """
    if end < start:
        return []
    ending = func.substr(Person.birthday, func.length(Person.birthday) - 4, 5)
    query = select(Person.id, Person.name, Person.birthday).where(
        Person.owner_id == ctx.owner_id,
        Person.archived.is_(False),
        Person.birthday.is_not(None),
        Person.birthday != "",
    )
    endings = month_days_between(start, end)
    if endings is not None:
        query = query.where(ending.in_(endings))
    found: list[BirthdayView] = []
    today = ctx.today()
    years = range(start.year, end.year + 1)
    for person_id, name, stored in ctx.session.execute(query):
        birthday = str(stored)
        for year in years:
            day = birthday_in(birthday, year)
            if start <= day <= end:
                age = age_on(birthday, day)
                found.append(BirthdayView(person_id, name, day, age, (day - today).days))
    found.sort(key=lambda b: (b.on, b.name))
    return found


def birthdays_this_week(ctx: Ctx) -> list[BirthdayView]:
    today = ctx.today()
    return upcoming_birthdays(ctx, today, today + timedelta(days=BIRTHDAY_DAYS - 1))


# --- life events -------------------------------------------------------------------------------


def _view(event: LifeEvent, name: str) -> LifeEventView:
    return LifeEventView(
        id=event.id,
        person_id=event.person_id,
        name=name,
        on=event.occurred_on,
        kind=event.kind,
        text=event.text,
        prompt=congratulate(event.kind, name),
    )


def _clean_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("Say what happened, e.g. 'started at Acme as head of platform'.")
    return cleaned


def add_life_event(
    ctx: Ctx, person: Person, text: str, *, on: date | None, kind: str = "other"
) -> LifeEventView:
    event = LifeEvent(
        owner_id=ctx.owner_id,
        person_id=person.id,
        text=_clean_text(text),
        occurred_on=on or ctx.today(),
        kind=parse_life_event_kind(kind).value,
    )
    ctx.session.add(event)
    ctx.session.flush()
    return _view(event, person.name)


def get_life_event(ctx: Ctx, event_id: int) -> LifeEvent:
    return get_owned(
        ctx, LifeEvent, event_id, f"No life event #{event_id}; see `mentormap life-event list`."
    )


def edit_life_event(
    ctx: Ctx,
    event: LifeEvent,
    *,
    text: str | None = None,
    on: date | None = None,
    kind: str | None = None,
) -> LifeEventView:
    if text is not None:
        event.text = _clean_text(text)
    if on is not None:
        event.occurred_on = on
    if kind is not None:
        event.kind = parse_life_event_kind(kind).value
    ctx.session.flush()
    return _view(event, event.person.name)


def remove_life_event(ctx: Ctx, event: LifeEvent) -> LifeEventView:
    view = _view(event, event.person.name)
    ctx.session.delete(event)
    ctx.session.flush()
    return view


def list_life_events(
    ctx: Ctx,
    *,
    person: Person | None = None,
    since: date | None = None,
    until: date | None = None,
    archived: bool = True,
) -> list[LifeEventView]:
    """Newest first; with `since`, only dated events on or after it; `archived=False` leaves
    out archived people's."""
    query = (
        select(LifeEvent, Person.name)
        .join(Person, Person.id == LifeEvent.person_id)
        .where(LifeEvent.owner_id == ctx.owner_id)
        .order_by(LifeEvent.occurred_on.desc(), LifeEvent.id.desc())
    )
    if person is not None:
        query = query.where(LifeEvent.person_id == person.id)
    if not archived:
        query = query.where(Person.archived.is_(False))
    if since is not None:
        query = query.where(LifeEvent.occurred_on >= since)
    if until is not None:
        query = query.where(LifeEvent.occurred_on <= until)
    return [_view(event, name) for event, name in ctx.session.execute(query)]


def recent_news(ctx: Ctx, person: Person | None = None) -> list[LifeEventView]:
    """News from the last NEWS_DAYS days (today included); of people not archived, for Today."""
    today = ctx.today()
    since = today - timedelta(days=NEWS_DAYS - 1)
    return list_life_events(
        ctx, person=person, since=since, until=today, archived=person is not None
    )
