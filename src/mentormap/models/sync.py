"""What sync with an address book or calendar remembers: the sources, each card linked to a
person (with the card as last seen and the field values last agreed, for three-way merges),
each calendar event seen, and the catch-ups booked ahead. Passwords are never stored here."""

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
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from mentormap.models.base import Base, Owned, utcnow


class SyncSource(Owned, Base):
    """A CardDAV address book, a CalDAV calendar or an .ics address to sync with."""

    __tablename__ = "sync_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # carddav | caldav | ics
    url: Mapped[str] = mapped_column(Text)  # as she gave it
    collection_url: Mapped[str | None] = mapped_column(Text)  # found by discovery
    username: Mapped[str | None] = mapped_column(String(320))
    password_command: Mapped[str | None] = mapped_column(Text)
    roles_as_categories: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_report: Mapped[str | None] = mapped_column(Text)  # the last run's counts, as JSON
    __table_args__ = (UniqueConstraint("owner_id", "name"),)


class SyncCard(Owned, Base):
    """One card of an address book and the person it is linked to (NULL: she was deleted in
    mentormap; the card is left alone). `raw` is the card as last read or written, so what
    mentormap does not model is written back untouched; `synced` the field values both sides
    agreed on after the last run (JSON), the base of the three-way merge.

    For a CalDAV calendar, one calendar object as last read (person_id NULL, `synced` "{}"):
    a run fetches only the objects the server changed and reads the others from here."""

    __tablename__ = "sync_cards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sync_sources.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    href: Mapped[str] = mapped_column(Text)
    uid: Mapped[str] = mapped_column(String(500))
    etag: Mapped[str | None] = mapped_column(String(500))
    raw: Mapped[str] = mapped_column(Text)
    synced: Mapped[str] = mapped_column(Text)
    synced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set by triggers (migration 0271) when anything the card holds changes in mentormap;
    # taken off by the run that reads it. A hint: it can only make a run compare more people.
    changed_here: Mapped[bool] = mapped_column(Boolean, default=False, server_default=true())
    __table_args__ = (
        UniqueConstraint("source_id", "href"),
        Index("ix_sync_cards_source_uid", "source_id", "uid"),
        Index("ix_sync_cards_source_changed", "source_id", "changed_here"),
    )


class SyncEvent(Owned, Base):
    """One calendar event seen (a repeat: one per date), and what it became: an interaction
    (past), a booking (ahead) or a trip (an all-day visit)."""

    __tablename__ = "sync_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sync_sources.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(600))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    trip_id: Mapped[int | None] = mapped_column(
        ForeignKey("trips.id", ondelete="SET NULL"), index=True
    )
    __table_args__ = (UniqueConstraint("source_id", "uid"),)


class Booking(Owned, Base):
    """A catch-up planned ahead with a person, from a calendar event: until that day she is
    *booked*, not due (`services/clock/standing.py`). Triggers mark her clock for a new check."""

    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("sync_events.id", ondelete="CASCADE"))
    on: Mapped[date] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        Index("ix_bookings_person_on", "person_id", "on"),
    )
