"""People she writes with but has not added: never added silently, suggested once they share at
least two two-way threads with her (she wrote to them and they to her, in the same thread).
Accepting one creates the person with that email and links her past messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, insert, select, update

from mentormap.domain.mail import normalize_address
from mentormap.domain.vocab import Direction, InteractionKind
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import (
    Interaction,
    InteractionParticipant,
    MailAddress,
    MailMessage,
    PersonEmail,
)
from mentormap.services.context import Ctx
from mentormap.services.mail.capture import SOURCE, insert_with_ids, settle_threads

MIN_THREADS = 2


@dataclass
class Suggestion:
    address: str
    name: str | None
    threads: int  # two-way threads
    messages: int
    last_on: date


@dataclass
class Accepted:
    person_id: int
    name: str
    address: str
    interactions: int  # messages now linked to her


def _per_thread(ctx: Ctx, address: str | None = None) -> Any:
    known = select(PersonEmail.email).where(PersonEmail.owner_id == ctx.owner_id)
    query = (
        select(
            MailAddress.address.label("address"),
            func.max(MailAddress.name).label("name"),
            MailMessage.thread_root.label("thread"),
            func.max(case((MailMessage.direction == Direction.INBOUND.value, 1), else_=0)).label(
                "got"
            ),
            func.max(case((MailMessage.direction == Direction.OUTBOUND.value, 1), else_=0)).label(
                "sent"
            ),
            func.count().label("messages"),
            func.max(MailMessage.sent_on).label("last_on"),
        )
        .join(MailMessage, MailMessage.id == MailAddress.message_id)
        .where(MailAddress.owner_id == ctx.owner_id, MailAddress.address.not_in(known))
        .group_by(MailAddress.address, MailMessage.thread_root)
    )
    if address is not None:
        query = query.where(MailAddress.address == address)
    return query.subquery()


def mail_suggestions(ctx: Ctx, limit: int = 200) -> list[Suggestion]:
    """Unknown correspondents with at least two two-way threads, the busiest first."""
    per = _per_thread(ctx)
    two_way = func.sum(per.c.got * per.c.sent)
    rows = ctx.session.execute(
        select(
            per.c.address,
            func.max(per.c.name),
            two_way.label("threads"),
            func.sum(per.c.messages),
            func.max(per.c.last_on),
        )
        .group_by(per.c.address)
        .having(two_way >= MIN_THREADS)
        .order_by(two_way.desc(), func.max(per.c.last_on).desc(), per.c.address)
        .limit(limit)
    )
    return [
        Suggestion(
            address=address,
            name=name,
            threads=int(threads),
            messages=int(messages),
            last_on=last if isinstance(last, date) else date.fromisoformat(str(last)),
        )
        for address, name, threads, messages, last in rows
    ]


def accept_suggestion(ctx: Ctx, address: str, name: str | None = None) -> Accepted:
    """Add the person behind `address` and turn her past messages into interactions."""
    from mentormap.services.conversations.interactions import refresh_last_contact
    from mentormap.services.people.people import add_person

    cleaned = normalize_address(address)
    if not cleaned:
        raise InvalidInput(f"{address!r} is not an email address.")
    taken = ctx.session.scalar(
        select(PersonEmail.person_id).where(
            PersonEmail.owner_id == ctx.owner_id, PersonEmail.email == cleaned
        )
    )
    if taken is not None:
        raise InvalidInput(f"{cleaned} already belongs to someone in your network.")
    seen_name = ctx.session.scalar(
        select(func.max(MailAddress.name)).where(
            MailAddress.owner_id == ctx.owner_id, MailAddress.address == cleaned
        )
    )
    count = ctx.session.scalar(
        select(func.count()).where(
            MailAddress.owner_id == ctx.owner_id, MailAddress.address == cleaned
        )
    )
    if not count:
        raise NotFound(f"No message with {cleaned} was imported.")
    person = add_person(ctx, name or seen_name or cleaned.split("@", 1)[0], emails=[cleaned])
    linked = link_messages(ctx, person.id, cleaned)
    settle_threads(ctx)
    refresh_last_contact(ctx, [person.id])
    return Accepted(person_id=person.id, name=person.name, address=cleaned, interactions=linked)


def link_messages(ctx: Ctx, person_id: int, address: str) -> int:
    """Every remembered message with `address` becomes (or joins) an email interaction."""
    session, owner = ctx.session, ctx.owner_id
    rows = session.execute(
        select(
            MailMessage.id,
            MailMessage.interaction_id,
            MailMessage.sent_at,
            MailMessage.sent_on,
            MailMessage.direction,
            MailMessage.subject,
            MailMessage.question,
            MailMessage.message_key,
        )
        .join(MailAddress, MailAddress.message_id == MailMessage.id)
        .where(MailAddress.owner_id == owner, MailAddress.address == address)
        .order_by(MailMessage.sent_at)
    ).all()
    joined = [r.interaction_id for r in rows if r.interaction_id is not None]
    if joined:
        present = set(
            session.scalars(
                select(InteractionParticipant.interaction_id).where(
                    InteractionParticipant.person_id == person_id,
                    InteractionParticipant.interaction_id.in_(joined),
                )
            )
        )
        extra = [i for i in joined if i not in present]
        if extra:
            session.execute(
                insert(InteractionParticipant),
                [{"owner_id": owner, "interaction_id": i, "person_id": person_id} for i in extra],
            )
    loose = [r for r in rows if r.interaction_id is None]
    if loose:
        ids = insert_with_ids(
            ctx,
            Interaction,
            [
                {
                    "owner_id": owner,
                    "occurred_at": _instant(r.sent_at),
                    "occurred_on": r.sent_on,
                    "kind": InteractionKind.EMAIL.value,
                    "direction": r.direction,
                    "notes": r.subject,
                    "location": None,
                    "needs_reply": r.direction == Direction.INBOUND.value and bool(r.question),
                    "private": False,
                    "group_id": None,
                    "external_uid": r.message_key,
                    "source": SOURCE,
                }
                for r in loose
            ],
        )
        session.execute(
            insert(InteractionParticipant),
            [{"owner_id": owner, "interaction_id": i, "person_id": person_id} for i in ids],
        )
        for r, iid in zip(loose, ids, strict=True):
            session.execute(
                update(MailMessage).where(MailMessage.id == r.id).values(interaction_id=iid)
            )
    return len(rows)


def _instant(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
