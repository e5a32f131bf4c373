"""The cadence area, the orbit and the year of warmth read the one standing.

`tests/health/reference.py` reads the clock's rules again in Python, day by day from the raw rows;
the SQL must give the same figures on hand-made edge cases, on the issue's scenario and on whole
demo networks, and the report's today must be `standings` itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from mentormap.domain.health import ADHERENCE_DAYS, HISTORY_MONTHS, month_end
from mentormap.models import Interaction, InteractionParticipant, Person, Role
from mentormap.services.clock.standing import standings
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.demo.network import build_demo
from mentormap.services.health.report import network_health
from mentormap.services.health.spans import cadence_figures
from mentormap.services.people.groups import add_member, create_group
from mentormap.services.people.people import add_person, snooze_person
from mentormap.services.people.roles import give_role
from tests.conftest import TODAY
from tests.health import reference as ref
from tests.health.helpers import ago, someone, talk

CHECKPOINTS = [month_end(TODAY, back) for back in range(HISTORY_MONTHS - 1, -1, -1)]
FIRST = TODAY - timedelta(days=ADHERENCE_DAYS - 1)


def sql_figures(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    figures = cadence_figures(ctx, CHECKPOINTS[:-1], FIRST, TODAY)
    history = network_health(ctx).warmth_history
    assert [h.on for h in history] == CHECKPOINTS
    assert history[:-1] == figures.history
    return (
        [(h.on, h.warm, h.cooling, h.cold, h.dormant) for h in history],
        (figures.inside, figures.held),
    )


def reference_figures(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    net = ref.read_network(ctx)
    return (
        [tuple(row) for row in ref.history(net, CHECKPOINTS)],
        ref.adherence(net, FIRST, TODAY),
    )


def assert_report_reads_standings(ctx: Ctx) -> None:
    """Orbit, coldest names, 'N on a clock' and today's point: all `standings`."""
    report = network_health(ctx)
    people = list(ctx.session.scalars(select(Person).where(Person.archived.is_(False))))
    found = standings(ctx, [p.id for p in people])
    for point in report.orbit:
        band = found[point.person_id].warmth
        assert point.warmth == (band.value if band else None), point.name
    clocked = [s for s in found.values() if s.warmth is not None]
    today = report.warmth_history[-1]
    counts = {w: sum(s.warmth == w for s in clocked) for w in ("warm", "cooling", "cold")}
    dormant = sum(s.warmth == "dormant" for s in clocked)
    assert (today.on, today.warm, today.cooling, today.cold, today.dormant) == (
        TODAY,
        counts["warm"],
        counts["cooling"],
        counts["cold"],
        dormant,
    )
    cadence = next(a for a in report.areas if a.key == "cadence")
    if clocked:
        assert cadence.summary.startswith(f"{len(clocked)} people on a clock")
    names = {p.id: p.name for p in people}
    overdue = [s for s in clocked if s.is_due(TODAY) and s.due_on and s.due_on < TODAY]

    def coldness(s: object) -> tuple[bool, float]:
        assert hasattr(s, "cadence_days")
        only_contact = s.role in (None, "contact")  # type: ignore[attr-defined]
        silent = (TODAY - s.clock_start).days  # type: ignore[attr-defined]
        return only_contact, -silent / s.cadence_days  # type: ignore[attr-defined]

    coldest = cadence.details["coldest"]
    assert set(coldest) <= {names[s.person_id] for s in overdue}
    assert len(coldest) == min(3, len(overdue))
    ranked = sorted(overdue, key=lambda s: (*coldness(s), names[s.person_id]))
    assert coldest == [names[s.person_id] for s in ranked[:3]]


def test_the_issues_scenario_gives_one_answer(ctx: Ctx) -> None:
    # A peer who missed the last group session, with two who came.
    circle = create_group(ctx, "Circle", cadence_days=30, session_minutes=60)
    peers = [add_person(ctx, name) for name in ("Nadia Haddad", "Tom Eriksen", "Ines Moreau")]
    for peer in peers:
        add_member(ctx, circle, peer, since=ago(200))
    log_interaction(ctx, [], kind="group_session", on=ago(70), group=circle)
    log_interaction(ctx, [], kind="group_session", on=ago(12), group=circle, absent=[peers[2]])
    # A role given after backdated history: the friend's clock counts the months before it.
    sam = add_person(ctx, "Sam Patel")
    for days in (150, 100, 45):
        log_interaction(ctx, [sam], kind="coffee", on=ago(days))
    give_role(ctx, sam, "friend")
    # A booking message to a role model keeps no clock.
    priya = someone(ctx, "Priya Raman", "role_model", since=300)
    log_interaction(ctx, [priya], kind="video", on=ago(40))
    log_interaction(ctx, [priya], kind="message", on=ago(2))
    # A ping to a contact keeps hers; a friend kept only by pings stays warm.
    hiro = someone(ctx, "Hiro Tanaka", "contact", since=500)
    log_interaction(ctx, [hiro], kind="lunch", on=ago(300))
    log_interaction(ctx, [hiro], kind="ping", on=ago(3))
    jo = someone(ctx, "Jo Kim", "friend", since=200)
    for days in (60, 40, 20, 5):
        log_interaction(ctx, [jo], kind="ping", on=ago(days))
    ctx.session.flush()

    found = standings(ctx, [p.id for p in (*peers, sam, priya, hiro, jo)])
    by_name = {p.name: found[p.id].warmth for p in (*peers, sam, priya, hiro, jo)}
    assert by_name == {
        "Nadia Haddad": "warm",
        "Tom Eriksen": "warm",
        "Ines Moreau": "cold",  # missed the last session: her clock runs from 70 days back
        "Sam Patel": "cold",  # friend since her first coffee; last one 45 days ago
        "Priya Raman": "cooling",  # the message two days ago does not count
        "Hiro Tanaka": "warm",
        "Jo Kim": "warm",
    }
    report = network_health(ctx)
    orbit = {p.name: p.warmth for p in report.orbit}
    assert {name: orbit[name] for name in by_name} == by_name
    coldest = next(a for a in report.areas if a.key == "cadence").details["coldest"]
    assert coldest == ["Sam Patel", "Ines Moreau", "Priya Raman"]
    assert_report_reads_standings(ctx)
    history, adherence = sql_figures(ctx)
    assert (history, adherence) == reference_figures(ctx)
    # Sam was inside her cadence for none of the last 31 days, whatever her role's start.
    assert adherence[0] < adherence[1]


