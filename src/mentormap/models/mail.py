"""What mail capture remembers: accounts, how far each folder was read, and each message's
headers (never its body), so a message is counted once and unknown correspondents can be
suggested."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mentormap.models.base import Base, Owned, utcnow


class MailAccount(Owned, Base):
    """An IMAP account read read-only. Its password lives in the keyring or comes from a
    command; it is never stored here."""

    __tablename__ = "mail_accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(320))
    security: Mapped[str] = mapped_column(String(10), default="ssl")  # ssl | starttls | plain
    password_command: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("owner_id", "name"),)


class MailFolder(Owned, Base):
    """One folder of an account: its UIDVALIDITY and the last UID read."""

    __tablename__ = "mail_folders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)
    uidvalidity: Mapped[int | None] = mapped_column(Integer)
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("account_id", "name"),)


class MailMessage(Owned, Base):
    """One message seen, by its key (Message-ID, or a hash when it has none): headers only."""

    __tablename__ = "mail_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_key: Mapped[str] = mapped_column(String(255))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="CASCADE"), index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    sent_on: Mapped[date] = mapped_column(Date)  # the user's local day
    direction: Mapped[str] = mapped_column(String(10))  # inbound | outbound
    thread_root: Mapped[str] = mapped_column(String(255))
    subject_key: Mapped[str] = mapped_column(String(255), default="")
    subject: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str | None] = mapped_column(Text)  # the sentence it asks, inbound only
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (
        UniqueConstraint("owner_id", "message_key"),
        Index("ix_mail_messages_owner_thread", "owner_id", "thread_root"),
        Index("ix_mail_messages_owner_subject", "owner_id", "subject_key"),
    )


class MailAddress(Owned, Base):
    """A correspondent of a message (the sender of an inbound one, the recipients of an outbound
    one; never the user herself)."""

    __tablename__ = "mail_addresses"
    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (Index("ix_mail_addresses_owner_address", "owner_id", "address"),)
