"""Cadence math: how often to be in touch with someone, when she is due, and how warm the tie is.

Warmth is the silence measured in cadences (r = days since last contact / cadence):

| band    | rule          | meaning                                   |
|---------|---------------|-------------------------------------------|
| warm    | r <= 1        | inside her cadence (due on its last day)  |
| cooling | 1 < r <= 2    | due: overdue by up to one more cadence    |
| cold    | 2 < r <= 4    | drifting: several catch-ups missed        |
| dormant | r > 4         | a dormant tie, worth reviving deliberately |

The rules the daily agenda applies (in SQL, see mentormap.services.clock.keep_in_touch):

- Effective cadence: the person's own override; else the shortest cadence among her active roles
  (a role's own override first, then the catalogue's); else, with no role at all, the contact
  cadence. Mentee and coach roles run on no clock: a mentee reaches out and you answer (see owed
  replies); a coach is hired per engagement. A peer who belongs to an active group is kept warm by
  the group's sessions, so the group is due on its own cadence, not each member.
- The clock starts at the last interaction she took part in, by the day it *happened* (any kind,
  any direction: logging or backdating one resets it). Someone never contacted counts from the day
  her earliest active role began (else the day you met, else the day she was added).
- Due on = clock start + cadence; she is due once that day arrives, warm on the day itself.
- A snoozed person is left out of the due list until her snooze date; archived people never show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mentormap.domain.roles import CATALOGUE, CONTACT_CADENCE_DAYS, RoleKey


class Warmth(StrEnum):
    WARM = "warm"
    COOLING = "cooling"
    COLD = "cold"
    DORMANT = "dormant"


# Upper bounds of r for each band but the last (see the module docstring).
WARM_MAX = 1.0
COOLING_MAX = 2.0
COLD_MAX = 4.0


def effective_cadence(
    person_override: int | None,
    role_keys: Iterable[str],
    role_overrides: Mapping[str, int | None] | None = None,
) -> int | None:
    """Her own override, else the shortest cadence among her active roles, else the contact one.

    Returns None when every role she holds is reactive (a mentee reaches out; a coach is hired
    per engagement): nobody is chased on a clock for those.
    """
    if person_override:
        return person_override
    keys = list(role_keys)
    if not keys:
        return CONTACT_CADENCE_DAYS
    overrides = role_overrides or {}
    cadences = [overrides.get(key) or CATALOGUE[RoleKey(key)].cadence_days for key in keys]
    clocked = [c for c in cadences if c]
    return min(clocked) if clocked else None


def due_on(last_contact: date, cadence_days: int) -> date:
    return last_contact + timedelta(days=cadence_days)


def warmth(days_silent: int, cadence_days: int) -> Warmth:
    ratio = days_silent / cadence_days
    if ratio <= WARM_MAX:
        return Warmth.WARM
    if ratio <= COOLING_MAX:
        return Warmth.COOLING
    if ratio <= COLD_MAX:
        return Warmth.COLD
    return Warmth.DORMANT


@dataclass(frozen=True)
class Standing:
    cadence_days: int
    since: date  # last contact, or the day her role began if never contacted
    due_on: date
    warmth: Warmth


def standing(since: date, cadence_days: int, today: date) -> Standing:
    """Where a tie stands today, from the date that starts the clock and the cadence."""
    return Standing(
        cadence_days=cadence_days,
        since=since,
        due_on=due_on(since, cadence_days),
        warmth=warmth(max(0, (today - since).days), cadence_days),
    )
