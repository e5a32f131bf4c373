"""The cadence figures of the health report worked out the slow, obvious way, in Python.

This is the implementation the SQL in `services/health_sql.py` replaced: every contact day
read into Python, a bisect per person and month end, interval union for adherence. The tests
hold the two to the same answers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from mentormap.domain.cadence import Warmth, warmth
from mentormap.models import Interaction, InteractionParticipant
from mentormap.services.context import Ctx
from mentormap.services.health import _Member


def contact_days(ctx: Ctx, since: date) -> dict[int, list[date]]:
    rows = ctx.session.execute(
        select(InteractionParticipant.person_id, Interaction.occurred_on)
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(Interaction.owner_id == ctx.owner_id, Interaction.occurred_on >= since)
    )
    seen: dict[int, set[date]] = defaultdict(set)
    for pid, on in rows:
        seen[pid].add(on)
    return {pid: sorted(days) for pid, days in seen.items()}


def band(m: _Member, last: date | None, on: date) -> Warmth | None:
    if m.since > on or not m.cadence:
        return None
    start = max(last, m.since) if last else m.since
    return warmth((on - start).days, m.cadence)


def history(
    members: dict[int, _Member], days: dict[int, list[date]], checkpoints: list[date]
) -> list[tuple[date, int, int, int, int]]:
    out = []
    for on in checkpoints:
        counts = dict.fromkeys(Warmth, 0)
        for m in members.values():
            seen = days.get(m.id, [])
            i = bisect_right(seen, on)
            found = band(m, seen[i - 1] if i else None, on)
            if found is not None:
                counts[found] += 1
        out.append((on, *(counts[w] for w in Warmth)))
    return out


def days_inside(m: _Member, contacts: list[date], first: date, last: date) -> tuple[int, int]:
    assert m.cadence
    lo = max(first, m.since)
    if lo > last:
        return 0, 0
    covered, cursor, reach = 0, lo, timedelta(days=m.cadence)
    for start in [m.since, *(d for d in contacts if d >= m.since)]:
        a, b = max(start, cursor), min(start + reach, last)
        if b >= a:
            covered += (b - a).days + 1
            cursor = b + timedelta(days=1)
    return covered, (last - lo).days + 1


def adherence(
    members: dict[int, _Member], days: dict[int, list[date]], first: date, last: date
) -> tuple[int, int]:
    inside = held = 0
    for m in members.values():
        if m.cadence:
            a, b = days_inside(m, days.get(m.id, []), first, last)
            inside += a
            held += b
    return inside, held
