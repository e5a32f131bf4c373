"""People: add, edit, show, list, archive, delete, merge; their emails, phones and links."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, select, union_all

from mentormap.domain.durations import check_days
from mentormap.domain.folding import fold, like_pattern
from mentormap.domain.links import https_without_www, normalize_link
from mentormap.domain.roles import CATALOGUE, RoleKey, parse_role
from mentormap.errors import InvalidInput
from mentormap.models import (
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonTag,
    Role,
    Tag,
)
from mentormap.services.clock.standing import Standing, standings, warmth_and_due
from mentormap.services.context import Ctx
from mentormap.services.people.emails import add_emails
from mentormap.services.people.emails import remove_emails as remove_addresses
from mentormap.services.views import PersonDetail, PersonSummary, RoleView

EDITABLE_FIELDS = (
    "name",
    "company",
    "title",
    "city",
    "country",
    "timezone",
    "latitude",
    "longitude",
    "how_met",
    "met_on",
    "birthday",
    "interests",
    "expertise",
    "personal_details",
    "notes",
    "cadence_days",
    "preferred_format",
    "preferred_time",
    "work_hours",
    "keeps_clock",
)

SORTS = ("name", "company", "city", "last_contact", "added", "due", "warmth")
_WORK_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")


def normalize_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return ("+" + digits) if phone.strip().startswith("+") else digits


def link_kind(url: str) -> str:
    lowered = url.lower()
    if "linkedin.com/" in lowered:
        return "linkedin"
    if "github.com/" in lowered:
        return "github"
    return "site"


_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """A lenient form of any URL, for matching; links that are stored use `normalize_link`."""
    cleaned = url.strip().rstrip("/")
    if not _ANY_SCHEME.match(cleaned):
        cleaned = "https://" + cleaned
    return https_without_www(cleaned)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if "name" in fields and not (fields["name"] or "").strip():
        raise InvalidInput("A person needs a name.")
    if fields.get("cadence_days") is not None:
        if fields["cadence_days"] <= 0:
            raise InvalidInput("A cadence must be a positive number of days.")
        check_days(fields["cadence_days"])
    if fields.get("keeps_clock") is not None:
        from mentormap.domain.clock import KeepsClock

        if fields["keeps_clock"] not in {k.value for k in KeepsClock}:
            raise InvalidInput(
                f"Unknown clock setting {fields['keeps_clock']!r}; choose any or conversation."
            )
    if fields.get("birthday"):
        from mentormap.domain.lives import parse_birthday

        parse_birthday(fields["birthday"])
    if fields.get("work_hours") and not _WORK_HOURS.match(fields["work_hours"]):
        raise InvalidInput(f"Working hours {fields['work_hours']!r} must look like 09:00-17:30.")
    if fields.get("timezone"):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(fields["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                f"Unknown time zone {fields['timezone']!r}; use a name like Europe/London."
            ) from None


def _clean_birthday(fields: dict[str, Any]) -> None:
    """YYYY-MM-DD or --MM-DD as stored; an empty value clears it."""
    if "birthday" in fields:
        from mentormap.domain.lives import parse_birthday

        fields["birthday"] = parse_birthday(fields["birthday"] or "")


def add_phones(ctx: Ctx, person: Person, phones: list[str]) -> None:
    have = {p.normalized for p in person.phones}
    for raw in phones:
        normalized = normalize_phone(raw)
        if len(normalized.lstrip("+")) < 3:
            raise InvalidInput(f"{raw!r} is not a phone number.")
        if normalized not in have:
            person.phones.append(
                PersonPhone(owner_id=ctx.owner_id, phone=raw.strip(), normalized=normalized)
            )
            have.add(normalized)


def add_links(ctx: Ctx, person: Person, links: list[str]) -> None:
    have = {link.url for link in person.links}
    for raw in links:
        url = normalize_link(raw)
        if url not in have:
            person.links.append(PersonLink(owner_id=ctx.owner_id, kind=link_kind(url), url=url))
            have.add(url)


def add_person(
    ctx: Ctx,
    name: str,
    *,
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    links: list[str] | None = None,
    **fields: Any,
) -> Person:
    fields["name"] = name.strip()
    _check_fields(fields)
    _clean_birthday(fields)
    person = Person(owner_id=ctx.owner_id, **fields)
    place_from_city(person, fields)
    ctx.session.add(person)
    add_emails(ctx, person, emails or [])
    add_phones(ctx, person, phones or [])
    add_links(ctx, person, links or [])
    ctx.session.flush()
    return person


def namesakes(ctx: Ctx, person: Person) -> list[Person]:
    """Others in the network with exactly her name (any case): perhaps the same person twice."""
    from sqlalchemy import func, select

    return list(
        ctx.session.scalars(
            select(Person)
            .where(
                Person.owner_id == ctx.owner_id,
                Person.id != person.id,
                func.lower(Person.name) == person.name.lower(),
            )
            .order_by(Person.id)
        )
    )


def edit_person(
    ctx: Ctx,
    person: Person,
    *,
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    links: list[str] | None = None,
    remove_emails: list[str] | None = None,
    **fields: Any,
) -> Person:
    """Change her fields, and add or remove contact points; removed emails go before new ones
    are added, so one of each changes an address."""
    _check_fields(fields)
    _clean_birthday(fields)
    for key, value in fields.items():
        setattr(person, key, value.strip() if isinstance(value, str) else value)
    place_from_city(person, fields)
    remove_addresses(ctx, person, remove_emails or [])
    add_emails(ctx, person, emails or [])
    add_phones(ctx, person, phones or [])
    add_links(ctx, person, links or [])
    ctx.session.flush()
    return person


def place_from_city(person: Person, fields: dict[str, Any]) -> None:
    """When her city is set without coordinates, place her from the offline city index.

    Coordinates put trips' radius search in SQL; the zone feeds `when`. Values the caller gave
    win, and an unknown city simply leaves her unplaced.
    """
    if "city" not in fields or "latitude" in fields or "longitude" in fields:
        return
    if not person.city:
        person.latitude = person.longitude = None
        return
    from mentormap.services.travel.cities import try_resolve_city

    place = try_resolve_city(person.city, person.country)
    if place is None:
        return
    person.latitude, person.longitude = place.latitude, place.longitude
    if "timezone" not in fields:
        person.timezone = place.timezone


def set_archived(ctx: Ctx, person: Person, archived: bool = True) -> Person:
    person.archived = archived
    ctx.session.flush()
    return person


def snooze_person(ctx: Ctx, person: Person, until: date | None) -> Person:
    if until is not None and until <= ctx.today():
        raise InvalidInput("Snooze until a date after today.")
    person.snoozed_until = until
    ctx.session.flush()
    return person


def delete_person(ctx: Ctx, person: Person) -> None:
    ctx.session.delete(person)
    ctx.session.flush()


# --- reading -----------------------------------------------------------------------------------


@dataclass
class PeopleFilter:
    role: str | None = None
    tag: str | None = None
    city: str | None = None
    company: str | None = None
    search: str | None = None
    include_archived: bool = False
    warmth: str | None = None  # one band of `services.clock.standing.WARMTH_BANDS`
    sort: str = "name"
    limit: int | None = None
    offset: int = 0


def _filtered(ctx: Ctx, f: PeopleFilter) -> Select[Any]:
    query = select(Person).where(Person.owner_id == ctx.owner_id)
    if not f.include_archived:
        query = query.where(Person.archived.is_(False))
    if f.role:
        key = parse_role(f.role)
        query = query.where(
            select(Role.id)
            .where(Role.person_id == Person.id, Role.key == key.value, Role.until.is_(None))
            .exists()
        )
    if f.warmth:
        from mentormap.services.clock.standing import people_in_band

        query = query.where(Person.id.in_(people_in_band(ctx, f.warmth)))
    if f.tag:
        query = query.where(
            select(PersonTag.person_id)
            .join(Tag, Tag.id == PersonTag.tag_id)
            .where(PersonTag.person_id == Person.id, Tag.name == f.tag.strip().lower())
            .exists()
        )
    if f.city:
        query = query.where(func.lower(Person.city) == f.city.strip().lower())
    if f.company:
        query = query.where(func.lower(Person.company).like(f"%{f.company.strip().lower()}%"))
    if f.search:
        text = f.search.strip().lower().replace("\\", "\\\\")
        needle = "%" + text.replace("%", "\\%").replace("_", "\\_") + "%"
        # SQLite's LIKE already ignores ASCII case (its lower() knows no more than that), so
        # skipping lower() there halves the cost of a search over a large network.
        sqlite = ctx.session.get_bind().dialect.name == "sqlite"

        def contains(column: Any) -> Any:
            target = column if sqlite else func.lower(column)
            return target.like(needle, escape="\\")

        # Names through their folded key, so "soren" finds Søren and "chloe" Chloé.
        by_name = Person.name_key.like(like_pattern(fold(f.search)), escape="\\")
        query = query.where(by_name | contains(Person.company) | contains(Person.city))
    return query


def _ordered(ctx: Ctx, query: Select[Any], sort: str) -> Select[Any]:
    if sort not in SORTS:
        raise InvalidInput(f"Unknown sort {sort!r}; choose one of: {', '.join(SORTS)}.")
    if sort == "company":
        return query.order_by(func.lower(Person.company).nulls_last(), Person.name)
    if sort == "city":
        return query.order_by(func.lower(Person.city).nulls_last(), Person.name)
    if sort == "last_contact":
        return query.order_by(Person.last_contact_on.desc().nulls_last(), Person.name)
    if sort == "added":
        return query.order_by(Person.id.desc())
    if sort in ("due", "warmth"):
        from mentormap.services.clock.standing import clock_rows
        from mentormap.services.sql import day_of

        # Everyone's clock, joined: read from the copies kept on people, it costs less than
        # narrowing it by the list's own filters (which would nest them into the query twice).
        rows = clock_rows(ctx)
        query = query.outerjoin(rows, rows.c.pid == Person.id)
        if sort == "due":  # soonest due first; no clock last
            return query.order_by(rows.c.due_n.is_(None), rows.c.due_n, func.lower(Person.name))
        # coldest first: the silence measured in cadences
        ratio = (day_of(ctx.today()) - rows.c.start_n) * 1.0 / rows.c.cadence
        return query.order_by(rows.c.cadence.is_(None), ratio.desc(), func.lower(Person.name))
    return query.order_by(func.lower(Person.name), Person.id)


def roles_by_person(ctx: Ctx, person_ids: list[int] | Select[Any]) -> dict[int, list[str]]:
    """Active role keys per person, most important first, in one query."""
    if isinstance(person_ids, list) and not person_ids:
        return defaultdict(list)
    return _ranked(ctx.session.execute(_active_roles(ctx.owner_id, person_ids)))


def _active_roles(owner_id: int, people: Any) -> Select[int, str]:
    return select(Role.person_id, Role.key).where(
        Role.owner_id == owner_id, Role.until.is_(None), Role.person_id.in_(people)
    )


def _ranked(pairs: Iterable[Any]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for person_id, key in pairs:
        if key not in found[person_id]:
            found[person_id].append(key)
    for keys in found.values():
        keys.sort(key=lambda k: CATALOGUE[RoleKey(k)].rank)
    return found


Labels = tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]


def _labels_by_person(ctx: Ctx, people: list[int] | Select[Any]) -> Labels:
    """Each person's active roles (most important first), tags (by name) and emails (in the
    order added), in one statement: a list shows all three."""
    if isinstance(people, list):
        if not people:
            return defaultdict(list), defaultdict(list), defaultdict(list)
        rows = ctx.session.execute(_labels_of_ids(ctx.owner_id), {"label_ids": people})
    else:
        rows = ctx.session.execute(_labels(ctx.owner_id, people))
    roles: list[tuple[int, str]] = []
    tags: dict[int, list[str]] = defaultdict(list)
    emails: dict[int, list[str]] = defaultdict(list)
    for kind, person_id, value in rows:
        if kind == "role":
            roles.append((person_id, value))
        else:
            (tags if kind == "tag" else emails)[person_id].append(value)
    return _ranked(roles), tags, emails


@lru_cache(maxsize=64)
def _labels_of_ids(owner_id: int) -> Select[Any]:
    """`_labels` for a list of ids, built once per owner with the ids bound."""
    return _labels(owner_id, bindparam("label_ids", expanding=True))


def _labels(owner_id: int, people: Any) -> Select[Any]:
    none: Any = literal_column("''")
    zero: Any = literal_column("0")
    roles = _active_roles(owner_id, people).with_only_columns(
        literal_column("'role'").label("kind"),
        Role.person_id.label("pid"),
        Role.key.label("value"),
        none.label("by_text"),
        zero.label("by_number"),
    )
    tags = (
        select(literal_column("'tag'"), PersonTag.person_id, Tag.name, Tag.name, zero)
        .join(Tag, Tag.id == PersonTag.tag_id)
        .where(PersonTag.owner_id == owner_id, PersonTag.person_id.in_(people))
    )
    emails = select(
        literal_column("'email'"), PersonEmail.person_id, PersonEmail.email, none, PersonEmail.id
    ).where(PersonEmail.owner_id == owner_id, PersonEmail.person_id.in_(people))
    both = union_all(roles, tags, emails).subquery("labels")
    return select(both.c.kind, both.c.pid, both.c.value).order_by(
        both.c.kind, both.c.by_text, both.c.by_number
    )


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]


def summaries(
    ctx: Ctx,
    people: Sequence[Any],
    among: Select[Any] | None = None,
    *,
    with_standing: bool = True,
) -> list[PersonSummary]:
    """A summary of each of `people` (Person rows, or rows with the same columns).

    `among`, a select of exactly their ids, lets each lookup run as one query over them
    instead of one per chunk of ids. `with_standing=False` leaves warmth and due date out, for
    a caller that reads each person's whole standing anyway.
    """
    ids = [p.id for p in people]
    roles: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    emails: dict[int, list[str]] = {}
    where: dict[int, tuple[Any, Any]] = {}
    parts: list[list[int]] | list[Select[Any]] = [among] if among is not None else _chunks(ids)
    for part in parts:
        more_roles, more_tags, more_emails = _labels_by_person(ctx, part)
        roles.update(more_roles)
        tags.update(more_tags)
        emails.update(more_emails)
        if with_standing:
            where.update(warmth_and_due(ctx, part))
    unclocked = (None, None)
    return [
        PersonSummary(
            id=p.id,
            name=p.name,
            roles=roles.get(p.id, []),
            company=p.company,
            title=p.title,
            city=p.city,
            country=p.country,
            tags=tags.get(p.id, []),
            emails=emails.get(p.id, []),
            last_contact_on=p.last_contact_on,
            archived=p.archived,
            warmth=where.get(p.id, unclocked)[0],
            due_on=where.get(p.id, unclocked)[1],
        )
        for p in people
    ]


_SUMMARY_COLUMNS = (
    Person.id,
    Person.name,
    Person.company,
    Person.title,
    Person.city,
    Person.country,
    Person.last_contact_on,
    Person.archived,
)


def list_people(ctx: Ctx, f: PeopleFilter | None = None) -> list[PersonSummary]:
    f = f or PeopleFilter()
    query = _ordered(ctx, _filtered(ctx, f), f.sort).offset(f.offset)
    if f.limit is not None:
        query = query.limit(f.limit)
    # Plain rows, not Person objects: building 20,000 ORM instances costs more than the query.
    found = ctx.session.execute(query.with_only_columns(*_SUMMARY_COLUMNS)).all()
    # Everyone the filter keeps, in one query per lookup; a band filter or a page of the list
    # is cheaper looked up by its ids.
    whole = f.limit is None and f.offset == 0 and not f.warmth
    among = _filtered(ctx, f).with_only_columns(Person.id) if whole else None
    return summaries(ctx, found, among)


def name_completions(ctx: Ctx, prefix: str, limit: int = 30) -> list[str]:
    """Names of active people whose name (or any word of it) starts with `prefix`."""
    text = fold(prefix).replace("%", "").replace("_", "").replace("\\", "")
    query = (
        select(Person.name)
        .where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            Person.name_key.like(f"{text}%") | Person.name_key.like(f"% {text}%"),
        )
        .order_by(Person.name)
        .limit(limit)
    )
    return list(ctx.session.scalars(query))


def count_people(ctx: Ctx, f: PeopleFilter | None = None) -> int:
    query = _filtered(ctx, f or PeopleFilter()).with_only_columns(func.count(Person.id))
    return ctx.session.scalar(query) or 0


def _standing_json(found: Standing | None) -> dict[str, Any]:
    """Her standing as JSON; empty when the clock has no row for her (seen once in the API's
    fuzzing after an odd sequence of writes; the cause is not yet found)."""
    return found.as_json() if found is not None else {}


def person_detail(ctx: Ctx, person: Person, interaction_limit: int | None = 50) -> PersonDetail:
    from mentormap.services.conversations.interactions import timeline
    from mentormap.services.people.groups import groups_of

    # Her whole standing is read anyway: the summary's warmth and due date come from it, as
    # `warmth_and_due` gives them to a list (people without a due date have neither).
    found = standings(ctx, [person.id]).get(person.id)
    summary = summaries(ctx, [person], with_standing=False)[0]
    if found is not None and found.due_on is not None:
        summary.warmth = found.warmth.value if found.warmth else None
        summary.due_on = found.due_on
    role_rows = ctx.session.scalars(
        select(Role)
        .where(Role.person_id == person.id)
        .order_by(Role.until.is_not(None), Role.since)
    )
    return PersonDetail(
        **vars(summary),
        timezone=person.timezone,
        how_met=person.how_met,
        met_on=person.met_on,
        birthday=person.birthday,
        interests=person.interests,
        expertise=person.expertise,
        personal_details=person.personal_details,
        notes=person.notes,
        cadence_days=person.cadence_days,
        preferred_format=person.preferred_format,
        preferred_time=person.preferred_time,
        work_hours=person.work_hours,
        snoozed_until=person.snoozed_until,
        keeps_clock=person.keeps_clock,
        standing=_standing_json(found),
        phones=[p.phone for p in person.phones],
        links=[{"kind": link.kind, "url": link.url} for link in person.links],
        attributes={a.key: a.value for a in person.attributes},
        role_details=[
            RoleView(
                key=r.key,
                label=CATALOGUE[RoleKey(r.key)].label,
                since=r.since,
                until=r.until,
                cadence_days=r.cadence_days,
                note=r.note,
            )
            for r in role_rows
        ],
        groups=[g.name for g in groups_of(ctx, person)],
        life_events=[
            {"id": e.id, "on": e.occurred_on, "kind": e.kind, "text": e.text}
            for e in person.life_events
        ],
        interactions=timeline(ctx, person, limit=interaction_limit),
    )
