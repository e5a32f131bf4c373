"""Health scoring: the pure parts — thresholds, the coverage checklist, evenness, month ends.

The reasons paraphrase the seed essay "Some Thoughts On Mentoring" in mentormap's own words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mentormap.domain.roles import RoleKey

MENTOR_ROLES = (
    RoleKey.ROLE_MODEL,
    RoleKey.VISIONARY,
    RoleKey.SPONSOR,
    RoleKey.CHAMPION,
    RoleKey.COACH,
)

# Rings of the orbit map, innermost first.
RINGS: tuple[tuple[str, tuple[RoleKey, ...]], ...] = (
    ("friends", (RoleKey.FRIEND, RoleKey.WORK_FRIEND)),
    ("mentors & sponsors", MENTOR_ROLES),
    ("peers", (RoleKey.PEER,)),
    ("mentees", (RoleKey.MENTEE,)),
    ("contacts", (RoleKey.CONTACT,)),
)
RING_OF = {key: i for i, (_label, keys) in enumerate(RINGS) for key in keys}

CONCENTRATION_LIMIT = 0.5  # more than half of mentoring talk with one person is a warning
OUTSIDE_TARGET = 0.5  # at least half the close circle outside the employer
EVENNESS_TARGET = 0.6  # normalised entropy below this is one-sided
DOMINANCE_LIMIT = 2 / 3  # or one value held by two people in three
ADHERENCE_TARGET = 0.7
ADHERENCE_DAYS = 90
REPORT_BACK_GRACE_DAYS = 14
HISTORY_MONTHS = 12


COVERAGE = (
    (
        "friend_outside",
        "A friend outside your company",
        "Someone to ring on the day you leave work in tears — and outside the company, so you "
        "can talk about anything, even what a colleague might be obliged to report.",
        "Name a friend outside work (`mentormap role add NAME friend`) and call them this week.",
    ),
    (
        "work_friend",
        "A work friend",
        "A colleague you see outside work shares the company context, so confidential tangles "
        "need no explaining.",
        "Ask a colleague you trust out for lunch away from the office.",
    ),
    (
        "peer",
        "A peer group",
        "Peers give many viewpoints at once, often ones the rest of your network lacks, and "
        "connect each other to people.",
        "Join or start a small peer mentoring group that meets about monthly.",
    ),
    (
        "role_model",
        "A role model",
        "Someone who holds the job you want next makes it look reachable and notices trends in "
        "you that close friends miss.",
        "Find someone in your goal job and ask for a specific conversation, not 'be my mentor'.",
    ),
    (
        "visionary",
        "A visionary",
        "A mentor far beyond you answers the big strategic questions and can open doors.",
        "Ask a senior leader one high-level question; keep it short and plan well ahead.",
    ),
    (
        "sponsor",
        "A sponsor",
        "A sponsor spends their reputation on you and gets you the next project; sponsors are "
        "found and cultivated, not signed up for.",
        "Work more closely with the most supportive senior person and share your achievements.",
    ),
    (
        "coach_or_champion",
        "A coach or champion",
        "A paid coach brings depth on one task; a champion pushes you along one axis, such as "
        "talks or CFPs.",
        "Budget for a coach on one skill, or thank whoever sends you CFPs and mark them champion.",
    ),
    (
        "mentee",
        "Mentees",
        "Paying it forward is how people come to want to help you.",
        "Offer time to someone earlier in their career; tell them what schedule you can keep.",
    ),
)


def evenness(counts: list[int]) -> float:
    """Normalised Shannon entropy: 1.0 when every value is equally common, 0.0 with one value."""
    total = sum(counts)
    values = [c for c in counts if c > 0]
    if total == 0 or len(values) < 2:
        return 0.0
    entropy = -sum((c / total) * math.log(c / total) for c in values)
    return entropy / math.log(len(values))


def month_end(today: date, back: int) -> date:
    """The last day of the month `back` months ago; today for the current month."""
    if back == 0:
        return today
    year, month = today.year, today.month - back
    while month <= 0:
        month += 12
        year -= 1
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


@dataclass
class Finding:
    area: str
    key: str  # stable: "coverage.sponsor", "money.over_budget"
    ok: bool  # True: checked and fine
    title: str
    reason: str  # why it matters, after the seed essay
    action: str | None = None  # what to do next (problems only)


@dataclass
class Area:
    key: str
    label: str
    score: int | None  # 0–100; None when there is nothing to score
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class OrbitPoint:
    person_id: int
    name: str
    role: str  # the closest role she holds
    ring: int  # 0 innermost
    warmth: str | None  # None: a role with no clock (mentee, coach)


@dataclass
class WarmthMonth:
    on: date
    warm: int
    cooling: int
    cold: int
    dormant: int


@dataclass
class HealthReport:
    on: date
    people: int
    overall: int | None
    areas: list[Area]
    findings: list[Finding]
    orbit: list[OrbitPoint]
    warmth_history: list[WarmthMonth]

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]
