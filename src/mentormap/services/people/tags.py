"""Tags and user-defined attributes on people."""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Person, PersonAttribute, PersonTag, Tag
from mentormap.services.context import Ctx

_TAG = re.compile(r"^[\w][\w\-./+]*$")


def clean_tag(raw: str) -> str:
    tag = raw.strip().lower().replace(" ", "-")
    if not _TAG.match(tag):
        raise InvalidInput(f"{raw!r} is not a tag; use letters, digits and dashes.")
    return tag


def tag_by_name(ctx: Ctx, name: str, create: bool = True) -> Tag | None:
    tag = ctx.session.scalar(select(Tag).where(Tag.owner_id == ctx.owner_id, Tag.name == name))
    if tag is None and create:
        tag = Tag(owner_id=ctx.owner_id, name=name)
        ctx.session.add(tag)
        ctx.session.flush()
    return tag


def tag_person(ctx: Ctx, person: Person, tags: list[str]) -> list[str]:
    added = []
    for raw in tags:
        tag = tag_by_name(ctx, clean_tag(raw))
        assert tag is not None
        exists = ctx.session.get(PersonTag, (person.id, tag.id))
        if exists is None:
            ctx.session.add(PersonTag(owner_id=ctx.owner_id, person_id=person.id, tag_id=tag.id))
            added.append(tag.name)
    ctx.session.flush()
    return added


def untag_person(ctx: Ctx, person: Person, tags: list[str]) -> None:
    for raw in tags:
        tag = tag_by_name(ctx, clean_tag(raw), create=False)
        if tag is None or ctx.session.get(PersonTag, (person.id, tag.id)) is None:
            raise NotFound(f"{person.name} has no tag {raw!r}.")
        ctx.session.execute(
            delete(PersonTag).where(PersonTag.person_id == person.id, PersonTag.tag_id == tag.id)
        )
    ctx.session.flush()


def tag_counts(ctx: Ctx) -> list[tuple[str, int]]:
    rows = ctx.session.execute(
        select(Tag.name, func.count(PersonTag.person_id))
        .outerjoin(PersonTag, PersonTag.tag_id == Tag.id)
        .where(Tag.owner_id == ctx.owner_id)
        .group_by(Tag.name)
        .order_by(Tag.name)
    )
    return [(name, count) for name, count in rows]


def clean_key(raw: str) -> str:
    key = raw.strip().lower().replace(" ", "_")
    if not re.match(r"^[a-z][a-z0-9_]*$", key):
        raise InvalidInput(f"{raw!r} is not an attribute name; use letters, digits, underscores.")
    return key


def set_attribute(ctx: Ctx, person: Person, key: str, value: str) -> PersonAttribute:
    name = clean_key(key)
    if not value.strip():
        raise InvalidInput("An attribute needs a value; use 'attr unset' to remove one.")
    for attr in person.attributes:
        if attr.key == name:
            attr.value = value.strip()
            ctx.session.flush()
            return attr
    attr = PersonAttribute(owner_id=ctx.owner_id, key=name, value=value.strip())
    person.attributes.append(attr)
    ctx.session.flush()
    return attr


def unset_attribute(ctx: Ctx, person: Person, key: str) -> None:
    name = clean_key(key)
    for attr in person.attributes:
        if attr.key == name:
            person.attributes.remove(attr)
            ctx.session.flush()
            return
    raise NotFound(f"{person.name} has no attribute {name!r}.")


def attribute_values(ctx: Ctx, key: str) -> list[tuple[str, int]]:
    """How many active people hold each value of one user-defined dimension."""
    rows = ctx.session.execute(
        select(PersonAttribute.value, func.count())
        .join(Person, Person.id == PersonAttribute.person_id)
        .where(
            PersonAttribute.owner_id == ctx.owner_id,
            PersonAttribute.key == clean_key(key),
            Person.archived.is_(False),
        )
        .group_by(PersonAttribute.value)
        .order_by(func.count().desc())
    )
    return [(value, count) for value, count in rows]
