"""Their lives, pure: birthdays (with or without a year) and the kinds of news worth marking.

A birthday is stored as YYYY-MM-DD, or --MM-DD when the year is not known (the vCard form).
Someone born on 29 February has her birthday on 28 February in years without one: it stays in
her own month and is never missed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

from mentormap.errors import InvalidInput

_FULL = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NO_YEAR = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})")
LEAP_DAY_RULE = "29 February birthdays fall on 28 February in years without one."
BIRTHDAY_FORMS = "YYYY-MM-DD, or MM-DD (or --MM-DD) when you do not know the year"


def parse_birthday(value: str) -> str | None:
    """A birthday as stored (YYYY-MM-DD or --MM-DD); None for an empty value (clears it)."""
    text = value.strip()
    if not text:
        return None
    full = _FULL.fullmatch(text)
    try:
        if full:
            born = date(int(full.group(1)), int(full.group(2)), int(full.group(3)))
            if born.year < 1900:
                raise ValueError(text)
            return born.isoformat()
        short = _NO_YEAR.fullmatch(text)
        if short:
            month, day = int(short.group(1)), int(short.group(2))
            date(2000, month, day)  # a leap year, so 29 February is accepted
            return f"--{month:02d}-{day:02d}"
    except ValueError:
        pass
    raise InvalidInput(f"{value.strip()!r} is not a birthday; write {BIRTHDAY_FORMS}.")


def month_day(birthday: str) -> tuple[int, int]:
    return int(birthday[-5:-3]), int(birthday[-2:])


def birth_year(birthday: str) -> int | None:
    return None if birthday.startswith("--") else int(birthday[:4])


def birthday_in(birthday: str, year: int) -> date:
    """The day her birthday falls on in `year` (29 February → 28 February in common years)."""
    month, day = month_day(birthday)
    if (month, day) == (2, 29):
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


def birthday_text(birthday: str | None) -> str:
    """'17 August 1936', or '17 August' without a year; '' when not known."""
    if not birthday:
        return ""
    month, day = month_day(birthday)
    shown = f"{day} {date(2000, month, day):%B}"
    year = birth_year(birthday)
    return shown if year is None else f"{shown} {year}"


def next_birthday(birthday: str, on_or_after: date) -> date:
    this_year = birthday_in(birthday, on_or_after.year)
    return this_year if this_year >= on_or_after else birthday_in(birthday, on_or_after.year + 1)


def age_on(birthday: str, day: date) -> int | None:
    """How old she turns on the birthday that falls on `day` (None without a year)."""
    year = birth_year(birthday)
    return None if year is None else day.year - year


def month_days_between(start: date, end: date) -> list[str] | None:
    """The stored "MM-DD" endings whose birthdays can fall in [start, end]; None: any can.

    29 February is included whenever 28 February of a common year is in the range.
    """
    if (end - start).days >= 365:
        return None
    found: list[str] = []
    day = start
    while day <= end:
        found.append(f"{day.month:02d}-{day.day:02d}")
        if (day.month, day.day) == (2, 28):
            try:
                date(day.year, 2, 29)
            except ValueError:
                found.append("02-29")
        day += timedelta(days=1)
    return found


class LifeEventKind(StrEnum):
    NEW_JOB = "new_job"
    MOVE = "move"
    BABY = "baby"
    PROMOTION = "promotion"
    WEDDING = "wedding"
    AWARD = "award"
    OTHER = "other"


# What to say: a nudge to write it in your own words, per kind.
CONGRATULATE: dict[LifeEventKind, str] = {
    LifeEventKind.NEW_JOB: "Wish {name} well in the new job, and ask what drew her to it.",
    LifeEventKind.MOVE: "Ask {name} how the move went and how the new place feels.",
    LifeEventKind.BABY: "Congratulate {name} on the baby; ask how they are all doing.",
    LifeEventKind.PROMOTION: "Congratulate {name} on the promotion; it was earned.",
    LifeEventKind.WEDDING: "Send {name} your warm wishes for the wedding.",
    LifeEventKind.AWARD: "Tell {name} the award was well deserved, and what you admire in it.",
    LifeEventKind.OTHER: "Say something to {name} about it, in your own words.",
}
KIND_LABELS = ", ".join(k.value for k in LifeEventKind)


def parse_life_event_kind(value: str) -> LifeEventKind:
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return LifeEventKind(cleaned)
    except ValueError:
        raise InvalidInput(f"Unknown kind {value!r}; choose one of: {KIND_LABELS}.") from None


def congratulate(kind: str | None, name: str) -> str:
    first = name.split()[0] if name.split() else name
    try:
        chosen = LifeEventKind(kind or "other")
    except ValueError:
        chosen = LifeEventKind.OTHER
    return CONGRATULATE[chosen].format(name=first)
