"""Each health finding on hand-made networks: built once to trigger it and once to clear it."""

from __future__ import annotations

import pytest

from mentormap.domain.health import evenness, month_end
from mentormap.models import GroupMember
from mentormap.services.context import Ctx
from mentormap.services.health.report import network_health
from mentormap.services.people.groups import add_member, create_group
from mentormap.services.people.people import set_archived
from mentormap.services.people.tags import set_attribute
from tests.health.helpers import ago, favour, prefs, someone, spend, talk


def finding(ctx: Ctx, key: str) -> bool:
    """True when the check passes; fails the test if the check is missing."""
    report = network_health(ctx)
    found = {f.key: f for f in report.findings}
    assert key in found, sorted(found)
    return found[key].ok


def area(ctx: Ctx, key: str) -> int | None:
    return {a.key: a.score for a in network_health(ctx).areas}[key]


# --- role coverage ------------------------------------------------------------------------------

COVERAGE_KEYS = [
    "friend_outside",
    "work_friend",
    "peer",
    "role_model",
    "visionary",
    "sponsor",
    "coach_or_champion",
    "mentee",
]


def test_empty_network_misses_every_kind(ctx: Ctx) -> None:
    report = network_health(ctx)
    missing = {f.key for f in report.problems if f.area == "coverage"}
    assert missing == {f"coverage.{k}" for k in COVERAGE_KEYS}
    assert area(ctx, "coverage") == 0
    assert all(f.action for f in report.problems)


@pytest.mark.parametrize(
    "role, clears",
    [
        ("friend", "friend_outside"),
        ("work_friend", "work_friend"),
        ("peer", "peer"),
        ("role_model", "role_model"),
        ("visionary", "visionary"),
        ("sponsor", "sponsor"),
        ("coach", "coach_or_champion"),
        ("champion", "coach_or_champion"),
        ("mentee", "mentee"),
    ],
)
def test_each_role_clears_its_gap(ctx: Ctx, role: str, clears: str) -> None:
    assert not finding(ctx, f"coverage.{clears}")
    someone(ctx, "Ada", role)
    assert finding(ctx, f"coverage.{clears}")


def test_a_friend_at_your_own_company_is_not_an_outside_friend(ctx: Ctx) -> None:
    prefs(ctx, employer="Quokka Labs")
    someone(ctx, "Jo", "friend", company="quokka labs")
    assert not finding(ctx, "coverage.friend_outside")
    someone(ctx, "Sam", "friend", company="Lumen Health")
    assert finding(ctx, "coverage.friend_outside")


def test_peer_group_membership_counts_as_a_peer(ctx: Ctx) -> None:
    member = someone(ctx, "Nadia")
    group = create_group(ctx, "Circle", cadence_days=30, session_minutes=60)
    add_member(ctx, group, member, since=ago(100))
    assert finding(ctx, "coverage.peer")


def test_a_bare_membership_row_counts_too_unless_the_group_is_archived(ctx: Ctx) -> None:
    # Imports may record membership without the role; the group itself is the evidence.
    member = someone(ctx, "Tom")
    group = create_group(ctx, "Circle", cadence_days=30, session_minutes=60)
    ctx.session.add(
        GroupMember(owner_id=ctx.owner_id, group_id=group.id, person_id=member.id, since=ago(9))
    )
    ctx.session.flush()
    assert finding(ctx, "coverage.peer")
    group.archived = True
    ctx.session.flush()
    assert not finding(ctx, "coverage.peer")


def test_archived_people_and_ended_roles_do_not_count(ctx: Ctx) -> None:
    gone = someone(ctx, "Old Sponsor", "sponsor")
    set_archived(ctx, gone)
    assert not finding(ctx, "coverage.sponsor")


def test_full_coverage_scores_100(ctx: Ctx) -> None:
    for i, role in enumerate(
        ["friend", "work_friend", "peer", "role_model", "visionary", "sponsor", "coach", "mentee"]
    ):
        someone(ctx, f"P{i}", role)
    assert area(ctx, "coverage") == 100


# --- concentration ------------------------------------------------------------------------------


def test_no_mentoring_conversations(ctx: Ctx) -> None:
    friend = someone(ctx, "Sam", "friend")
    talk(ctx, [friend], 5)  # friends are not mentoring conversations
    assert not finding(ctx, "concentration.none")
    assert area(ctx, "concentration") == 0


