"""The closed vocabularies stored as strings in the database."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class InteractionKind(StrEnum):
    PING = "ping"
    MESSAGE = "message"
    CALL = "call"
    VIDEO = "video"
    COFFEE = "coffee"
    LUNCH = "lunch"
    WALK = "walk"
    MEETUP = "meetup"
    GROUP_SESSION = "group_session"
    EVENT = "event"
    HIGHLIGHTS_EMAIL = "highlights_email"
    EMAIL = "email"  # captured from a mailbox: a message, as far as the clock cares


# Kinds where people actually talk, as opposed to a one-way note (a conversation keeps every
# keep-in-touch clock: domain/clock.py).
CONVERSATION_KINDS = frozenset(
    {
        InteractionKind.CALL,
        InteractionKind.VIDEO,
        InteractionKind.COFFEE,
        InteractionKind.LUNCH,
        InteractionKind.WALK,
        InteractionKind.MEETUP,
        InteractionKind.GROUP_SESSION,
        InteractionKind.EVENT,
    }
)


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"
    MUTUAL = "mutual"


class FavourDirection(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


class FavourKind(StrEnum):
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    RECOMMENDATION = "recommendation"
    SPEAKING_SLOT = "speaking_slot"
    PROJECT = "project"
    OTHER = "other"


class FavourState(StrEnum):
    """A received favour runs RECEIVED → ACTED_ON → REPORTED_BACK; a given one is GIVEN."""

    RECEIVED = "received"
    ACTED_ON = "acted_on"
    REPORTED_BACK = "reported_back"
    GIVEN = "given"


class FollowUpState(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


# A friend's "vent, then act": the follow-up that holds the positive action the user committed to.
POSITIVE_ACTION_RULE = "positive_action"
POSITIVE_ACTION_PREFIX = "Positive action: "


class OwedBy(StrEnum):
    ME = "me"
    THEM = "them"


def parse_choice(enum: type[E], value: str, what: str) -> E:
    """Accept a vocabulary value written with dashes, spaces or any case."""
    from mentormap.errors import InvalidInput

    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(cleaned)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidInput(f"Unknown {what} {value!r}; choose one of: {choices}.") from None
