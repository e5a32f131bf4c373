"""Parse the short duration and date forms used on the command line."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentormap.errors import InvalidInput

_DURATION = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_days(value: str) -> int:
    """'14', '14d', '2w', '3m', '1y' → days."""
    match = _DURATION.match(value)
    if not match or int(match.group(1)) <= 0:
        raise InvalidInput(f"{value!r} is not a duration; write e.g. 14d, 2w, 3m or 1y.")
    return int(match.group(1)) * _UNIT_DAYS[match.group(2).lower()]


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
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a date; write YYYY-MM-DD, 'yesterday', or e.g. -3d."
        ) from None
