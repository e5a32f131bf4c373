"""Plan a peer-group session: a short opening, then fair time boxes, with a rotating start.

Pure: names in, a schedule out. The seed's arithmetic (an hour shared by six is ten minutes
each, if you start on time) is the baseline; a member with a pressing problem gets a double share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mentormap.errors import InvalidInput

MIN_SHARE_MINUTES = 3
PRESSING_WEIGHT = 2


@dataclass(frozen=True)
class Slot:
    label: str  # "Opening" or a member's name
    starts: datetime
    ends: datetime
    minutes: int
    pressing: bool = False


def opening_minutes(total: int) -> int:
    """A short opening for chit-chat: about a tenth of the session, 2 to 10 minutes."""
    return max(2, min(10, round(total / 10)))


def rotate(names: list[str], first_last_time: str | None) -> list[str]:
    """Alphabetical order, started with the next name after whoever went first last time
    (present or not), wrapping round: over sessions everyone gets to go first."""
    ordered = sorted(dict.fromkeys(names), key=str.casefold)
    if first_last_time is None:
        return ordered
    last = first_last_time.casefold()
    index = next((i for i, name in enumerate(ordered) if name.casefold() > last), 0)
    return ordered[index:] + ordered[:index]


def shares(total: int, order: list[str], pressing: set[str]) -> dict[str, int]:
    """Whole minutes per member: equal, or double for a pressing problem; leftovers go to
    pressing members first, then in speaking order."""
    weights = {name: PRESSING_WEIGHT if name in pressing else 1 for name in order}
    unit = total / sum(weights.values())
    minutes = {name: int(unit * weight) for name, weight in weights.items()}
    leftover = total - sum(minutes.values())
    receivers = [n for n in order if n in pressing] + [n for n in order if n not in pressing]
    for name in receivers[:leftover]:
        minutes[name] += 1
    return minutes


def plan_session(
    start: datetime,
    total_minutes: int,
    present: list[str],
    *,
    pressing: list[str] | None = None,
    first_last_time: str | None = None,
) -> list[Slot]:
    """The schedule: an opening slot, then one slot per present member."""
    if total_minutes <= 0:
        raise InvalidInput("A session needs a positive number of minutes.")
    if not present:
        raise InvalidInput("Nobody is present: name at least one member.")
    pressing_set = set(pressing or [])
    unknown = sorted(pressing_set - set(present))
    if unknown:
        raise InvalidInput(f"{', '.join(unknown)} is not among those present.")
    order = rotate(present, first_last_time)
    opening = opening_minutes(total_minutes)
    remaining = total_minutes - opening
    weight_sum = sum(PRESSING_WEIGHT if n in pressing_set else 1 for n in order)
    if remaining / weight_sum < MIN_SHARE_MINUTES:
        raise InvalidInput(
            f"{total_minutes} minutes is too short for {len(order)} people; "
            f"each needs at least {MIN_SHARE_MINUTES} minutes."
        )
    slots = [Slot("Opening", start, start + timedelta(minutes=opening), opening)]
    clock = slots[0].ends
    for name, minutes in shares(remaining, order, pressing_set).items():
        ends = clock + timedelta(minutes=minutes)
        slots.append(Slot(name, clock, ends, minutes, name in pressing_set))
        clock = ends
    return slots
