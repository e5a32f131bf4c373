"""Parse the short duration and date forms used on the command line."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentormap.errors import InvalidInput

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}
MAX_DAYS = 3660
"""Ten years: the longest cadence, window or relative date anyone means; longer ones would
overflow date arithmetic further down (a cadence four times over, a year of history)."""
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def parse_days(value: str) -> int:
    """'14', '14d', '2w', '3m', '1y' → days."""
    match = _DURATION.match(value)
    if not match or int(match.group(1)) <= 0:
        raise InvalidInput(f"{value!r} is not a duration; write e.g. 14d, 2w, 3m or 1y.")
    days = int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()]
    check_days(days, value)
    return days


def check_days(days: int, shown: object = None) -> int:
    """Refuse a duration longer than MAX_DAYS (ten years)."""
    if days > MAX_DAYS:
        label = shown if shown is not None else f"{days} days"
        raise InvalidInput(f"{label!r} is too long; durations go up to ten years.")
    return days


def parse_date(value: str, today: date) -> date:
    """ISO dates plus 'today', 'yesterday', 'tomorrow' and relative forms like '-3d' or '+2w'."""
    text = value.strip().lower()
    named = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if text in named:
        return today + timedelta(days=named[text])
    if text[:1] in "+-" and len(text) > 1:
        days = parse_days(text[1:])
        return today + timedelta(days=days if text[0] == "+" else -days)
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a date; write YYYY-MM-DD, 'yesterday', or e.g. -3d."
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise InvalidInput(f"{value!r} is out of range; use a date between 1900 and 2999.")
    return parsed
