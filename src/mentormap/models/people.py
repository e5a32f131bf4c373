"""People and what is known about them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from mentormap.domain.folding import fold
from mentormap.models.base import Base, Owned, utcnow


def _name_key_of_row(context: Any) -> str:
    """The search key of a row inserted without one (bulk inserts of imports)."""
    return fold(context.get_current_parameters().get("name") or "")


class Person(Owned, Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Her name folded for search (domain/folding.py: case, accents, ø → o); kept by the
    # validator below on every ORM write and by the default on bulk inserts (migration 0121).
    name_key: Mapped[str] = mapped_column(String(400), default=_name_key_of_row, server_default="")
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    how_met: Mapped[str | None] = mapped_column(Text)
    met_on: Mapped[date | None] = mapped_column(Date)
    birthday: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD or --MM-DD
    interests: Mapped[str | None] = mapped_column(Text)
    expertise: Mapped[str | None] = mapped_column(Text)
    personal_details: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    # Preferences: how this person likes to stay in touch.
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    preferred_format: Mapped[str | None] = mapped_column(String(60))
    preferred_time: Mapped[str | None] = mapped_column(String(60))
    work_hours: Mapped[str | None] = mapped_column(String(20))  # "09:00-17:30"
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Date of the latest interaction she took part in; kept by the interactions service so that
    # the daily agenda needs no scan of the interaction history.
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    # When (UTC) and on which local day the latest outbound or mutual interaction with her
    # happened, kept by the same service: the owed-replies check reads these instead of walking
    # her history for every message still needing a reply (migration 0091).
    last_outgoing_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_outgoing_on: Mapped[date | None] = mapped_column(Date)
    # The latest conversation and the latest highlights email she took part in, kept by the same
    # service: a role whose clock a ping does not keep reads these (domain/clock.py, 0101).
    last_conversation_on: Mapped[date | None] = mapped_column(Date)
    last_highlights_on: Mapped[date | None] = mapped_column(Date)
    # Her own rule for what keeps her clock: None (her roles decide), "any" or "conversation".
    keeps_clock: Mapped[str | None] = mapped_column(String(20))
    # The first day (a day number) she can be due or her clock can change on its own, and the
    # day that was worked out; 0: work it out again (triggers set it, migration 0141;
    # services/clock/checks.py fills it in).
    clock_check_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    clock_checked_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The clock that was worked out then: its start (a day number) and cadence (None: no
    # clock), read by long lists until her check day comes (migration 0161).
    clock_start_n: Mapped[int | None] = mapped_column(Integer)
    clock_cadence: Mapped[int | None] = mapped_column(Integer)
    clock_role: Mapped[str | None] = mapped_column(String(40))  # the kept clock's role
    # The next day that clock changes on its own (a role begins or ends; 0171); 0: unknown.
    clock_change_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.id"
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.id"
    )
    links: Mapped[list[PersonLink]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonLink.id"
    )
    attributes: Mapped[list[PersonAttribute]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonAttribute.key"
    )
    life_events: Mapped[list[LifeEvent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="LifeEvent.occurred_on"
    )

    __table_args__ = (
        Index("ix_people_owner_name", "owner_id", "name"),
        Index("ix_people_owner_archived_last", "owner_id", "archived", "last_contact_on"),
        Index(
            "ix_people_owner_archived_conversation", "owner_id", "archived", "last_conversation_on"
        ),
        Index("ix_people_owner_lower_name", "owner_id", func.lower(name)),
        Index("ix_people_owner_city", "owner_id", "city"),
        Index("ix_people_owner_cadence", "owner_id", "cadence_days"),
        Index("ix_people_owner_name_key", "owner_id", "name_key"),
        Index("ix_people_owner_clock_check", "owner_id", "clock_check_n"),
        Index("ix_people_owner_clock_checked", "owner_id", "clock_checked_n"),
        Index("ix_people_owner_clock_change", "owner_id", "clock_change_n"),
        Index("ix_people_owner_birthday", "owner_id", "birthday"),
    )

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = fold(value or "")
        return value


class PersonEmail(Owned, Base):
    __tablename__ = "person_emails"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))  # stored lower-case
    label: Mapped[str | None] = mapped_column(String(60))
    person: Mapped[Person] = relationship(back_populates="emails")
    __table_args__ = (Index("ix_person_emails_owner_email", "owner_id", "email"),)


class PersonPhone(Owned, Base):
    __tablename__ = "person_phones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(60))
    normalized: Mapped[str] = mapped_column(String(40))  # digits only, with country code if known
    label: Mapped[str | None] = mapped_column(String(60))
    person: Mapped[Person] = relationship(back_populates="phones")
    __table_args__ = (Index("ix_person_phones_owner_normalized", "owner_id", "normalized"),)


class PersonLink(Owned, Base):
    __tablename__ = "person_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # linkedin, github, site, other
    url: Mapped[str] = mapped_column(String(500))
    person: Mapped[Person] = relationship(back_populates="links")
    __table_args__ = (Index("ix_person_links_owner_url", "owner_id", "url"),)


class PersonAttribute(Owned, Base):
    """A user-defined dimension (gender, seniority, region...): set by hand, never guessed."""

    __tablename__ = "person_attributes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))
    person: Mapped[Person] = relationship(back_populates="attributes")
    __table_args__ = (UniqueConstraint("person_id", "key"),)


class LifeEvent(Owned, Base):
    """News in someone's life worth asking about: a new baby, a move, a promotion."""

    __tablename__ = "life_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    # new_job, move, baby, promotion, wedding, award, other (domain/lives.py; migration 0261)
    kind: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    person: Mapped[Person] = relationship(back_populates="life_events")
    __table_args__ = (Index("ix_life_events_owner_occurred", "owner_id", "occurred_on"),)


class Tag(Owned, Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    __table_args__ = (UniqueConstraint("owner_id", "name"),)


class PersonTag(Owned, Base):
    __tablename__ = "person_tags"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
