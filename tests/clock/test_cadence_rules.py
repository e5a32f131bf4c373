"""The cadence rules of the daily agenda, pinned on a real SQLite database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormap.domain.cadence import Warmth
from mentormap.domain.roles import CONTACT_CADENCE_DAYS, RoleKey
from mentormap.errors import InvalidInput
from mentormap.models import Person
from mentormap.services.clock.keep_in_touch import due_groups, due_people
from mentormap.services.clock.standing import standing_of
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.groups import add_member, create_group
from mentormap.services.people.people import add_person, edit_person, set_archived, snooze_person
from mentormap.services.people.roles import give_role, take_role
from tests.conftest import TODAY
from tests.health import reference


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def person(ctx: Ctx, name: str, *roles: str, since: int = 400, **fields: object) -> Person:
    someone = add_person(ctx, name, **fields)
    for key in roles:
        give_role(ctx, someone, key, since=days_ago(since))
    return someone


def due_names(ctx: Ctx) -> dict[str, Warmth]:
    return {e.name: e.warmth for e in due_people(ctx)}


def test_due_once_cadence_has_passed_by_the_day_it_happened(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    log_interaction(ctx, [sam], kind="call", on=days_ago(13))
    assert "Sam Patel" not in due_names(ctx)
    log_interaction(ctx, [sam], kind="call", on=days_ago(14))  # older: does not move the clock
    assert standing_of(ctx, sam).due_on == days_ago(13) + timedelta(days=14)


def test_due_on_the_day_itself_and_warm(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    log_interaction(ctx, [sam], kind="call", on=days_ago(14))
    entry = next(e for e in due_people(ctx) if e.name == "Sam Patel")
    assert entry.due_on == TODAY
    assert entry.warmth == Warmth.WARM
    assert entry.days_overdue == 0


def test_backdated_log_resets_the_clock(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    log_interaction(ctx, [sam], kind="call", on=days_ago(40))
    assert due_names(ctx)["Sam Patel"] == Warmth.COLD
    # Logged today, but it happened three days ago: the clock restarts from three days ago.
    log_interaction(ctx, [sam], kind="walk", on=days_ago(3))
    assert "Sam Patel" not in due_names(ctx)
    assert standing_of(ctx, sam).due_on == days_ago(3) + timedelta(days=14)


def test_same_day_logs_count_once_and_reset(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    log_interaction(ctx, [sam], kind="call", on=days_ago(30))
    log_interaction(ctx, [sam], kind="message")
    log_interaction(ctx, [sam], kind="call")
    where = standing_of(ctx, sam)
    assert where.clock_start == TODAY
    assert where.warmth == Warmth.WARM
    assert "Sam Patel" not in due_names(ctx)


@pytest.mark.parametrize(
    ("silent", "band"),
    [
        (30, Warmth.WARM),  # r = 1
        (31, Warmth.COOLING),
        (60, Warmth.COOLING),  # r = 2
        (61, Warmth.COLD),
        (120, Warmth.COLD),  # r = 4
        (121, Warmth.DORMANT),
    ],
)
def test_warmth_band_thresholds(ctx: Ctx, silent: int, band: Warmth) -> None:
    dana = person(ctx, "Dana Whitfield", "sponsor")  # 30 days
    log_interaction(ctx, [dana], kind="coffee", on=days_ago(silent))
    assert due_names(ctx)["Dana Whitfield"] == band


def test_several_roles_take_the_shortest_cadence(ctx: Ctx) -> None:
    dana = person(ctx, "Dana Whitfield", "visionary", "sponsor", "contact")
    log_interaction(ctx, [dana], kind="coffee", on=days_ago(31))
    assert standing_of(ctx, dana).cadence_days == 30
    assert due_names(ctx)["Dana Whitfield"] == Warmth.COOLING
    entry = next(e for e in due_people(ctx) if e.name == "Dana Whitfield")
    assert entry.roles[0] in ("sponsor", "visionary")  # the highest-ranked role speaks


def test_overrides_win_person_then_role(ctx: Ctx) -> None:
    dana = person(ctx, "Dana Whitfield", "sponsor")
    give_role(ctx, dana, "sponsor", cadence_days=60)
    assert standing_of(ctx, dana).cadence_days == 60
    edit_person(ctx, dana, cadence_days=10)
    assert standing_of(ctx, dana).cadence_days == 10


def test_reactive_roles_are_never_chased(ctx: Ctx) -> None:
    aisha = person(ctx, "Aisha Khan", "mentee")
    ruth = person(ctx, "Ruth Adeyemi", "coach")
    log_interaction(ctx, [aisha, ruth], kind="video", on=days_ago(500))
    assert standing_of(ctx, aisha).cadence_days is None
    assert not due_names(ctx)
    # A coach with a cadence of her own (a running engagement) is chased on it.
    give_role(ctx, ruth, "coach", cadence_days=14)
    assert due_names(ctx) == {"Ruth Adeyemi": Warmth.DORMANT}


def test_no_role_means_contact_cadence(ctx: Ctx) -> None:
    hiro = add_person(ctx, "Hiro Tanaka")
    log_interaction(ctx, [hiro], on=days_ago(CONTACT_CADENCE_DAYS + 1))
    assert standing_of(ctx, hiro).cadence_days == CONTACT_CADENCE_DAYS
    assert due_names(ctx)["Hiro Tanaka"] == Warmth.COOLING


def test_never_contacted_counts_from_when_the_role_began(ctx: Ctx) -> None:
    person(ctx, "New Sponsor", "sponsor", since=10)
    person(ctx, "Old Sponsor", "sponsor", since=45)
    met = add_person(ctx, "Met Long Ago", met_on=days_ago(200))
    assert standing_of(ctx, met).clock_start == days_ago(200)
    names = due_names(ctx)
    assert "New Sponsor" not in names
    assert names["Old Sponsor"] == Warmth.COOLING
    assert names["Met Long Ago"] == Warmth.COOLING
    entry = next(e for e in due_people(ctx) if e.name == "Old Sponsor")
    assert entry.last_contact_on is None
    assert entry.due_on == days_ago(15)


def test_ended_roles_no_longer_count(ctx: Ctx) -> None:
    jo = person(ctx, "Jo Nakamura", "work_friend", "contact")
    log_interaction(ctx, [jo], kind="lunch", on=days_ago(20))
    assert "Jo Nakamura" in due_names(ctx)
    take_role(ctx, jo, "work_friend")
    assert standing_of(ctx, jo).cadence_days == CONTACT_CADENCE_DAYS
    assert "Jo Nakamura" not in due_names(ctx)


def test_archived_people_never_show(ctx: Ctx) -> None:
    gone = person(ctx, "Gone Away", "friend")
    log_interaction(ctx, [gone], on=days_ago(100))
    set_archived(ctx, gone)
    assert "Gone Away" not in due_names(ctx)


def test_snoozed_until_a_date(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    log_interaction(ctx, [sam], on=days_ago(40))
    snooze_person(ctx, sam, TODAY + timedelta(days=3))
    assert "Sam Patel" not in due_names(ctx)
    ctx.settings = ctx.settings.with_(today_override=TODAY + timedelta(days=3))
    assert "Sam Patel" in due_names(ctx)  # back on the morning the snooze ends
    with pytest.raises(InvalidInput, match="after today"):
        snooze_person(ctx, sam, TODAY)


def test_peer_group_has_its_own_cadence(ctx: Ctx) -> None:
    circle = create_group(ctx, "Leadership circle", cadence_days=30)
    members = [person(ctx, name) for name in ("Nadia Haddad", "Tom Eriksen")]
    for member in members:
        add_member(ctx, circle, member, since=days_ago(300))
    log_interaction(ctx, [], kind="group_session", on=days_ago(35), group=circle)
    # Each peer is on the group's cadence, counted from the last session she attended.
    assert due_names(ctx) == {"Nadia Haddad": Warmth.COOLING, "Tom Eriksen": Warmth.COOLING}
    assert standing_of(ctx, members[0]).cadence_source == "group"
    groups = due_groups(ctx)
    assert [(g.name, g.warmth, g.due_on) for g in groups] == [
        ("Leadership circle", Warmth.COOLING, days_ago(5))
    ]
    log_interaction(ctx, [], kind="group_session", on=days_ago(1), group=circle)
    assert due_groups(ctx) == []
    assert not due_names(ctx)


def test_peer_outside_any_group_keeps_the_peer_cadence(ctx: Ctx) -> None:
    ines = person(ctx, "Ines Moreau", "peer")
    log_interaction(ctx, [ines], on=days_ago(31))
    assert standing_of(ctx, ines).cadence_days == 30
    assert "Ines Moreau" in due_names(ctx)


def test_future_dates_are_refused(ctx: Ctx) -> None:
    sam = person(ctx, "Sam Patel", "friend")
    with pytest.raises(InvalidInput, match="in the future"):
        log_interaction(ctx, [sam], on=TODAY + timedelta(days=1))


ROLE_KEYS = [key.value for key in RoleKey if key != RoleKey.PEER]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    keys=st.lists(st.sampled_from(ROLE_KEYS), unique=True, max_size=3),
    override=st.one_of(st.none(), st.integers(1, 400)),
    role_override=st.one_of(st.none(), st.integers(1, 400)),
)
def test_sql_cadence_agrees_with_the_plain_reading_of_the_rules(
    ctx: Ctx, keys: list[str], override: int | None, role_override: int | None
) -> None:
    someone = add_person(ctx, "Prop Person", cadence_days=override)
    someone.created_at = datetime.combine(days_ago(30), time(12))  # added before the fixed today
    overrides: dict[str, int | None] = {}
    for i, key in enumerate(keys):
        cadence = role_override if i == 0 else None
        give_role(ctx, someone, key, since=days_ago(10), cadence_days=cadence)
        overrides[key] = cadence
    expected = reference.standing_on(reference.read_network(ctx), someone, TODAY)
    assert standing_of(ctx, someone).cadence_days == (expected[0] if expected else None)
    ctx.session.delete(someone)
    ctx.session.flush()


def test_editing_the_date_of_the_last_interaction_moves_the_clock(ctx: Ctx) -> None:
    from mentormap.services.conversations.interactions import edit_interaction

    sam = person(ctx, "Sam Patel", "friend")
    item = log_interaction(ctx, [sam], kind="call", on=days_ago(2))
    assert "Sam Patel" not in due_names(ctx)
    edit_interaction(ctx, item, on=days_ago(20))
    assert due_names(ctx)["Sam Patel"] == Warmth.COOLING


def test_visiting_soon_is_a_contacts_trip_overlapping_the_next_fortnight(ctx: Ctx) -> None:
    from mentormap.models import Trip
    from mentormap.services.clock.keep_in_touch import visiting_soon

    chiara = add_person(ctx, "Chiara Bellini", preferred_format="walk")
    hiro = add_person(ctx, "Hiro Tanaka", preferred_format="video call")
    gone = add_person(ctx, "Gone Away")

    def trip(who: Person | None, start: int, end: int) -> None:
        ctx.session.add(
            Trip(
                owner_id=ctx.owner_id,
                person_id=who.id if who else None,
                city="London",
                start_on=TODAY + timedelta(days=start),
                end_on=TODAY + timedelta(days=end),
            )
        )

    trip(chiara, -2, 0)  # here now, leaving today
    trip(hiro, 14, 20)  # arrives on the last day of the window
    trip(hiro, 15, 20)  # too far ahead
    trip(chiara, -9, -1)  # already gone
    trip(None, 1, 3)  # the user's own trip
    trip(gone, 1, 3)
    set_archived(ctx, gone)
    ctx.session.flush()
    visits = visiting_soon(ctx)
    assert [(v.name, v.start_on) for v in visits] == [
        ("Chiara Bellini", days_ago(2)),
        ("Hiro Tanaka", TODAY + timedelta(days=14)),
    ]
    assert "propose walk" in visits[0].suggestion
    assert "lunch or a coffee" in visits[1].suggestion  # a video call is not a way to meet in town
