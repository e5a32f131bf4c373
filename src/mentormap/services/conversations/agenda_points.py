"""Agenda points: concrete things parked for the next conversation with a person or a group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select

from mentormap.errors import InvalidInput, NotFound, UserError
from mentormap.models import AgendaItem, Group, Interaction, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.people.resolve import find_group, find_person, is_group_name

OPEN, DISCUSSED, DROPPED = "open", "discussed", "dropped"


@dataclass
class Target:
    """Who an agenda point is for: exactly one of a person or a group."""

    person: Person | None = None
    group: Group | None = None

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.name
        assert self.group is not None
        return self.group.name


@dataclass
class AgendaPointView:
    id: int
    who: str
    for_group: bool
    text: str
    position: int  # 1-based place among the open points for the same person or group
    state: str
    added_on: date
    discussed_in: int | None


def find_target(ctx: Ctx, name: str) -> Target:
    """A group when the name is exactly a group's, else a person, else part of a group's name."""
    if is_group_name(ctx, name):
        return Target(group=find_group(ctx, name))
    try:
        return Target(person=find_person(ctx, name))
    except NotFound:
        try:
            return Target(group=find_group(ctx, name))
        except UserError:
            pass
        raise


def _for_target(target: Target) -> ColumnElement[bool]:
    if target.person is not None:
        return AgendaItem.person_id == target.person.id
    assert target.group is not None
    return AgendaItem.group_id == target.group.id


def _open_items(ctx: Ctx, target: Target) -> list[AgendaItem]:
    query = select(AgendaItem).where(
        AgendaItem.owner_id == ctx.owner_id, AgendaItem.state == OPEN, _for_target(target)
    )
    return list(ctx.session.scalars(query.order_by(AgendaItem.position, AgendaItem.id)))


def add_point(ctx: Ctx, target: Target, text: str) -> AgendaItem:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("An agenda point needs some text.")
    items = _open_items(ctx, target)
    item = AgendaItem(
        owner_id=ctx.owner_id,
        person_id=target.person.id if target.person else None,
        group_id=target.group.id if target.group else None,
        text=cleaned,
        position=len(items) + 1,
    )
    _renumber(items)
    ctx.session.add(item)
    ctx.session.flush()
    return item


def _renumber(items: list[AgendaItem]) -> None:
    for index, item in enumerate(items, start=1):
        item.position = index


def get_point(ctx: Ctx, point_id: int) -> AgendaItem:
    return get_owned(ctx, AgendaItem, point_id, f"No agenda point #{point_id}.")


def _target_of(ctx: Ctx, item: AgendaItem) -> Target:
    if item.person_id is not None:
        return Target(person=ctx.session.get(Person, item.person_id))
    return Target(group=ctx.session.get(Group, item.group_id))


def move_point(ctx: Ctx, point_id: int, position: int) -> AgendaItem:
    """Move an open point to a 1-based place among the open points of its person or group."""
    item = get_point(ctx, point_id)
    if item.state != OPEN:
        raise InvalidInput(f"Agenda point #{point_id} is {item.state}; only open points move.")
    items = [i for i in _open_items(ctx, _target_of(ctx, item)) if i.id != item.id]
    if not 1 <= position <= len(items) + 1:
        raise InvalidInput(f"Position must be between 1 and {len(items) + 1}.")
    items.insert(position - 1, item)
    _renumber(items)
    ctx.session.flush()
    return item


def edit_point(
    ctx: Ctx, point_id: int, *, text: str | None = None, position: int | None = None
) -> AgendaItem:
    """Reword an open point, or move it to another 1-based place (`move_point`), or both."""
    item = get_point(ctx, point_id)
    if item.state != OPEN:
        raise InvalidInput(f"Agenda point #{point_id} is {item.state}; only open points change.")
    if text is None and position is None:
        raise InvalidInput("Nothing to change: give the point a new text or place.")
    if text is not None:
        cleaned = text.strip()
        if not cleaned:
            raise InvalidInput("An agenda point needs some text.")
        item.text = cleaned
    if position is not None:
        move_point(ctx, point_id, position)
    ctx.session.flush()
    return item


def drop_point(ctx: Ctx, point_id: int) -> AgendaItem:
    item = get_point(ctx, point_id)
    if item.state != OPEN:
        raise InvalidInput(f"Agenda point #{point_id} is already {item.state}.")
    item.state = DROPPED
    _renumber([i for i in _open_items(ctx, _target_of(ctx, item)) if i.id != item.id])
    ctx.session.flush()
    return item


def list_points(
    ctx: Ctx,
    target: Target | None = None,
    include_closed: bool = False,
    condition: ColumnElement[bool] | None = None,
) -> list[AgendaPointView]:
    """Open points (or all), grouped by person or group, in their agreed order."""
    who = func.coalesce(Person.name, Group.name)
    query = (
        select(AgendaItem, who, AgendaItem.group_id.is_not(None))
        .outerjoin(Person, Person.id == AgendaItem.person_id)
        .outerjoin(Group, Group.id == AgendaItem.group_id)
        .where(AgendaItem.owner_id == ctx.owner_id)
    )
    if target is not None:
        query = query.where(_for_target(target))
    if condition is not None:
        query = query.where(condition)
    if not include_closed:
        query = query.where(AgendaItem.state == OPEN)
    rows = ctx.session.execute(
        query.order_by(who, AgendaItem.state != OPEN, AgendaItem.position, AgendaItem.id)
    ).all()
    views: list[AgendaPointView] = []
    place: dict[str, int] = {}
    for item, name, for_group in rows:
        place[name] = place.get(name, 0) + (1 if item.state == OPEN else 0)
        views.append(
            AgendaPointView(
                id=item.id,
                who=name,
                for_group=bool(for_group),
                text=item.text,
                position=place[name] if item.state == OPEN else 0,
                state=item.state,
                added_on=item.created_at.date(),
                discussed_in=item.discussed_in_id,
            )
        )
    return views


def open_points_for(ctx: Ctx, person_ids: list[int], group_id: int | None) -> list[AgendaPointView]:
    """Open points for any of these people or this group: what a conversation could cover."""
    conditions: list[ColumnElement[bool]] = []
    if person_ids:
        conditions.append(AgendaItem.person_id.in_(person_ids))
    if group_id is not None:
        conditions.append(AgendaItem.group_id == group_id)
    if not conditions:
        return []
    return list_points(ctx, condition=or_(*conditions))


def mark_discussed(ctx: Ctx, interaction: Interaction, point_ids: list[int]) -> list[AgendaItem]:
    """Close the points a logged conversation covered; each must belong to someone in it."""
    people = {p.person_id for p in interaction.participants}
    marked = []
    for point_id in dict.fromkeys(point_ids):
        item = get_point(ctx, point_id)
        if item.state != OPEN:
            raise InvalidInput(f"Agenda point #{point_id} is already {item.state}.")
        belongs = (item.person_id is not None and item.person_id in people) or (
            item.group_id is not None and item.group_id == interaction.group_id
        )
        if not belongs:
            raise InvalidInput(
                f"Agenda point #{point_id} is for {_target_of(ctx, item).name}, "
                "who was not part of this conversation."
            )
        item.state = DISCUSSED
        item.discussed_in_id = interaction.id
        marked.append(item)
    ctx.session.flush()
    for target_key in {(i.person_id, i.group_id) for i in marked}:
        target = (
            Target(person=ctx.session.get(Person, target_key[0]))
            if target_key[0] is not None
            else Target(group=ctx.session.get(Group, target_key[1]))
        )
        _renumber(_open_items(ctx, target))
    ctx.session.flush()
    return marked
