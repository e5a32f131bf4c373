"""The plain records every parser yields and every writer takes, and the typed parse error."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from mentormap.domain.links import UnsafeLink, normalize_link
from mentormap.errors import InvalidInput

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

CONTACT_FIELDS = (
    "name",
    "company",
    "title",
    "city",
    "country",
    "how_met",
    "met_on",
    "birthday",
    "notes",
)
"""Single-valued person fields a contact record can carry (besides emails, phones, links)."""


class ParseError(InvalidInput):
    """A file, or one record in it, cannot be read. `where` names the line or record."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class BadRecord(ParseError):
    """A record that stopped an import which was not asked to leave bad records out."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where, problem)
        said = problem if problem.endswith((".", "!", "?", ")")) else problem + "."
        self.args = (
            f"{where}: {said} Run again with --skip-bad to leave it out and import the rest.",
        )


OnError = Callable[[ParseError], None] | None
"""Parsers raise a record's error, or hand it to this callback and go on (for --skip-bad)."""


@dataclass(frozen=True)
class ParseWarning:
    """Something left out or read another way, while the record itself still imports."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


OnWarning = Callable[[ParseWarning], None] | None
"""Where parsers tell what they dropped or guessed; None means nobody is listening."""


def report(error: ParseError, on_error: OnError) -> None:
    if on_error is None:
        raise error
    on_error(error)


def warn(where: str, problem: str, on_warning: OnWarning) -> None:
    if on_warning is not None:
        on_warning(ParseWarning(where, problem))


@dataclass
class Labelled:
    value: str
    label: str | None = None


@dataclass
class ContactRecord:
    """One person as an address book or a network export knows her."""

    name: str
    where: str = ""  # "line 12" or "card 3": for the import plan and error messages
    emails: list[Labelled] = field(default_factory=list)
    phones: list[Labelled] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    company: str | None = None
    title: str | None = None
    city: str | None = None
    country: str | None = None
    how_met: str | None = None
    met_on: date | None = None
    birthday: str | None = None  # YYYY-MM-DD or --MM-DD (no year known)
    notes: str | None = None


@dataclass
class EventRecord:
    """One calendar occurrence: a single event, or one date of a recurring series."""

    uid: str  # unique per occurrence: the event UID, plus "/<date>" for a recurring one
    start: datetime  # naive UTC
    summary: str
    where: str = ""
    location: str | None = None
    description: str | None = None
    attendee_emails: list[str] = field(default_factory=list)
    attendee_names: list[str] = field(default_factory=list)
    all_day: bool = False
    skipped: str | None = None  # "cancelled" or "declined": read, but not to be imported


def clean(value: str | None) -> str | None:
    """Trimmed text, or None for blanks."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_empty(record: ContactRecord) -> bool:
    """A row or card with nothing a person could be made of (Google adds rows of bare labels)."""
    return not (
        record.name.strip() or record.emails or record.phones or record.links or record.company
    )


def check_contact(record: ContactRecord, on_warning: OnWarning = None) -> ContactRecord | None:
    """Raise ParseError when a record cannot become a person; normalise what it carries.

    None for an empty record: nothing to import, and nothing wrong either. Only what makes the
    person herself fails the record (no name, a name of over 200 characters). A bad *field*
    costs that field, never the person: an email or phone that is not one ("BusinessPhone", a
    name typed into the phone field), an over-long company or title, a link that is not http,
    https or mailto (a `javascript:` URL would run when clicked) are each left out with a
    warning naming the record.
    """
    if is_empty(record):
        return None
    record.name = " ".join(record.name.split())
    if not record.name:
        raise ParseError(record.where, "a contact needs a name (or at least an email).")
    if len(record.name) > 200:
        raise ParseError(record.where, "the name is longer than 200 characters.")
    record.emails = [e for e in record.emails if usable_email(e, record.where, on_warning)]
    record.phones = [p for p in record.phones if usable_phone(p, record.where, on_warning)]
    record.links = [link for link in record.links if _safe_link(link, record.where, on_warning)]
    if record.notes:
        record.notes = record.notes.replace("\r\n", "\n").replace("\r", "\n").strip() or None
    for name in ("company", "title", "city", "country"):
        value = getattr(record, name)
        if value is not None and len(value) > (120 if name in ("city", "country") else 200):
            warn(record.where, f"left out the {name}: longer than it can be.", on_warning)
            setattr(record, name, None)
    return record


def shown(value: str, size: int = 80) -> str:
    """A value quoted for a message, cut to `size` characters."""
    return repr(value if len(value) <= size else value[: size - 3] + "...")


def usable_email(item: Labelled, where: str, on_warning: OnWarning) -> bool:
    """Normalise an email in place; False (with a warning) when it is not an address."""
    item.value = item.value.strip().lower()
    if item.value.startswith("mailto:"):
        item.value = item.value[len("mailto:") :]
    if EMAIL.match(item.value) and len(item.value) <= 320:
        return True
    warn(where, f"left out the email {shown(item.value)}: not an email address.", on_warning)
    return False


def usable_phone(item: Labelled, where: str, on_warning: OnWarning) -> bool:
    """Trim a phone in place; False (with a warning) when it holds no phone number."""
    item.value = item.value.strip()
    digits = sum(ch.isdigit() for ch in item.value)
    if digits >= 3 and len(item.value) <= 60:
        return True
    warn(where, f"left out the phone {shown(item.value)}: not a phone number.", on_warning)
    return False


def _safe_link(link: str, where: str, on_warning: OnWarning) -> bool:
    if len(link) > 500:
        warn(where, f"left out the link {shown(link)}: longer than 500 characters.", on_warning)
        return False
    try:
        normalize_link(link)
    except UnsafeLink:
        warn(
            where,
            f"left out {shown(link)}: only http, https and mailto links are kept.",
            on_warning,
        )
        return False
    return True


# Characters some readers end a line at (Python's str.splitlines does at all of them), and the
# other control characters, which no contact or calendar field needs.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def plain_lines(text: str) -> str:
    """Text for a writer to escape: every kind of line break as "\n", other controls gone.

    Writers escape "\n"; a U+2028 or a form feed left as is would start a new line for some
    readers, and a note could then end the card or event and begin one of its own.
    """
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def name_from_email(email: str) -> str:
    """A readable stand-in name when a contact has only an address: jane.doe@x -> Jane Doe."""
    local = email.split("@", 1)[0]
    parts = [part for part in re.split(r"[._\-+]+", local) if part]
    return " ".join(part.capitalize() for part in parts) or email
