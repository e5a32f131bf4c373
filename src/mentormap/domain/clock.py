"""The keep-in-touch clock's rules: which contact keeps which role's clock, and how to say why.

Every person on a clock has one standing (computed in SQL by `services.clock.standing`): her
effective cadence, the day her clock started, when she is due, and her warmth band. These are the
rules it follows, shown to the user by `mentormap roles`:

- **Cadence.** Her own setting (`people edit --cadence`), else each active role's: the role's
  own override, else, for a peer in an active group, the group's cadence, else the catalogue's.
  A mentee or a coach has no clock (a mentee reaches out; a coach is hired per engagement).
  With no active role at all she is a contact.
- **What keeps a clock.** A conversation (call, video, coffee, lunch, walk, meetup, group
  session, event) keeps every clock. A ping or a message keeps a contact's, a friend's, a work
  friend's and a champion's. A highlights email keeps a visionary's and a sponsor's (and, being
  a message, every clock a message keeps). Nothing else stands in for a conversation with a role
  model or a peer. Her own setting (`people edit --keeps-clock`) can widen this to any contact
  or narrow it to conversations only.
- **Clock start.** Each role's clock starts at the last contact that keeps it, whenever it was
  logged; never in touch that way, at the day the role began. A role given without `--since`
  begins at the earliest interaction logged with her (today if there is none), so the role's
  span covers the history logged first. A peer's group sessions are conversations she took part
  in: a member who misses sessions drifts.
  Without any role, the clock starts at her last contact, else the day you met, else the day
  she was added.
- **Due and warmth.** Due on = clock start + cadence; with several roles she is due as soon as
  the first of their clocks runs out, and that role names the reason. Warmth is the silence
  measured in cadences (`domain.cadence`). A snoozed person leaves the due list until her snooze
  date; an archived person is on no list.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.domain.vocab import CONVERSATION_KINDS, InteractionKind


class Touch(StrEnum):
    """What kind of contact an interaction is, as far as the clock cares."""

    CONVERSATION = "conversation"
    MESSAGE = "message"
    HIGHLIGHTS = "highlights"


TOUCH_OF_KIND: dict[InteractionKind, Touch] = {
    kind: (
        Touch.CONVERSATION
        if kind in CONVERSATION_KINDS
        else Touch.HIGHLIGHTS
        if kind == InteractionKind.HIGHLIGHTS_EMAIL
        else Touch.MESSAGE
    )
    for kind in InteractionKind
}

HIGHLIGHTS_KINDS = frozenset(k for k, t in TOUCH_OF_KIND.items() if t == Touch.HIGHLIGHTS)


class KeepsClock(StrEnum):
    """A person's own setting of what keeps her clock (None: her roles decide)."""

    ANY = "any"  # any contact at all, a ping included
    CONVERSATION = "conversation"  # only a real conversation


class Keeper(StrEnum):
    """Which of a person's last-contact dates a clock reads."""

    ANY = "any"  # last_contact_on: every kind of interaction
    CONVERSATION_OR_HIGHLIGHTS = "conversation_or_highlights"
    CONVERSATION = "conversation"  # last_conversation_on


_MESSAGES_KEEP = frozenset({RoleKey.CONTACT, RoleKey.FRIEND, RoleKey.WORK_FRIEND, RoleKey.CHAMPION})
_HIGHLIGHTS_KEEP = frozenset({RoleKey.VISIONARY, RoleKey.SPONSOR})


def role_touches(key: RoleKey) -> frozenset[Touch]:
    """The kinds of contact that keep this role's clock (the catalogue's rule)."""
    if key in _MESSAGES_KEEP:
        return frozenset(Touch)
    if key in _HIGHLIGHTS_KEEP:
        return frozenset({Touch.CONVERSATION, Touch.HIGHLIGHTS})
    return frozenset({Touch.CONVERSATION})


def role_keeper(key: RoleKey, setting: KeepsClock | None) -> Keeper:
    """Which last-contact date keeps the clock of role `key`, given her own setting."""
    if setting == KeepsClock.ANY:
        return Keeper.ANY
    if setting == KeepsClock.CONVERSATION:
        return Keeper.CONVERSATION
    touches = role_touches(key)
    if Touch.MESSAGE in touches:
        return Keeper.ANY
    if Touch.HIGHLIGHTS in touches:
        return Keeper.CONVERSATION_OR_HIGHLIGHTS
    return Keeper.CONVERSATION


