"""The user's own career: achievements, goals, opportunities, trips, money, preferences."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormap.models.base import Base, Owned, utcnow
from mentormap.models.people import Person


class Achievement(Owned, Base):
    """An entry in the brag document."""

    __tablename__ = "achievements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    impact: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    shares: Mapped[list[AchievementShare]] = relationship(
        back_populates="achievement", cascade="all, delete-orphan"
    )
    __table_args__ = (Index("ix_achievements_owner_on", "owner_id", "occurred_on"),)


class AchievementTag(Owned, Base):
    __tablename__ = "achievement_tags"
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AchievementShare(Owned, Base):
    """Who an achievement was shared with, and when."""

    __tablename__ = "achievement_shares"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    shared_on: Mapped[date] = mapped_column(Date)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    achievement: Mapped[Achievement] = relationship(back_populates="shares")
    person: Mapped[Person] = relationship()


class Goal(Owned, Base):
    """A career goal, or a current challenge; `top` marks the ones a role model should hear."""

    __tablename__ = "goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="goal")  # goal | challenge
    title: Mapped[str] = mapped_column(Text)
    top: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | done | dropped
    created_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Trip(Owned, Base):
    """The user's trip (person_id empty) or a contact's visit to the user's city."""

    __tablename__ = "trips"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str | None] = mapped_column(String(64))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    person: Mapped[Person | None] = relationship()
    __table_args__ = (Index("ix_trips_owner_dates", "owner_id", "start_on", "end_on"),)


class Opportunity(Owned, Base):
    """A CFP, conference, program, project or role, and who brought it (migration 0191)."""

    __tablename__ = "opportunities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # domain/practice.py: OpportunityKind
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    deadline: Mapped[date | None] = mapped_column(Date)
    brought_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # considering | applied | accepted | declined | done (domain/practice.py)
    status: Mapped[str] = mapped_column(String(20), default="considering")
    note: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)


class Expense(Owned, Base):
    """Money put into the career: coaching, courses, conferences."""

    __tablename__ = "expenses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    category: Mapped[str] = mapped_column(String(20), default="coaching")  # coaching|course|other
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_expenses_owner_spent", "owner_id", "spent_on"),)


class Preference(Owned, Base):
    """The user's own settings stored with her data: employer, home city, budget, windows."""

    __tablename__ = "preferences"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("owner_id", "key"),)