def test_adherence_by_hand(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend")  # 14-day clock, role long before the window
    talk(ctx, [sam], 60)  # covers days -60 … -46: 15 days
    talk(ctx, [sam], 10)  # covers days -10 … 0: 11 days
    talk(ctx, [sam], 10, kind="call")  # a second talk that day adds nothing
    new = someone(ctx, "New", "friend", since=30)  # a friend from 30 days ago…
    talk(ctx, [new], 45)  # …met 45 days ago: a contact (182 days) until then, kept that day
    # New: a contact from day -45 (15 days, all inside), then a friend whose clock runs from
    # that talk: due on day -31, so of her 31 days as a friend none is inside.
    _history, (inside, held) = sql_figures(ctx)
    assert (inside, held) == (15 + 11 + 15, ADHERENCE_DAYS + 46)
    assert (inside, held) == reference_figures(ctx)[1]


def test_a_ping_keeps_a_friend_but_not_a_role_model(ctx: Ctx) -> None:
    friend = someone(ctx, "Fay", "friend")
    model = someone(ctx, "Mo", "role_model")
    for person in (friend, model):
        talk(ctx, [person], 5, kind="ping")
    history, (inside, held) = sql_figures(ctx)
    assert history[-1][1:] == (1, 0, 0, 1)  # Fay warm; Mo never in conversation: dormant
    assert (inside, held) == (6, 2 * ADHERENCE_DAYS)
    assert (history, (inside, held)) == reference_figures(ctx)


def test_band_edges_by_hand(ctx: Ctx) -> None:
    # On a 14-day clock: 14 days silent is warm, 28 cooling, 56 cold, beyond that dormant.
    for days, name in [(14, "A"), (15, "B"), (28, "C"), (29, "D"), (56, "E"), (57, "F")]:
        talk(ctx, [someone(ctx, name, "friend")], days)
    history, _adherence = sql_figures(ctx)
    assert history[-1] == (TODAY, 1, 2, 2, 1)
    assert history == reference_figures(ctx)[0]
    assert_report_reads_standings(ctx)


def test_roles_and_memberships_count_only_while_they_ran(ctx: Ctx) -> None:
    ended = someone(ctx, "Ended", "sponsor", since=300)
    role = ctx.session.scalars(select(Role).where(Role.person_id == ended.id)).one()
    role.until = ago(100)  # a sponsor until 100 days ago, a contact since
    talk(ctx, [ended], 150)
    circle = create_group(ctx, "Circle", cadence_days=7, session_minutes=60)
    late = add_person(ctx, "Late Joiner")
    add_member(ctx, circle, late, since=ago(20))  # on the group's weekly clock from day -20
    talk(ctx, [late], 25, kind="video")
    snoozed = someone(ctx, "Snoozed", "friend")
    snooze_person(ctx, snoozed, TODAY + timedelta(days=10))  # warmth does not care
    ctx.session.flush()
    assert sql_figures(ctx) == reference_figures(ctx)
    assert_report_reads_standings(ctx)


def test_contacts_after_today_do_not_warm_anyone_in_the_past(ctx: Ctx) -> None:
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
    reference, adherence = reference_figures(ctx)
    assert history[:-1] == reference[:-1] and figures == adherence
    assert history[-2][1:] == (0, 0, 0, 1)  # dormant at the end of last month
    assert_report_reads_standings(ctx)


@pytest.mark.parametrize("size, seed", [(80, 7), (60, 3)])
def test_sql_matches_the_python_on_demo_networks(ctx: Ctx, size: int, seed: int) -> None:
    build_demo(ctx, size=size, seed=seed)
    assert sql_figures(ctx) == reference_figures(ctx)
    assert_report_reads_standings(ctx)


def test_meeting_or_adding_someone_inside_the_window(ctx: Ctx) -> None:
    # The days someone was met or added are left out of the adherence when a conversation before
    # the window already keeps her clocks; they still count for whoever has none.
    window = (TODAY - FIRST).days
    talked = add_person(ctx, "Talked Before", met_on=ago(window - 10))
    talk(ctx, [talked], window + 20)
    pinged = add_person(ctx, "Pinged Before", met_on=ago(window - 5), keeps_clock="conversation")
    talk(ctx, [pinged], window + 30, kind="ping")
    add_person(ctx, "Met Lately", met_on=ago(window - 15))
    added = add_person(ctx, "Added Lately")
    added.created_at = datetime.combine(ago(20), datetime.min.time())
    friend = someone(ctx, "Friend Lately", "friend", since=window - 3)
    friend.met_on = ago(window - 8)
    ctx.session.flush()
    assert sql_figures(ctx) == reference_figures(ctx)
