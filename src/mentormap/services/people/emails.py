"""A person's email addresses: add, change and remove them. Stored lower-case; the first one
added is hers when mail capture or a calendar import matches an address (its row id says)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Person, PersonEmail
from mentormap.services.context import Ctx

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class EmailView:
    id: int
    email: str


def clean_email(raw: str) -> str:
    """The address as stored (trimmed, lower-case), or InvalidInput when it is not one."""
    email = raw.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(f"{raw!r} is not an email address.")
    return email


def add_emails(ctx: Ctx, person: Person, emails: list[str]) -> None:
    have = {e.email for e in person.emails}
    for raw in emails:
        email = clean_email(raw)
        if email not in have:
            person.emails.append(PersonEmail(owner_id=ctx.owner_id, email=email))
            have.add(email)


def emails_of(ctx: Ctx, person: Person) -> list[EmailView]:
    rows = ctx.session.execute(
        select(PersonEmail.id, PersonEmail.email)
        .where(PersonEmail.owner_id == ctx.owner_id, PersonEmail.person_id == person.id)
        .order_by(PersonEmail.id)
    )
    return [EmailView(id=email_id, email=email) for email_id, email in rows]


def get_email(ctx: Ctx, person: Person, email_id: int) -> PersonEmail:
    found = ctx.session.scalar(
        select(PersonEmail).where(
            PersonEmail.id == email_id,
            PersonEmail.owner_id == ctx.owner_id,
            PersonEmail.person_id == person.id,
        )
    )
    if found is None:
        raise NotFound(f"{person.name} has no email with id {email_id}.")
    return found


def change_email(ctx: Ctx, person: Person, email: PersonEmail, new: str) -> EmailView:
    """Correct one address in place: it keeps its place among hers."""
    address = clean_email(new)
    if address != email.email and any(e.email == address for e in person.emails):
        raise InvalidInput(f"{person.name} already has {address}.")
    email.email = address
    ctx.session.flush()
    return EmailView(id=email.id, email=address)


def remove_email(ctx: Ctx, person: Person, email: PersonEmail) -> EmailView:
    view = EmailView(id=email.id, email=email.email)
    person.emails.remove(email)  # delete-orphan: the row goes at the flush
    ctx.session.flush()
    return view


def remove_emails(ctx: Ctx, person: Person, addresses: list[str]) -> list[str]:
    """Remove addresses by what they are (any case); one she does not have is refused, naming
    those she has."""
    removed = []
    for raw in addresses:
        address = raw.strip().lower()
        found = next((e for e in person.emails if e.email == address), None)
        if found is None:
            have = ", ".join(e.email for e in person.emails) or "none"
            raise NotFound(f"{person.name} has no email {raw.strip()!r} (hers: {have}).")
        removed.append(remove_email(ctx, person, found).email)
    return removed
