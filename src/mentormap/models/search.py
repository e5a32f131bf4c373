"""Derived search data kept beside the full-text index: the meaning of each entry."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from mentormap.models.base import Base


class SearchVector(Base):
    """The embedding of one search index entry (same rowid), as float32 bytes.

    Derived data, like the index itself: no owner of its own (the entry has one), never in a
    backup, made again from the entries by `mentormap semantic install` or `search --reindex`.
    `digest` is a checksum of the model and the entry's text: a changed entry or another model
    is embedded again at the next search.
    """

    __tablename__ = "search_vectors"
    __table_args__ = ({"info": {"derived": True}},)
    rid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    digest: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class SearchChange(Base):
    """An index entry written since meaning search last embedded it (its rowid).

    Noted by the index's triggers while meaning search is on; the next search embeds these
    entries (or forgets the embedding of those that are gone) and clears them.
    """

    __tablename__ = "search_changes"
    __table_args__ = ({"info": {"derived": True}},)
    rid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class SearchState(Base):
    """Counters of the derived search data: `vectors` changes whenever any embedding does, so
    a process holding the embeddings in memory knows when to read them again."""

    __tablename__ = "search_state"
    __table_args__ = ({"info": {"derived": True}},)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
