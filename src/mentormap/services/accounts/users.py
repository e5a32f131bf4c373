"""Users: each one signs in with an email and a password and owns exactly one network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mentormap.errors import InvalidInput, NotFound, UserError
from mentormap.models import LOCAL_OWNER_ID, Owner, User, WebSession
from mentormap.services.accounts.passwords import hash_password


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    admin: bool
    disabled: bool
    owner_id: int
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id,
            email=user.email,
            admin=user.is_admin,
            disabled=user.disabled,
            owner_id=user.owner_id,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


def clean_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in cleaned):
        raise InvalidInput(f"{email!r} is not an email address.")
    if len(cleaned) > 320:
        raise InvalidInput("An email address can have at most 320 characters.")
    return cleaned


def find_user(session: Session, email: str) -> User:
    """The user with this email (any case), or NotFound naming the command that lists them."""
    user = session.scalars(select(User).where(User.email == clean_email(email))).first()
    if user is None:
        raise NotFound(f"No user {email.strip()!r}; `mentormap user list` shows who there is.")
    return user


def add_user(
    session: Session, email: str, password: str, *, admin: bool = False, local_network: bool = False
) -> UserView:
    """A new user with a network of her own (or, with `local_network`, the one local mode uses)."""
    address = clean_email(email)
    if session.scalars(select(User.id).where(User.email == address)).first() is not None:
        raise UserError(f"There is already a user {address}.")
    hashed = hash_password(password)
    if local_network:
        taken = session.scalars(select(User.email).where(User.owner_id == LOCAL_OWNER_ID)).first()
        if taken is not None:
            raise UserError(f"The local network already belongs to {taken}.")
        owner_id = LOCAL_OWNER_ID
    else:
        owner = Owner(name=address)
        session.add(owner)
        session.flush()
        owner_id = owner.id
    user = User(
        email=address, password_hash=hashed, is_admin=admin, disabled=False, owner_id=owner_id
    )
    session.add(user)
    session.flush()
    return UserView.of(user)


def list_users(session: Session) -> list[UserView]:
    return [UserView.of(u) for u in session.scalars(select(User).order_by(User.email))]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def disable_user(session: Session, email: str) -> UserView:
    """Stop a user signing in; her sessions end and her tokens stop working. Her network stays."""
    user = find_user(session, email)
    user.disabled = True
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return UserView.of(user)


def enable_user(session: Session, email: str) -> UserView:
    user = find_user(session, email)
    user.disabled = False
    session.flush()
    return UserView.of(user)


def set_password(session: Session, email: str, password: str) -> UserView:
    """A new password; every browser signed in as her is signed out."""
    user = find_user(session, email)
    user.password_hash = hash_password(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return UserView.of(user)


def owner_of(session: Session, email: str) -> int:
    """The network `mentormap --user EMAIL …` works on; refused for a disabled user."""
    user = find_user(session, email)
    if user.disabled:
        raise UserError(f"The user {user.email} is disabled.")
    return user.owner_id
