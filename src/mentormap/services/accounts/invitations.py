"""Invitation links: the only way to sign up, each made by an admin and good for one account."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormap.errors import UserError
from mentormap.models import Invitation, utcnow
from mentormap.services.accounts.keys import digest, new_key
from mentormap.services.accounts.users import UserView, add_user

VALID_FOR = timedelta(days=7)


def create_invitation(session: Session, created_by: int | None) -> str:
    """A fresh invitation; returns its key (for the link), which is not stored."""
    key = new_key()
    now = utcnow()
    session.add(
        Invitation(
            key_hash=digest(key), created_by=created_by, created_at=now, expires_at=now + VALID_FOR
        )
    )
    session.flush()
    return key


def _open_invitation(session: Session, key: str) -> Invitation:
    invitation = session.scalars(
        select(Invitation).where(Invitation.key_hash == digest(key))
    ).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        raise UserError("This invitation link is not valid (used, expired or mistyped).")
    return invitation


def check_invitation(session: Session, key: str) -> None:
    _open_invitation(session, key)


def accept_invitation(session: Session, key: str, email: str, password: str) -> UserView:
    invitation = _open_invitation(session, key)
    user = add_user(session, email, password)
    invitation.used_at = utcnow()
    return user
