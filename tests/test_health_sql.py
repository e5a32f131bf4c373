"""The SQL behind the cadence area and the warmth chart, against hand counts and the old Python.

`tests/health_reference.py` keeps the Python that read every contact day; the SQL must give
the same figures on hand-made edge cases and on whole demo networks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentormap.domain.health import ADHERENCE_DAYS, HISTORY_MONTHS, month_end
from mentormap.models import GroupMember, Interaction, InteractionParticipant, Person
from mentormap.services.context import Ctx
from mentormap.services.demo import build_demo
from mentormap.services.groups import create_group
from mentormap.services.health import _members
from mentormap.services.health_sql import cadence_figures, clocks, day_of
from tests import health_reference as ref
from tests.conftest import TODAY
from tests.health_helpers import ago, someone, talk


def sql_figures(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    members = _members(ctx)
    longest = max((m.cadence or 0 for m in members.values()), default=1)
    checkpoints = [month_end(TODAY, back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
    first = TODAY - timedelta(days=ADHERENCE_DAYS - 1)
    figures = cadence_figures(ctx, checkpoints, first, checkpoints[0] - timedelta(days=4 * longest))
    return (
        [(h.on, h.warm, h.cooling, h.cold, h.dormant) for h in figures.history],
        (figures.inside, figures.held),
    )


def reference_figures(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    members = _members(ctx)
    longest = max((m.cadence or 0 for m in members.values()), default=1)
    checkpoints = [month_end(TODAY, back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
    days = ref.contact_days(ctx, checkpoints[0] - timedelta(days=4 * longest))
    first = TODAY - timedelta(days=ADHERENCE_DAYS - 1)
    return (
        [tuple(row) for row in ref.history(members, days, checkpoints)],
        ref.adherence(members, days, first, TODAY),
    )


def test_clocks_follow_effective_cadence(ctx: Ctx) -> None:
    someone(ctx, "Ada", "friend", "contact")  # the shorter clock wins: 14
    bo = someone(ctx, "Bo", "contact")
    from mentormap.services.roles import give_role

    give_role(ctx, bo, "contact", cadence_days=10)  # a role's own cadence
    cy = someone(ctx, "Cy", "sponsor")
    cy.cadence_days = 5  # her own override beats every role
    someone(ctx, "Di", "mentee")  # reactive only: no clock
    ed = someone(ctx, "Ed", "mentee", since=50)
    circle = create_group(ctx, "Circle", cadence_days=30, session_minutes=60)
    # A bare membership row (as imports write it) makes her a peer from the day she joined.
    ctx.session.add(
        GroupMember(owner_id=ctx.owner_id, group_id=circle.id, person_id=ed.id, since=ago(20))
    )
    fay = someone(ctx, "Fay", "peer", since=300)
    ctx.session.add(
        GroupMember(owner_id=ctx.owner_id, group_id=circle.id, person_id=fay.id, since=ago(9))
    )
    gone = someone(ctx, "Gone", "friend")
    gone.archived = True
    ctx.session.flush()
    found = {pid: (cad, since) for pid, cad, since in ctx.session.execute(select(clocks(ctx)))}
    names = {pid: name for pid, name in ctx.session.execute(select(Person.id, Person.name))}
    by_name = {names[pid]: value for pid, value in found.items()}
    assert by_name == {
        "Ada": (14, day_of(ago(400))),
        "Bo": (10, day_of(ago(400))),
        "Cy": (5, day_of(ago(400))),
        "Ed": (30, day_of(ago(50))),  # mentee since 50 days, peer since 20: the earlier
        "Fay": (30, day_of(ago(300))),  # her role's start, not the later membership
    }
    # …which is what the Python members say too.
    python = {m.id: (m.cadence, day_of(m.since)) for m in _members(ctx).values() if m.cadence}
    assert python == found


def test_adherence_by_hand(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend")  # 14-day clock, role long before the window
    talk(ctx, [sam], 60)  # covers days -60 … -46: 15 days
    talk(ctx, [sam], 10)  # covers days -10 … 0: 11 days
    talk(ctx, [sam], 10, kind="call")  # a second talk that day adds nothing
    new = someone(ctx, "New", "friend", since=30)  # role 30 days ago: 31 days held
    talk(ctx, [new], 45)  # before her role: does not count
    # Her role's start covers days -30 … -16: 15 days.
    _history, (inside, held) = sql_figures(ctx)
    assert (inside, held) == (15 + 11 + 15, ADHERENCE_DAYS + 31)
    assert (inside, held) == reference_figures(ctx)[1]


def test_band_edges_by_hand(ctx: Ctx) -> None:
    # On a 14-day clock: 14 days silent is warm, 28 cooling, 56 cold, beyond that dormant.
    for days, name in [(14, "A"), (15, "B"), (28, "C"), (29, "D"), (56, "E"), (57, "F")]:
        talk(ctx, [someone(ctx, name, "friend")], days)
    history, _adherence = sql_figures(ctx)
    assert history[-1] == (TODAY, 1, 2, 2, 1)
    assert history == reference_figures(ctx)[0]


def test_contacts_after_today_do_not_warm_anyone(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend")
    talk(ctx, [sam], 100)
    # Logging refuses the future, but a calendar import can hold next week's lunch.
    lunch = Interaction(
        owner_id=ctx.owner_id,
        occurred_at=datetime(2026, 11, 28, 12),
        occurred_on=ago(-3),
        kind="lunch",
    )
    ctx.session.add(lunch)
    ctx.session.flush()
    ctx.session.add(
        InteractionParticipant(owner_id=ctx.owner_id, interaction_id=lunch.id, person_id=sam.id)
    )
    ctx.session.flush()
    history, figures = sql_figures(ctx)
    assert history[-1][1:] == (0, 0, 0, 1)
    assert (history, figures) == reference_figures(ctx)


@pytest.mark.parametrize("size, seed", [(80, 7), (120, 11), (60, 3)])
def test_sql_matches_the_python_on_demo_networks(ctx: Ctx, size: int, seed: int) -> None:
    build_demo(ctx, size=size, seed=seed)
    assert sql_figures(ctx) == reference_figures(ctx)
