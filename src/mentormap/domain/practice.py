"""The practice around the network, as rules: prospects and how to cultivate them, the
opportunities people bring, and the mentor's own side (office hours).

Sponsors and mentors are found and cultivated, not signed up for: a prospect moves from being
noticed to holding a role, and each stage has one next step. The steps are written in our own
words after the seed essay: work more closely with the person most supportive of you, let them
see what you achieve without overdoing it, ask to talk about one specific topic rather than for
an ongoing relationship, and appreciate what they do for you.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mentormap.errors import InvalidInput


class ProspectAs(StrEnum):
    """What she could become; each gives one role once it is hers."""

    SPONSOR = "sponsor"
    ROLE_MODEL = "role_model"
    VISIONARY = "visionary"
    MENTOR = "mentor"
    CHAMPION = "champion"


# The role a prospect is given when she reaches `role_given` (a mentor who holds the job you
# want is what the role catalogue calls a role model).
ROLE_OF: dict[ProspectAs, str] = {
    ProspectAs.SPONSOR: "sponsor",
    ProspectAs.ROLE_MODEL: "role_model",
    ProspectAs.VISIONARY: "visionary",
    ProspectAs.MENTOR: "role_model",
    ProspectAs.CHAMPION: "champion",
}


class ProspectStage(StrEnum):
    """From noticing someone to the role, in order."""

    NOTICED = "noticed"
    IN_TOUCH = "in_touch"
    SHARED_INTEREST = "shared_interest"
    ASKED_ADVICE = "asked_advice"
    RECURRING = "recurring"
    ROLE_GIVEN = "role_given"


STAGES: tuple[ProspectStage, ...] = tuple(ProspectStage)

STAGE_LABEL: dict[ProspectStage, str] = {
    ProspectStage.NOTICED: "Noticed",
    ProspectStage.IN_TOUCH: "In touch",
    ProspectStage.SHARED_INTEREST: "Shared interest",
    ProspectStage.ASKED_ADVICE: "Asked for advice",
    ProspectStage.RECURRING: "Recurring",
    ProspectStage.ROLE_GIVEN: "Role given",
}


def next_step(stage: ProspectStage, as_: ProspectAs, first_name: str) -> str:
    """The one thing to do next with a prospect at `stage`."""
    who = first_name or "her"
    if stage == ProspectStage.NOTICED:
        if as_ in (ProspectAs.SPONSOR, ProspectAs.CHAMPION):
            return (
                f"Look for work you can do alongside {who}: the people already most "
                "supportive of you are the likeliest advocates."
            )
        return f"Get in touch with {who}: a comment on her work, or a question at her talk."
    if stage == ProspectStage.IN_TOUCH:
        return (
            f"Find what you and {who} both care about: read what she writes, listen for the "
            "topics she lights up on."
        )
    if stage == ProspectStage.SHARED_INTEREST:
        return (
            f"Ask {who} for a short chat about one specific question on that interest. "
            "Never ask 'will you be my mentor?'."
        )
    if stage == ProspectStage.ASKED_ADVICE:
        return (
            f"Act on {who}'s advice, then tell her what came of it and thank her; "
            "that is what turns one chat into the next."
        )
    if stage == ProspectStage.RECURRING:
        if as_ in (ProspectAs.SPONSOR, ProspectAs.CHAMPION):
            return (
                f"Keep {who} aware of what you achieve, now and then and briefly, "
                "and appreciate it each time she puts your name forward."
            )
        return (
            f"Keep the talks with {who} going on a rhythm that suits her, each one about "
            "something specific; the role is already there in all but name."
        )
    return f"Appreciate what {who} does for you, and say what came of it."


def parse_stage(value: str) -> ProspectStage:
    from mentormap.domain.vocab import parse_choice

    return parse_choice(ProspectStage, value, "stage")


def parse_prospect_as(value: str) -> ProspectAs:
    from mentormap.domain.vocab import parse_choice

    return parse_choice(ProspectAs, value, "prospect kind")


class OpportunityKind(StrEnum):
    CFP = "cfp"
    CONFERENCE = "conference"
    PROGRAM = "program"
    PROJECT = "project"
    ROLE = "role"


class OpportunityStatus(StrEnum):
    CONSIDERING = "considering"
    APPLIED = "applied"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DONE = "done"


# What came of a tip, for the champion's credit: accepted and then done both count.
CAME_OF_IT = (OpportunityStatus.ACCEPTED.value, OpportunityStatus.DONE.value)
# Still open to act on: its deadline belongs in `today`.
STILL_OPEN = (OpportunityStatus.CONSIDERING.value, OpportunityStatus.APPLIED.value)
DEADLINE_HORIZON_DAYS = 14

# How the health report names what came of each kind ("2 of your 6 talks came from …").
KIND_NAMES: dict[str, tuple[str, str]] = {
    OpportunityKind.CFP: ("talk", "talks"),
    OpportunityKind.CONFERENCE: ("conference", "conferences"),
    OpportunityKind.PROGRAM: ("program", "programs"),
    OpportunityKind.PROJECT: ("project", "projects"),
    OpportunityKind.ROLE: ("role", "roles"),
}


def credit_line(count: int, total: int, kind: str, name: str) -> str:
    """A champion's credit: how many of what came of your opportunities of a kind were hers."""
    one, many = KIND_NAMES.get(kind, ("opportunity", "opportunities"))
    if total == 1:
        return f"Your one {one} came from {name}"
    if count == total:
        return f"All {total} of your {many} came from {name}"
    return f"{count} of your {total} {many} came from {name}"


# --- office hours --------------------------------------------------------------------------

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SPAN = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 Monday
    start: str  # "HH:MM"
    end: str

    @property
    def label(self) -> str:
        return f"{DAY_NAMES[self.weekday]} {self.start}–{self.end}"


def parse_weekday(value: str) -> int:
    text = value.strip().lower()
    for index, name in enumerate(DAY_NAMES):
        if len(text) >= 3 and name.lower().startswith(text):
            return index
    raise InvalidInput(f"Unknown day {value!r}; give one of: {', '.join(DAYS)}.")


def parse_span(value: str) -> tuple[str, str]:
    """'9:30-11:00' → ('09:30', '11:00'); the end must come after the start, on the same day."""
    found = _SPAN.fullmatch(value)
    if not found:
        raise InvalidInput(f"Give the hours as HH:MM-HH:MM, e.g. 16:00-17:00 (not {value!r}).")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise InvalidInput(f"{value!r} is not a time of day.")
    if (h2, m2) <= (h1, m1):
        raise InvalidInput(f"In {value!r} the end comes before the start.")
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def parse_slot(day: str, span: str) -> Slot:
    start, end = parse_span(span)
    return Slot(parse_weekday(day), start, end)
