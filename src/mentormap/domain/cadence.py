"""Cadence math: how often to be in touch with someone, when she is due, and how warm the tie is.

Warmth is the silence measured in cadences (r = days since last contact / cadence):

| band    | rule          | meaning                                   |
|---------|---------------|-------------------------------------------|
| warm    | r <= 1        | inside her cadence (due on its last day)  |
| cooling | 1 < r <= 2    | due: overdue by up to one more cadence    |
| cold    | 2 < r <= 4    | drifting: several catch-ups missed        |
| dormant | r > 4         | a dormant tie, worth reviving deliberately |

Which cadence a person is on, which contacts keep her clock and when it started are the rules of
`mentormap.domain.clock`; `services.clock.standing` applies them all in one query. This module
holds only the arithmetic both share: due on = clock start + cadence (due once that day
arrives, warm on the day itself) and the warmth bands above.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Warmth(StrEnum):
    WARM = "warm"
    COOLING = "cooling"
    COLD = "cold"
    DORMANT = "dormant"


# Upper bounds of r for each band but the last (see the module docstring).
WARM_MAX = 1.0
COOLING_MAX = 2.0
COLD_MAX = 4.0


def due_on(clock_start: date, cadence_days: int) -> date:
    return clock_start + timedelta(days=cadence_days)


def warmth(days_silent: int, cadence_days: int) -> Warmth:
    ratio = days_silent / cadence_days
    if ratio <= WARM_MAX:
        return Warmth.WARM
    if ratio <= COOLING_MAX:
        return Warmth.COOLING
    if ratio <= COLD_MAX:
        return Warmth.COLD
    return Warmth.DORMANT
