"""Declarative base, naming convention and the owner column every user-owned row carries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from mentormap.domain.owner import LOCAL_OWNER_ID

# Stable constraint names keep Alembic batch migrations on SQLite predictable.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC timestamp: the portable way to store instants in SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Owner(Base):
    """Whose network a row belongs to. Server mode has many; local mode has one."""

    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Changes with every commit that wrote her rows (`db._new_data_version`); the API's kept
    # answers (`web.response_cache`) are filed under it.
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Owned:
    """Mixin: a non-null owner on every user-owned table, indexed for per-owner scans."""

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("owners.id", ondelete="CASCADE"), index=True, default=LOCAL_OWNER_ID
        )
