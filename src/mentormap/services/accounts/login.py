"""Signing in: the password check, the throttle on guessing, and server-side sessions.

A browser's session is a random key in an HttpOnly cookie; the database keeps its SHA-256 and
when it was last used. A session unused for `IDLE` ends; signing in always starts a new one, so
a key planted in a browser before the login is worth nothing after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mentormap.errors import UserError
from mentormap.models import LoginFailure, User, WebSession, utcnow
from mentormap.services.accounts.keys import digest, new_key
from mentormap.services.accounts.passwords import (
    burn_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from mentormap.services.accounts.users import UserView, clean_email

IDLE = timedelta(hours=12)
# Sessions are touched at most this often, so a page view does not always write.
TOUCH_EVERY = timedelta(minutes=5)
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=10)


class WrongPassword(UserError):
    status = 401


class TooManyAttempts(UserError):
    status = 429


@dataclass(frozen=True)
class SignedIn:
    user: UserView
    key: str  # the cookie's value, shown to the browser once


def _recent_failures(session: Session, column: object, value: str, since: datetime) -> int:
    query = select(func.count()).select_from(LoginFailure).where(column == value)  # type: ignore[arg-type]
    return session.scalar(query.where(LoginFailure.at >= since)) or 0


def check_throttle(session: Session, email: str, address: str, now: datetime) -> None:
    since = now - FAILURE_WINDOW
    minutes = int(FAILURE_WINDOW.total_seconds() // 60)
    if _recent_failures(session, LoginFailure.email, email, since) >= FAILURE_LIMIT:
        raise TooManyAttempts(
            f"Too many wrong passwords for this account; try again in {minutes} minutes."
        )
    if _recent_failures(session, LoginFailure.address, address, since) >= FAILURE_LIMIT:
        raise TooManyAttempts(
            f"Too many wrong passwords from this address; try again in {minutes} minutes."
        )


def sign_in(session: Session, email: str, password: str, address: str) -> SignedIn:
    """Check the password and start a session, or raise WrongPassword / TooManyAttempts.

    Failures are written by the caller's transaction, so the caller must commit it even when
    this raises (the web's login does).
    """
    now = utcnow()
    try:
        address_key = clean_email(email)
    except UserError:
        address_key = email.strip().lower()[:320]
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - FAILURE_WINDOW))
    check_throttle(session, address_key, address[:64], now)
    user = session.scalars(select(User).where(User.email == address_key)).first()
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and not user.disabled
    if not ok or user is None:
        session.add(LoginFailure(email=address_key, address=address[:64], at=now))
        session.flush()
        raise WrongPassword("Wrong email or password.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginFailure).where(LoginFailure.email == address_key))
    user.last_login_at = now
    return SignedIn(user=UserView.of(user), key=start_session(session, user.id, now))


def start_session(session: Session, user_id: int, now: datetime | None = None) -> str:
    key = new_key()
    moment = now or utcnow()
    session.add(
        WebSession(key_hash=digest(key), user_id=user_id, created_at=moment, last_seen_at=moment)
    )
    session.flush()
    return key


def session_user(session: Session, key: str | None) -> UserView | None:
    """The user a session cookie belongs to, if it is live; an idle one is deleted."""
    if not key or len(key) > 100:
        return None
    now = utcnow()
    found = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.key_hash == digest(key))
    ).first()
    if found is None:
        return None
    web_session, user = found
    if user.disabled or now - web_session.last_seen_at > IDLE:
        session.delete(web_session)
        return None
    if now - web_session.last_seen_at > TOUCH_EVERY:
        web_session.last_seen_at = now
    return UserView.of(user)


def end_session(session: Session, key: str | None) -> None:
    if key:
        session.execute(delete(WebSession).where(WebSession.key_hash == digest(key)))


def end_idle_sessions(session: Session) -> int:
    result = session.execute(delete(WebSession).where(WebSession.last_seen_at < utcnow() - IDLE))
    return int(getattr(result, "rowcount", 0) or 0)