def test_one_and_only_mentor_triggers_then_clears(ctx: Ctx) -> None:
    priya = someone(ctx, "Priya", "role_model")
    grace = someone(ctx, "Grace", "sponsor")
    for day in (10, 40, 70, 100):
        talk(ctx, [priya], day, kind="video")
    talk(ctx, [grace], 20)
    talk(ctx, [grace], 30, kind="ping")  # a ping is not a conversation
    assert not finding(ctx, "concentration.one_mentor")
    report = network_health(ctx)
    title = next(f.title for f in report.findings if f.key == "concentration.one_mentor")
    assert title.startswith("80% of mentoring conversations are with Priya")
    margaret = someone(ctx, "Margaret", "visionary")
    for day in (50, 60, 80):
        talk(ctx, [margaret], day, kind="call")
    talk(ctx, [grace], 90, kind="lunch")
    assert finding(ctx, "concentration.one_mentor")  # 4 of 9 now


def test_a_single_mentor_is_concentrated_however_few_talks(ctx: Ctx) -> None:
    priya = someone(ctx, "Priya", "role_model")
    talk(ctx, [priya], 10, kind="video")
    assert not finding(ctx, "concentration.one_mentor")


def test_conversations_older_than_a_year_do_not_count(ctx: Ctx) -> None:
    priya = someone(ctx, "Priya", "role_model", since=900)
    talk(ctx, [priya], 400, kind="video")
    assert not finding(ctx, "concentration.none")


# --- inside vs outside --------------------------------------------------------------------------


def test_employer_unset_is_reported(ctx: Ctx) -> None:
    someone(ctx, "Jo", "work_friend", company="Quokka Labs")
    assert not finding(ctx, "inside_outside.employer_unset")
    assert area(ctx, "inside_outside") is None


def test_close_circle_mostly_inside_then_balanced(ctx: Ctx) -> None:
    prefs(ctx, employer="Quokka Labs")
    someone(ctx, "Dana", "sponsor", company="Quokka Labs")
    someone(ctx, "Jo", "work_friend", company="Quokka Labs")
    someone(ctx, "Priya", "role_model", company="Harbour")
    someone(ctx, "Many Contacts", "contact", company="Elsewhere")  # contacts are not close
    assert not finding(ctx, "inside_outside.mostly_inside")
    someone(ctx, "Sam", "friend")  # no company: not at the employer
    assert finding(ctx, "inside_outside.mostly_inside")
    assert area(ctx, "inside_outside") == 100


# --- perspectives -------------------------------------------------------------------------------


def test_perspectives_are_optional(ctx: Ctx) -> None:
    someone(ctx, "Ada", "friend")
    assert finding(ctx, "perspectives.none")
    assert area(ctx, "perspectives") is None


def test_one_sided_dimension_then_balanced(ctx: Ctx) -> None:
    women = [someone(ctx, f"W{i}", "contact") for i in range(5)]
    man = someone(ctx, "M0", "peer")
    for person in women:
        set_attribute(ctx, person, "gender", "woman")
    set_attribute(ctx, man, "gender", "man")
    assert not finding(ctx, "perspectives.gender")
    for i in range(1, 4):
        set_attribute(ctx, someone(ctx, f"M{i}", "peer"), "gender", "man")
    assert finding(ctx, "perspectives.gender")  # 5 and 4
    assert area(ctx, "perspectives") == 99


def test_archived_people_leave_the_perspective_counts(ctx: Ctx) -> None:
    a, b = someone(ctx, "A", "contact"), someone(ctx, "B", "contact")
    set_attribute(ctx, a, "region", "EMEA")
    set_attribute(ctx, b, "region", "APAC")
    assert finding(ctx, "perspectives.region")
    set_archived(ctx, b)
    assert not finding(ctx, "perspectives.region")


def test_evenness() -> None:
    assert evenness([5, 5]) == pytest.approx(1.0)
    assert evenness([7]) == 0.0
    assert evenness([]) == 0.0
    assert 0.4 < evenness([9, 1]) < 0.5


# --- reciprocity --------------------------------------------------------------------------------


def test_balance_of_favours(ctx: Ctx) -> None:
    dana = someone(ctx, "Dana", "sponsor")
    for _ in range(3):
        favour(ctx, dana, "received", "reported_back", 100)
    assert not finding(ctx, "reciprocity.balance")
    favour(ctx, dana, "given", "given", 50)
    assert not finding(ctx, "reciprocity.balance")
    favour(ctx, dana, "given", "given", 40, kind="referral")
    assert finding(ctx, "reciprocity.balance")


