"""What the web pages list: people with their warmth, one page at a time, and filter choices.

Warmth comes from the pure cadence math (domain/cadence.py) over the people on the page only,
so a page costs a fixed number of queries whatever the size of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select

from mentormap.domain.folding import fold, like_pattern
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.errors import InvalidInput
from mentormap.models import Group, Person
from mentormap.services.clock.standing import WARMTH_BANDS as WARMTH_BANDS
from mentormap.services.clock.standing import standings
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.people.people import PeopleFilter, count_people, summaries
from mentormap.services.views import PersonSummary

PAGE_SIZE = 50


@dataclass
class WarmthView:
    """Where a tie stands today; `band` is None when nobody is chased on a clock (mentee, coach)."""

    band: str | None
    cadence_days: int | None
    due_on: date | None
    days_silent: int | None
    reason: str = ""
    booked_on: date | None = None  # a catch-up planned ahead (calendar sync): booked, not due


@dataclass
class PersonRow:
    person: PersonSummary
    warmth: WarmthView


@dataclass
class PeoplePage:
    rows: list[PersonRow]
    total: int
    page: int
    pages: int
    network_size: int  # exact only when nothing matched (to tell "empty" from "no match")


@dataclass
class FilterChoices:
    roles: list[tuple[str, str]] = field(default_factory=list)  # (key, label)
    tags: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)


def warmth_by_person(ctx: Ctx, person_ids: list[int]) -> dict[int, WarmthView]:
    """Warmth of each person in `person_ids`, read from `services.clock.standing`, so a badge here
    always agrees with the Today list."""
    today = ctx.today()
    found: dict[int, WarmthView] = {}
    for pid, where in standings(ctx, person_ids).items():
        silent = (today - where.clock_start).days if where.clock_start else None
        found[pid] = WarmthView(
            where.warmth.value if where.warmth else None,
            where.cadence_days,
            where.due_on,
            max(0, silent) if silent is not None else None,
            where.reason,
            where.booked_on if where.is_booked(today) else None,
        )
    return found


def people_page(
    ctx: Ctx,
    flt: PeopleFilter,
    page: int = 1,
    size: int = PAGE_SIZE,
    warmth: str | None = None,
) -> PeoplePage:
    """One page of the filtered, sorted people list, each with her warmth; `warmth` keeps one
    band only (it uses the people service's own filter and order, so the list means the same
    as `mentormap people list`)."""
    from mentormap.services.people.people import _filtered, _ordered

    if page < 1:
        raise InvalidInput("Pages start at 1.")
    if warmth:
        flt = replace(flt, warmth=warmth)
    query = _filtered(ctx, flt)
    total = ctx.session.scalar(query.with_only_columns(func.count(Person.id))) or 0
    pages = max(1, -(-total // size))
    page = min(page, pages)
    ordered = _ordered(ctx, query, flt.sort)
    chosen = ctx.session.scalars(ordered.offset((page - 1) * size).limit(size))
    people = summaries(ctx, list(chosen), with_standing=False)
    found = warmth_by_person(ctx, [p.id for p in people])
    for person in people:  # one standing per person, read once
        person.warmth, person.due_on = found[person.id].band, found[person.id].due_on
    return PeoplePage(
        rows=[PersonRow(p, found[p.id]) for p in people],
        total=total,
        page=page,
        pages=pages,
        network_size=total or count_people(ctx, PeopleFilter(include_archived=True)),
    )


def filter_choices(ctx: Ctx) -> FilterChoices:
    """The roles, tags and cities a people filter can offer (only those in use for the last two)."""
    from mentormap.services.people.tags import tag_counts

    cities = sorted(
        ctx.session.scalars(
            select(Person.city).where(Person.owner_id == ctx.owner_id).distinct()
        ).all(),
        key=lambda city: (city or "").lower(),
    )
    ranked = sorted(CATALOGUE.values(), key=lambda info: (info.rank, info.label))
    return FilterChoices(
        roles=[(info.key.value, info.label) for info in ranked],
        tags=[name for name, count in tag_counts(ctx) if count],
        cities=[city for city in cities if city],
    )


def name_suggestions(ctx: Ctx, text: str = "", limit: int = 20) -> list[str]:
    """Names for an autocomplete: matches of `text` anywhere in the name, else the most recent."""
    query = select(Person.name).where(Person.owner_id == ctx.owner_id, Person.archived.is_(False))
    needle = fold(text)
    if needle:
        query = query.where(Person.name_key.like(like_pattern(needle), escape="\\")).order_by(
            Person.name_key
        )
    else:
        query = query.order_by(Person.last_contact_on.desc().nulls_last(), Person.name)
    return list(ctx.session.scalars(query.limit(limit)))


def role_label(key: str) -> str:
    try:
        return CATALOGUE[RoleKey(key)].label
    except ValueError:
        return key


def check_person_field(name: str, value: str) -> str:
    """Validate one profile field the way the people service does, so a form can say which."""
    from mentormap.services.people.emails import clean_email
    from mentormap.services.people.people import _check_fields

    if name == "email":
        clean_email(value)
        return value
    _check_fields({name: value})
    return value


def set_tags(ctx: Ctx, person: Person, wanted: list[str]) -> None:
    """Make her tags exactly `wanted` (cleaned), adding and removing as needed."""
    from mentormap.services.people.tags import clean_tag, tag_person, untag_person

    cleaned = {clean_tag(tag) for tag in wanted if tag.strip()}
    current = set(_tag_names(ctx, person))
    if cleaned - current:
        tag_person(ctx, person, sorted(cleaned - current))
    if current - cleaned:
        untag_person(ctx, person, sorted(current - cleaned))


def _tag_names(ctx: Ctx, person: Person) -> list[str]:
    from mentormap.models import PersonTag, Tag

    return list(
        ctx.session.scalars(
            select(Tag.name)
            .join(PersonTag, PersonTag.tag_id == Tag.id)
            .where(PersonTag.person_id == person.id)
        )
    )


def get_group(ctx: Ctx, group_id: int) -> Group:
    """A group of this owner by its id, or NotFound."""
    return get_owned(ctx, Group, group_id, f"No group with id {group_id}.")
