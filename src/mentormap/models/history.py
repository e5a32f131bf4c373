"""Derived data for the health report: each person's standing as stretches of days, and their
sums per day, so the report reads a few hundred rows instead of a million interactions.

Nothing here is ever in a backup (`info["derived"]`): `services/health/spans.py` makes it again
from the interactions, roles and memberships whenever a trigger marks a person.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from mentormap.models.base import Base

DERIVED = {"derived": True}


class ClockSpan(Base):
    """Days [on_n, end_n] over which one person's governing clock held still: the same cadence
    and clock start (a day number `start_n`), so her warmth on each day follows from the day
    alone. `end_n` is a far day when nothing ends it yet. A stretch begins on each day she was in
    touch, so it also counts that day's conversations for the report's concentration.

    The index by person and day serves both the report's lookups and its refreshes."""

    __tablename__ = "clock_spans"
    __table_args__ = (
        Index("ix_clock_spans_owner_person", "owner_id", "person_id", "on_n"),
        {"info": DERIVED},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(Integer)  # no foreign key: see ClockMark
    on_n: Mapped[int] = mapped_column(Integer)
    end_n: Mapped[int] = mapped_column(Integer)
    cadence: Mapped[int | None] = mapped_column(Integer)  # NULL: on no clock then
    start_n: Mapped[int | None] = mapped_column(Integer)
    talks: Mapped[int] = mapped_column(Integer)  # conversations outside a group on day on_n


class ClockDay(Base):
    """Per owner and day, how the counts of people on a clock, inside their cadence and in each
    warmth band change on that day (+1 a stretch begins, -1 it has ended): the counts on any day
    are the running sums up to it."""

    __tablename__ = "clock_days"
    __table_args__ = ({"info": DERIVED},)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    day_n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    held: Mapped[int] = mapped_column(Integer, default=0)
    inside: Mapped[int] = mapped_column(Integer, default=0)
    warm: Mapped[int] = mapped_column(Integer, default=0)
    cooling: Mapped[int] = mapped_column(Integer, default=0)
    cold: Mapped[int] = mapped_column(Integer, default=0)
    dormant: Mapped[int] = mapped_column(Integer, default=0)


class ClockMark(Base):
    """A person whose stretches must be worked out again, marked by triggers (migration 0241) on
    every write her standing reads: her own fields, her roles and memberships, her groups, her
    interactions (backdated ones too), her deletion. Marks outlive the person on purpose: her
    stretches are taken out of the sums before they go."""

    __tablename__ = "clock_span_marks"
    __table_args__ = ({"info": DERIVED},)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ClockHistory(Base):
    """Per owner: the first day the stretches cover, and the highest person id worked out (a
    person added since, with no interaction or role yet, has no mark)."""

    __tablename__ = "clock_history"
    __table_args__ = ({"info": DERIVED},)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    horizon_n: Mapped[int] = mapped_column(Integer)
    people_seen: Mapped[int] = mapped_column(Integer)
