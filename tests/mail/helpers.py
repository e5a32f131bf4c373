"""Messages as real mail clients write them, and mbox/Maildir files written by `mailbox`."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mentormap.db import Database
from mentormap.services.context import Ctx

ME = "sofia@example.com"
LONDON = ZoneInfo("Europe/London")


def message(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    when: datetime,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    cc: str | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = subject
    mail["Date"] = format_datetime(when)
    if message_id:
        mail["Message-ID"] = message_id
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    return bytes(mail)


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    box.lock()
    for raw in messages:
        box.add(raw)
    box.flush()
    box.unlock()
    box.close()
    return path


def write_maildir(
    path: Path, messages: list[bytes], folders: dict[str, list[bytes]] | None = None
) -> Path:
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    for name, extra in (folders or {}).items():
        sub = box.add_folder(name)
        for raw in extra:
            sub.add(raw)
    return path


ASK = message(
    sender="Ana Pérez <Ana.Perez@Example.org>",
    to=f"Sofia Reyes <{ME}>",
    subject="Quick favour",
    body=(
        "Hi Sofia,\n\nHope you are well! I'm applying to the Staff programme at work.\n"
        "Would you be willing to be a reference for my application? No pressure at all.\n\n"
        "Thanks,\nAna\n-- \nAna Pérez · Can I help?\n"
    ),
    when=at(20),
    message_id="<ask-1@example.org>",
)
REPLY = message(
    sender=f"Sofia Reyes <{ME}>",
    to="Ana Pérez <ana.perez@example.org>",
    subject="Re: Quick favour",
    body="Of course, happy to.\n\nOn Fri, 20 Nov 2026, Ana wrote:\n> Would you be willing?\n",
    when=at(22),
    message_id="<reply-1@example.com>",
    in_reply_to="<ask-1@example.org>",
    references="<ask-1@example.org>",
)


@contextmanager
def reading(db: Database) -> Iterator[Ctx]:
    """A unit of work on the test's database (commits at the end)."""
    with db.session() as session:
        yield Ctx(session=session, settings=db.settings)
