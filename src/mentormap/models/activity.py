"""What happens between the user and her network: interactions and the loops they open."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentormap.models.base import Base, Owned, utcnow
from mentormap.models.network import Group
from mentormap.models.people import Person


class Interaction(Owned, Base):
    """A conversation or message, dated by when it happened, not when it was logged."""

    __tablename__ = "interactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    occurred_on: Mapped[date] = mapped_column(Date)  # the user's local calendar day
    kind: Mapped[str] = mapped_column(String(30))
    direction: Mapped[str] = mapped_column(String(10), default="mutual")
    location: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)  # Markdown
    needs_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether a reply is owed: 0 no, 1 yes (to the participants marked `owed`), 2 work it out
    # (triggers set 2, migrations 0151 and 0291; services/clock/checks.py works it out).
    owed_state: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    external_uid: Mapped[str | None] = mapped_column(String(500))  # e.g. a calendar event UID
    source: Mapped[str | None] = mapped_column(String(30))  # manual, ics, demo...
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    participants: Mapped[list[InteractionParticipant]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan"
    )
    group: Mapped[Group | None] = relationship()
    __table_args__ = (
        Index("ix_interactions_owner_on", "owner_id", "occurred_on"),
        Index("ix_interactions_owner_uid", "owner_id", "external_uid"),
        Index("ix_interactions_group", "group_id"),
        # Owed replies: only the few rows still needing a reply (migration 0031).
        Index(
            "ix_interactions_owed",
            "owner_id",
            "occurred_on",
            # PostgreSQL's partial form is the migration's: naming it here would load
            # that dialect (and asyncio) into every command.
            sqlite_where=text("needs_reply = 1"),
        ),
        Index(
            "ix_interactions_owed_state",
            "owner_id",
            "occurred_on",
            sqlite_where=text("owed_state > 0"),
        ),
    )


class InteractionParticipant(Owned, Base):
    __tablename__ = "interaction_participants"
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    interaction: Mapped[Interaction] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()
    # A reply to her is owed for this message (worked out with its `owed_state`, which see).
    owed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    __table_args__ = (Index("ix_participants_person", "person_id", "interaction_id"),)


class FollowUp(Owned, Base):
    """A commitment with a due date: mine ("send the deck") or theirs ("intro to Sam")."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    due_on: Mapped[date | None] = mapped_column(Date)
    owed_by: Mapped[str] = mapped_column(String(10), default="me")  # me | them
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | done | cancelled
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(30))  # which rule made it, None if by hand
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    favour_id: Mapped[int | None] = mapped_column(ForeignKey("favours.id", ondelete="CASCADE"))
    closed_by_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    person: Mapped[Person | None] = relationship()
    __table_args__ = (Index("ix_follow_ups_owner_state_due", "owner_id", "state", "due_on"),)


class Favour(Owned, Base):
    """Given or received. A received one runs received → acted_on → reported_back."""

    __tablename__ = "favours"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(10))  # given | received
    kind: Mapped[str] = mapped_column(String(30))  # introduction, referral, ...
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="received")
    acted_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    person: Mapped[Person] = relationship()


class AgendaItem(Owned, Base):
    """A concrete point parked for the next conversation with a person or a group."""

    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | discussed | dropped
    discussed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Advice(Owned, Base):
    """What someone advised; later the user records whether she followed it and if it helped."""

    __tablename__ = "advice"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    given_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    followed: Mapped[bool | None] = mapped_column(Boolean)
    helped: Mapped[bool | None] = mapped_column(Boolean)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    person: Mapped[Person] = relationship()
