"""Personal access tokens for the JSON API: shown once, kept as a SHA-256, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import ApiToken, Owner, User, utcnow
from mentormap.services.accounts.keys import digest, new_key

PREFIX = "mm_"
# last_used_at is written at most this often, so API reads do not all write.
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenView:
        return cls(token.id, token.name, token.created_at, token.last_used_at)


@dataclass(frozen=True)
class NewToken:
    view: TokenView
    token: str  # the secret itself: printed once, never stored


def create_token(
    session: Session, owner_id: int, name: str, user_id: int | None = None
) -> NewToken:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100:
        raise InvalidInput("A token's name needs 1 to 100 characters.")
    secret = new_key(PREFIX)
    token = ApiToken(owner_id=owner_id, user_id=user_id, name=cleaned, token_hash=digest(secret))
    session.add(token)
    session.flush()
    return NewToken(view=TokenView.of(token), token=secret)


def list_tokens(session: Session, owner_id: int) -> list[TokenView]:
    query = select(ApiToken).where(ApiToken.owner_id == owner_id).order_by(ApiToken.id)
    return [TokenView.of(t) for t in session.scalars(query)]


def revoke_token(session: Session, owner_id: int, token_id: int) -> TokenView:
    token = session.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.owner_id == owner_id)
    ).first()
    if token is None:
        raise NotFound(f"No token #{token_id}; `mentormap token list` shows yours.")
    view = TokenView.of(token)
    session.delete(token)
    session.flush()
    return view


class Holder(NamedTuple):
    owner_id: int
    data_version: int  # `Owner.data_version`, read before any of her rows (web.response_cache)


def token_owner(session: Session, secret: str | None) -> Holder | None:
    """The network a bearer token opens, with its data version as this request finds it; None
    for an unknown, revoked or disabled user's token."""
    if not secret or len(secret) > 100:
        return None
    found = session.execute(
        select(
            ApiToken.id,
            ApiToken.owner_id,
            ApiToken.last_used_at,
            User.disabled,
            Owner.data_version,
        )
        .join(Owner, Owner.id == ApiToken.owner_id)
        .outerjoin(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(secret))
    ).first()
    if found is None:
        return None
    token_id, owner_id, last_used_at, disabled, version = found
    if disabled:
        return None
    now = utcnow()
    if last_used_at is None or now - last_used_at > TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    return Holder(int(owner_id), int(version))
