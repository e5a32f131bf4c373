"""Find a person from what the user typed: full name, a unique part of it, or an email."""

from __future__ import annotations

from sqlalchemy import func, select

from mentormap.domain.folding import fold, like_pattern
from mentormap.errors import Ambiguous, NotFound
from mentormap.models import Group, Person, PersonEmail
from mentormap.services.context import Ctx

MAX_LISTED = 8


def _label(person: Person) -> str:
    extra = ", ".join(part for part in (person.company, person.city) if part)
    return f"{person.name} ({extra})" if extra else person.name


def _suggest(names: list[str], query: str) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    found = process.extract(
        query, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=3, score_cutoff=60
    )
    return [name for name, _score, _index in found]


def find_person(ctx: Ctx, query: str, include_archived: bool = True) -> Person:
    """Resolve `query` to exactly one person, or raise a NotFound/Ambiguous naming candidates."""
    text = query.strip()
    if not text:
        raise NotFound("Name someone: a full name, a unique part of it, or an email.")
    base = select(Person).where(Person.owner_id == ctx.owner_id)
    if not include_archived:
        base = base.where(Person.archived.is_(False))
    if text.startswith("#") and text[1:].isdigit():
        person = ctx.session.scalar(base.where(Person.id == int(text[1:])))
        if person is None:
            raise NotFound(f"No person with id {text}.")
        return person
    if "@" in text:
        person = ctx.session.scalar(
            base.join(PersonEmail, PersonEmail.person_id == Person.id).where(
                PersonEmail.owner_id == ctx.owner_id, PersonEmail.email == text.lower()
            )
        )
        if person is not None:
            return person
    # Case- and accent-blind in every script: "zoe", "ZOË" and a decomposed "Zoë" alike.
    key = fold(text)
    exact = ctx.session.scalars(base.where(Person.name_key == key)).all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(text, list(exact))
    partial = ctx.session.scalars(
        base.where(Person.name_key.like(like_pattern(key), escape="\\"))
        .order_by(Person.name_key)  # read in the key's index: no pass over every person
        .limit(MAX_LISTED + 1)
    ).all()
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise _ambiguous(text, list(partial))
    names = list(ctx.session.scalars(select(Person.name).where(Person.owner_id == ctx.owner_id)))
    suggestions = _suggest(names, text)
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    raise NotFound(f"No one called {text!r}.{hint}")


def _ambiguous(text: str, people: list[Person]) -> Ambiguous:
    labels = [f"{_label(p)} #{p.id}" for p in people[:MAX_LISTED]]
    more = " …" if len(people) > MAX_LISTED else ""
    return Ambiguous(
        f"{text!r} matches {'more than ' + str(MAX_LISTED) if more else len(people)} people: "
        f"{'; '.join(labels)}{more}. Use a fuller name or the #id.",
        labels,
    )


def find_group(ctx: Ctx, query: str) -> Group:
    text = fold(query)
    if not text:
        raise NotFound("Name a group.")
    groups = list(
        ctx.session.scalars(
            select(Group).where(Group.owner_id == ctx.owner_id).order_by(Group.name)
        )
    )
    exact = [g for g in groups if fold(g.name) == text]
    if len(exact) == 1:
        return exact[0]
    partial = [g for g in groups if text in fold(g.name)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        names = [g.name for g in partial]
        raise Ambiguous(f"{query!r} matches several groups: {'; '.join(names)}.", names)
    suggestions = _suggest([g.name for g in groups], query)
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    raise NotFound(f"No group called {query!r}.{hint}")


def is_group_name(ctx: Ctx, query: str) -> bool:
    text = query.strip().lower()
    if not text:
        return False
    return (
        ctx.session.scalar(
            select(func.count())
            .select_from(Group)
            .where(Group.owner_id == ctx.owner_id, func.lower(Group.name) == text)
        )
        or 0
    ) > 0
