"""The practice around the network: prospects being cultivated, opportunities passed on to
mentees, the user's office hours, her failure stories, and what she notes of each mentee."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormap.models.base import Base, Owned
from mentormap.models.people import Person


class Prospect(Owned, Base):
    """Someone who could become a sponsor, mentor, role model, visionary or champion."""

    __tablename__ = "prospects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    as_role: Mapped[str] = mapped_column(String(20))  # domain/practice.py: ProspectAs
    stage: Mapped[str] = mapped_column(String(20), default="noticed")  # ProspectStage
    why: Mapped[str | None] = mapped_column(Text)
    noticed_on: Mapped[date] = mapped_column(Date)
    moved_on: Mapped[date] = mapped_column(Date)
    person: Mapped[Person] = relationship()
    __table_args__ = (UniqueConstraint("owner_id", "person_id"),)


class OpportunityPass(Owned, Base):
    """An opportunity the user pointed a mentee at: sponsoring when she can."""

    __tablename__ = "opportunity_passes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    passed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("opportunity_id", "person_id"),)


class OfficeHour(Owned, Base):
    """A weekly slot the user keeps for mentees, in her own time zone."""

    __tablename__ = "office_hours"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Monday
    starts_at: Mapped[str] = mapped_column(String(5))  # HH:MM
    ends_at: Mapped[str] = mapped_column(String(5))
    note: Mapped[str | None] = mapped_column(Text)


class FailureStory(Owned, Base):
    """A failure of the user's own worth telling a mentee, and what she learnt. Private."""

    __tablename__ = "failure_stories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    lesson: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)


class MenteeNote(Owned, Base):
    """A mentee's goal or achievement, noted to praise it, showcase it, or sponsor it."""

    __tablename__ = "mentee_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # goal | achievement
    text: Mapped[str] = mapped_column(Text)
    noted_on: Mapped[date] = mapped_column(Date)
    __table_args__ = (Index("ix_mentee_notes_owner_person", "owner_id", "person_id"),)
