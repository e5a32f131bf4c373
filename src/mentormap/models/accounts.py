"""Accounts for server mode: users, their browser sessions, API tokens, invitations, throttling.

None of these is part of a network, so none is in a JSON backup (`info={"backup": False}`):
a backup holds what one person keeps, not who may sign in to the server.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mentormap.models.base import Base, utcnow

NOT_BACKED_UP = {"backup": False}


class User(Base):
    """Someone who signs in to a shared server; her network is the rows of her owner."""

    __tablename__ = "users"
    __table_args__ = ({"info": NOT_BACKED_UP},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random key; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"), {"info": NOT_BACKED_UP})
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """A personal access token for the JSON API; only its SHA-256 is stored.

    It opens one network (`owner_id`); `user_id` is empty for local mode's tokens, where the
    machine has no users.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_owner_id", "owner_id"), {"info": NOT_BACKED_UP})
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class Invitation(Base):
    """A one-time sign-up link an admin made; only the SHA-256 of its key is stored."""

    __tablename__ = "invitations"
    __table_args__ = ({"info": NOT_BACKED_UP},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """One wrong password, kept a few minutes to slow down guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_email_at", "email", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
        {"info": NOT_BACKED_UP},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
