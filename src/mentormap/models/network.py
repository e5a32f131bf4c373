"""Roles people hold towards the user, and peer groups."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormap.models.base import Base, Owned
from mentormap.models.people import Person


class Role(Owned, Base):
    """Person × role key (see mentormap.domain.roles), active while `until` is empty."""

    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(30))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)  # e.g. a champion's axis: "CFPs"
    person: Mapped[Person] = relationship()
    __table_args__ = (
        Index("ix_roles_person_key", "person_id", "key"),
        Index("ix_roles_owner_key", "owner_id", "key"),
        Index("ix_roles_owner_cadence", "owner_id", "cadence_days"),
    )


class Group(Owned, Base):
    """A peer mentoring group: meets on its own cadence, in sessions of a set length."""

    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    cadence_days: Mapped[int] = mapped_column(Integer, default=30)
    session_minutes: Mapped[int] = mapped_column(Integer, default=60)
    note: Mapped[str | None] = mapped_column(Text)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id"
    )
    __table_args__ = (Index("ix_groups_owner_name", "owner_id", "name"),)


class GroupMember(Owned, Base):
    __tablename__ = "group_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    group: Mapped[Group] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
