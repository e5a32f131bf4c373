"""What to suggest for someone due: the role's next action, said the way this person likes to meet.

Also the rule that ranks dormant ties worth reviving (see `reconnect_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from mentormap.domain.roles import CATALOGUE, RoleKey

ASK_PREFERENCE = "Ask how they like to meet (walk, lunch, call) and at what time of day."
RECONNECT_ACTION = (
    "Reconnect: a short, warm note with your news and a question about theirs; "
    "no favour in the first message."
)
GROUP_ACTION = CATALOGUE[RoleKey.PEER].next_action


def lead_role(role_keys: Sequence[str]) -> RoleKey | None:
    """The role that speaks for a person: the highest-ranked one that runs on a clock.

    A mentee who is also a contact is due because of the contact cadence, so the contact's
    action fits; with no clocked role, the highest-ranked role still speaks.
    """
    keys = [RoleKey(key) for key in role_keys]
    if not keys:
        return None
    clocked = [key for key in keys if CATALOGUE[key].cadence_days is not None]
    return min(clocked or keys, key=lambda key: CATALOGUE[key].rank)


def how_they_like_it(preferred_format: str | None, preferred_time: str | None) -> str:
    """'Likes: walk, evening.' — or a prompt to ask, since the seed says to ask, not guess."""
    parts = [part.strip() for part in (preferred_format, preferred_time) if part and part.strip()]
    if not parts:
        return ASK_PREFERENCE
    return "Likes: " + ", ".join(parts) + "."


def suggestion(
    role_keys: Sequence[str],
    preferred_format: str | None = None,
    preferred_time: str | None = None,
    *,
    dormant: bool = False,
) -> str:
    """One sentence or two: what to do now, and how this person likes it done."""
    role = lead_role(role_keys) or RoleKey.CONTACT
    action = RECONNECT_ACTION if dormant else CATALOGUE[role].next_action
    how = how_they_like_it(preferred_format, preferred_time)
    if how == ASK_PREFERENCE and (dormant or role == RoleKey.CONTACT):
        return action  # a quick hello needs no format; ask once you actually meet
    return f"{action} {how}"


IN_PERSON = ("lunch", "coffee", "walk", "dinner", "drink", "breakfast", "meetup")


def visit_suggestion(city: str, preferred_format: str | None) -> str:
    """For someone coming to town: meet in person while it is easy, the way they like to meet."""
    way = (preferred_format or "").strip()
    if not any(word in way.lower() for word in IN_PERSON):
        way = "lunch or a coffee"
    return f"In {city}: propose {way} while they are around."


def _span(start: date, end: date) -> str:
    return f"{start:%d %b}" if start == end else f"{start:%d %b} to {end:%d %b}"


def visit_while_away(city: str, visit: tuple[date, date], away: tuple[str, date, date]) -> str:
    """A visitor comes to town while you are on a trip: say so, rather than propose a dinner.

    `visit` is her stay (first, last day); `away` your trip (city, first, last day).
    """
    away_city, gone, back = away
    first, last = visit
    if gone <= first and last <= back:
        return (
            f"In {city} while you are away in {away_city} ({_span(gone, back)}): "
            "propose a call instead, or meet on her next visit."
        )
    home = [
        (first, min(last, gone - timedelta(days=1))) if first < gone else None,
        (max(first, back + timedelta(days=1)), last) if last > back else None,
    ]
    free = " and ".join(_span(a, b) for a, b in (h for h in home if h))
    return (
        f"In {city}; you are away in {away_city} {_span(gone, back)}, "
        f"so meet while you are both here: {free}."
    )


def reconnect_key(outside_employer: bool, since: date, name: str) -> tuple[bool, date, str]:
    """Sort key for dormant ties worth reviving; the smallest key comes first.

    Research on dormant ties (Levin, Walter & Murnighan, 2011) found that reconnecting with
    people one has not spoken to in years brings advice as useful as from current contacts, and
    more novel: in the meantime both sides have met other people and learnt other things, while
    the old trust and shared history survive. So the rank favours novelty and never how close
    the tie once was (no count of past meetings, no role rank):

    1. people outside the user's own employer first (news from other organisations is the least
       likely to reach her anyway);
    2. then the longest silence first (more time apart, more that is new);
    3. then by name, so the order is stable.
    """
    return (not outside_employer, since, name.lower())