def test_report_back_on_favours(ctx: Ctx) -> None:
    margaret = someone(ctx, "Margaret", "visionary")
    favour(ctx, margaret, "received", "received", 5)  # too fresh to nag about
    assert finding(ctx, "reciprocity.report_back")
    favour(ctx, margaret, "received", "acted_on", 30)
    report = network_health(ctx)
    check = next(f for f in report.findings if f.key == "reciprocity.report_back")
    assert not check.ok and check.action == "Tell Margaret what came of their help."


def test_paying_it_forward_this_year(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha", "mentee")
    favour(ctx, aisha, "given", "given", 400)
    assert not finding(ctx, "reciprocity.paying_forward")
    favour(ctx, aisha, "given", "given", 10)
    assert finding(ctx, "reciprocity.paying_forward")
    details = {a.key: a.details for a in network_health(ctx).areas}["reciprocity"]
    assert details["given_this_year"] == 1 and details["introductions_this_year"] == 1


# --- cadence ------------------------------------------------------------------------------------


def test_cadence_adherence_triggers_then_clears(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend")  # every 14 days
    talk(ctx, [sam], 60)
    assert not finding(ctx, "cadence.adherence")
    report = network_health(ctx)
    check = next(f for f in report.findings if f.key == "cadence.adherence")
    assert check.action == "Catch up with Sam"
    for day in range(0, 100, 7):
        talk(ctx, [sam], day, kind="call")
    assert finding(ctx, "cadence.adherence")
    assert area(ctx, "cadence") == 100


def test_people_without_a_clock_are_not_counted(ctx: Ctx) -> None:
    someone(ctx, "Aisha", "mentee")  # mentees reach out; no clock
    assert finding(ctx, "cadence.adherence")
    assert network_health(ctx).areas[5].details["adherence"] == 1.0


def test_warmth_history_counts_each_month(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend", since=500)
    talk(ctx, [sam], 20)
    someone(ctx, "Late", "friend", since=30)  # held no role before last month
    history = network_health(ctx).warmth_history
    assert len(history) == 12 and history[-1].on == ago(0)
    latest = history[-1]
    # Sam: 20 days silent on a 14-day clock; Late: never contacted, role began 30 days ago.
    assert (latest.warm, latest.cooling, latest.cold, latest.dormant) == (0, 1, 1, 0)
    first = history[0]
    assert first.dormant == 1 and first.warm + first.cooling + first.cold == 0


def test_month_end() -> None:
    from datetime import date

    assert month_end(date(2026, 11, 25), 0) == date(2026, 11, 25)
    assert month_end(date(2026, 11, 25), 1) == date(2026, 10, 31)
    assert month_end(date(2026, 1, 10), 2) == date(2025, 11, 30)
    assert month_end(date(2026, 3, 10), 1) == date(2026, 2, 28)


# --- money --------------------------------------------------------------------------------------


def test_money_without_budget_then_within(ctx: Ctx) -> None:
    assert not finding(ctx, "money.budget_unset")
    prefs(ctx, coaching_budget="1000", currency="GBP")
    assert not finding(ctx, "money.nothing_spent")
    spend(ctx, "400", 30)
    spend(ctx, "300", 20, category="course")
    spend(ctx, "900", 20, category="other")  # not coaching or a course
    spend(ctx, "900", 400)  # last year
    spend(ctx, "900", 10, currency="USD")  # another currency, shown apart
    assert finding(ctx, "money.within_budget")
    details = {a.key: a.details for a in network_health(ctx).areas}["money"]
    assert details["spent"] == "700.00"
    assert details["other_currencies"] == {"USD": "900.00"}


def test_money_over_budget(ctx: Ctx) -> None:
    prefs(ctx, coaching_budget="500", currency="GBP")
    spend(ctx, "600", 30)
    assert not finding(ctx, "money.over_budget")
    assert area(ctx, "money") == 70


# --- the whole ----------------------------------------------------------------------------------


def test_overall_is_the_mean_of_scored_areas_and_orbit_rings(ctx: Ctx) -> None:
    sam = someone(ctx, "Sam", "friend", "contact")
    someone(ctx, "Aisha", "mentee")
    talk(ctx, [sam], 3)
    report = network_health(ctx)
    scored = [a.score for a in report.areas if a.score is not None]
    assert report.overall == round(sum(scored) / len(scored))
    orbit = {p.name: p for p in report.orbit}
    assert (orbit["Sam"].ring, orbit["Sam"].role, orbit["Sam"].warmth) == (0, "friend", "warm")
    assert (orbit["Aisha"].ring, orbit["Aisha"].warmth) == (3, None)
    assert [f.ok for f in report.findings] == sorted(f.ok for f in report.findings)