KEEPS_CLOCK_CHOICES: tuple[tuple[str, str], ...] = (
    ("role", "What her roles say (see `mentormap roles`)"),
    (KeepsClock.ANY.value, "Any contact, a ping included"),
    (KeepsClock.CONVERSATION.value, "Only a real conversation"),
)
"""Her own clock setting as the CLI and the web offer it ("role" clears it)."""


def parse_keeps_clock(value: str) -> KeepsClock | None:
    """`role` (or empty) clears her setting; `any` or `conversation` set it."""
    from mentormap.errors import InvalidInput

    cleaned = value.strip().lower()
    if cleaned in ("", "role", "roles", "default"):
        return None
    try:
        return KeepsClock(cleaned)
    except ValueError:
        raise InvalidInput(
            f"Unknown clock setting {value!r}; choose role, any or conversation."
        ) from None


# --- words ------------------------------------------------------------------------------------


def touch_words(touches: frozenset[Touch]) -> str:
    """'a conversation, a ping or message, or a highlights email' for `mentormap roles`."""
    names = {
        Touch.CONVERSATION: "a conversation",
        Touch.MESSAGE: "a ping or message",
        Touch.HIGHLIGHTS: "a highlights email",
    }
    if touches == frozenset(Touch):
        return "any contact, a ping included"
    parts = [names[t] for t in Touch if t in touches]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


CLOCK_RULES = (
    "A conversation (call, video, coffee, lunch, walk, meetup, group session, event) keeps "
    "every clock; the Kept by column says what else does. `people edit NAME --keeps-clock any` "
    "or `conversation` changes that for one person.",
    "Each clock starts at the last contact that keeps it (never in touch: the day the role "
    "began). A role given without --since begins at the first interaction logged with her.",
    "A peer in a group is on the group's cadence, counted from the last session she attended "
    "or her own last conversation: a member who misses sessions drifts.",
    "With several roles she is due when the first of their clocks runs out. Warmth = days "
    "since the clock started / cadence: warm up to 1, cooling up to 2, cold up to 4, dormant "
    "beyond.",
)


def cadence_words(days: int) -> str:
    named = {7: "weekly", 14: "every two weeks", 30: "monthly", 91: "quarterly"}
    if days in named:
        return named[days]
    if days == 182:
        return "twice a year"
    return f"every {days} days"


def day_words(on: date) -> str:
    return f"{on.day} {on:%b %Y}"


KEEPER_WORDS = {
    Keeper.ANY: "last in touch",
    Keeper.CONVERSATION_OR_HIGHLIGHTS: "last conversation or highlights email",
    Keeper.CONVERSATION: "last real conversation",
}


def source_words(source: str, role: str | None, group: str | None) -> str:
    """'as your role model', 'with her group Leadership Circle', 'by her own setting'."""
    if source == "person":
        return "by her own setting"
    if source == "group":
        return f"with her group {group}"
    if role:
        return f"as your {CATALOGUE[RoleKey(role)].label.lower()}"
    return "as a contact"


def reason(
    *,
    cadence_days: int | None,
    source: str | None,
    role: str | None,
    group: str | None,
    keeper: Keeper | None,
    last_kept_on: date | None,
    latest_contact_on: date | None,
    role_since: date | None,
    clock_start: date | None,
    snoozed_until: date | None,
    archived: bool,
    today: date,
    booked_on: date | None = None,
) -> str:
    """One sentence on why she stands where she does, from the same numbers as her standing."""
    if archived:
        return "Archived: she is on no list."
    if cadence_days is None or source is None or clock_start is None:
        roles = "a mentee reaches out and you answer" if role == RoleKey.MENTEE else None
        return "No clock: " + (roles or "her roles are kept per engagement, not on a rhythm") + "."
    parts = [f"{cadence_words(cadence_days).capitalize()} {source_words(source, role, group)}"]
    if last_kept_on is not None and keeper is not None:
        parts.append(f"{KEEPER_WORDS[keeper]} {day_words(last_kept_on)}")
    elif role_since is not None:
        parts.append(f"not in touch since this began on {day_words(role_since)}")
    else:
        parts.append(f"counted from {day_words(clock_start)}")
    if (
        latest_contact_on is not None
        and keeper is not None
        and keeper != Keeper.ANY
        and (last_kept_on is None or latest_contact_on > last_kept_on)
    ):
        parts.append(f"contact on {day_words(latest_contact_on)} does not keep this clock")
    if snoozed_until is not None and snoozed_until > today:
        parts.append(f"snoozed until {day_words(snoozed_until)}")
    if booked_on is not None and booked_on >= today:
        parts.append(f"booked: a catch-up is planned on {day_words(booked_on)}")
    return "; ".join(parts) + "."
