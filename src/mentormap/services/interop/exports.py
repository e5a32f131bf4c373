"""Handing data back: contacts as vCard 4.0 or CSV, planned catch-ups and follow-ups as .ics.

The full, lossless copy is `services/backup.py`; these are for other tools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import select, true

from mentormap.domain.links import is_safe_link
from mentormap.errors import InvalidInput
from mentormap.interop.ics import PlannedItem
from mentormap.interop.records import ContactRecord, Labelled
from mentormap.models import FollowUp, Person, PersonEmail, PersonLink, PersonPhone
from mentormap.services.clock.standing import due_by
from mentormap.services.context import Ctx

FORMATS = ("vcard", "csv", "ics", "json")
CATCH_UP_HORIZON_DAYS = 90  # the .ics lists catch-ups due within this many days


def contact_records(ctx: Ctx, person_ids: Iterable[int] | None = None) -> Iterator[ContactRecord]:
    """Every person (archived ones too) as a contact record, by name; four queries in all, or
    four per 900 of `person_ids` when only those are wanted."""
    if person_ids is None:
        yield from _contact_records(ctx, None)
        return
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 900):
        yield from _contact_records(ctx, ids[start : start + 900])


def _contact_records(ctx: Ctx, ids: list[int] | None) -> Iterator[ContactRecord]:
    owner = ctx.owner_id
    emails: dict[int, list[Labelled]] = defaultdict(list)
    phones: dict[int, list[Labelled]] = defaultdict(list)
    links: dict[int, list[str]] = defaultdict(list)

    def only(column: Any) -> Any:
        return true() if ids is None else column.in_(ids)

    for pid, email, label in ctx.session.execute(
        select(PersonEmail.person_id, PersonEmail.email, PersonEmail.label)
        .where(PersonEmail.owner_id == owner, only(PersonEmail.person_id))
        .order_by(PersonEmail.id)
    ):
        emails[pid].append(Labelled(email, label))
    for pid, phone, label in ctx.session.execute(
        select(PersonPhone.person_id, PersonPhone.phone, PersonPhone.label)
        .where(PersonPhone.owner_id == owner, only(PersonPhone.person_id))
        .order_by(PersonPhone.id)
    ):
        phones[pid].append(Labelled(phone, label))
    for pid, url in ctx.session.execute(
        select(PersonLink.person_id, PersonLink.url)
        .where(PersonLink.owner_id == owner, only(PersonLink.person_id))
        .order_by(PersonLink.id)
    ):
        if is_safe_link(url):  # one stored before links were checked stays behind
            links[pid].append(url)
    people = ctx.session.scalars(
        select(Person)
        .where(Person.owner_id == owner, only(Person.id))
        .order_by(Person.name, Person.id)
    )
    for p in people:
        yield ContactRecord(
            name=p.name,
            where=f"#{p.id}",
            emails=emails.get(p.id, []),
            phones=phones.get(p.id, []),
            links=links.get(p.id, []),
            company=p.company,
            title=p.title,
            city=p.city,
            country=p.country,
            how_met=p.how_met,
            met_on=p.met_on,
            birthday=p.birthday,
            notes=p.notes,
        )


def planned_items(ctx: Ctx) -> list[PlannedItem]:
    """Catch-ups falling due within the horizon (overdue ones on today) and open follow-ups."""
    today = ctx.today()
    horizon = today + timedelta(days=CATCH_UP_HORIZON_DAYS)
    owner = ctx.owner_id
    items: list[PlannedItem] = []
    # When each catch-up falls due comes from the one standing of each person: overdue ones
    # go on today, snoozed ones on the day the snooze ends.
    names = dict(
        ctx.session.execute(
            select(Person.id, Person.name).where(
                Person.owner_id == owner, Person.archived.is_(False)
            )
        ).all()
    )
    for where in due_by(ctx, horizon):
        assert where.due_on is not None
        due = max(where.due_on, today)
        if where.snoozed_until and where.snoozed_until > due:
            due = where.snoozed_until
        if due <= horizon:
            name = names[where.person_id]
            items.append(
                PlannedItem(f"catch-up-{where.person_id}@mentormap", due, f"Catch up with {name}")
            )
    follow_ups = ctx.session.execute(
        select(FollowUp.id, FollowUp.title, FollowUp.due_on, FollowUp.owed_by, Person.name)
        .outerjoin(Person, Person.id == FollowUp.person_id)
        .where(FollowUp.owner_id == owner, FollowUp.state == "open", FollowUp.due_on.is_not(None))
    )
    for fid, title, due_on, owed_by, name in follow_ups:
        who = f" ({name})" if name else ""
        prefix = "Follow up" if owed_by == "me" else "Expect"
        items.append(
            PlannedItem(
                f"follow-up-{fid}@mentormap", max(due_on or today, today), f"{prefix}: {title}{who}"
            )
        )
    items.sort(key=lambda item: (item.on, item.summary))
    return items


def export_chunks(ctx: Ctx, fmt: str) -> Iterable[str]:
    """The export as text pieces, to stream to a file or standard output."""
    if fmt == "vcard":
        from mentormap.interop.vcard import write_vcards

        return write_vcards(contact_records(ctx))
    if fmt == "csv":
        from mentormap.interop.csv_generic import write_csv

        return write_csv(contact_records(ctx))
    if fmt == "ics":
        from mentormap.interop.ics import write_ics

        return [write_ics(planned_items(ctx), ctx.now().replace(tzinfo=None))]
    if fmt == "json":
        from mentormap.services.interop.backup import backup_chunks

        return backup_chunks(ctx)
    raise InvalidInput(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
