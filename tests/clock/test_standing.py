"""One standing per person: the clock's rules, and every surface agreeing on them.

The scenario from the issue (a peer who missed a session, a role given after backdated history, a
booking message to a role model, a ping to a contact, a group session with a guest) is pinned
first; then a Hypothesis test builds random networks and checks that a plain-Python reading of
the rules in `domain.clock` (tests/health/reference.py, which the health report is held to as
well), the standing service and every surface that shows warmth or a due
date give the same answer for every person.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentormap.db import Database
from mentormap.domain.cadence import Warmth
from mentormap.domain.roles import CONTACT_CADENCE_DAYS, RoleKey
from mentormap.domain.vocab import InteractionKind
from mentormap.models import Person
from mentormap.services.clock.keep_in_touch import agenda_key, due_people
from mentormap.services.clock.standing import WARMTH_BANDS, Standing, people_in_band, standings
from mentormap.services.clock.today import compute_today
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.conversations.prep import person_brief
from mentormap.services.interop.exports import CATCH_UP_HORIZON_DAYS, planned_items
from mentormap.services.people.browse import warmth_by_person
from mentormap.services.people.groups import add_member, create_group
from mentormap.services.people.people import (
    PeopleFilter,
    add_person,
    edit_person,
    list_people,
    person_detail,
    set_archived,
    snooze_person,
)
from mentormap.services.people.roles import give_role
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY, ZONE, CliInvoke
from tests.health import reference


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- the scenario -------------------------------------------------------------------------------


def test_a_role_given_after_backdated_history_counts_that_history(cli: CliInvoke) -> None:
    cli("people", "add", "Sam Patel")
    cli("log", "Sam Patel", "--kind", "call", "--on", days_ago(40).isoformat())
    cli("log", "Sam Patel", "--kind", "coffee", "--on", days_ago(20).isoformat())
    assert cli("role", "add", "Sam Patel", "friend").exit_code == 0
    shown = json.loads(cli("people", "show", "Sam", "--json").stdout)
    standing = shown["standing"]
    assert standing["clock_start"] == days_ago(20).isoformat()
    assert standing["due_on"] == (days_ago(20) + timedelta(days=14)).isoformat()
    assert standing["warmth"] == "cooling"
    roles = {r["key"]: r for r in shown["role_details"]}
    assert roles["friend"]["since"] == days_ago(40).isoformat()  # her first logged interaction


def test_since_overrides_the_first_interaction_and_the_clock_reads_contact(
    cli: CliInvoke,
) -> None:
    cli("people", "add", "Sam Patel")
    cli("log", "Sam Patel", "--kind", "call", "--on", days_ago(60).isoformat())
    cli("role", "add", "Sam Patel", "friend", "--since", days_ago(5).isoformat())
    shown = json.loads(cli("people", "show", "Sam", "--json").stdout)
    assert shown["role_details"][0]["since"] == days_ago(5).isoformat()
    # The clock reads her last contact, however the role's start was set: dormant by now.
    assert shown["standing"]["clock_start"] == days_ago(60).isoformat()
    assert shown["standing"]["warmth"] == "dormant"


def test_history_logged_after_the_role_still_counts(cli: CliInvoke) -> None:
    cli("people", "add", "Jo Nakamura", "--role", "work_friend")
    cli("log", "Jo", "--kind", "lunch", "--on", days_ago(50).isoformat())
    standing = json.loads(cli("people", "show", "Jo", "--json").stdout)["standing"]
    assert standing["clock_start"] == days_ago(50).isoformat()
    assert standing["warmth"] == "cold"


def test_a_booking_message_does_not_keep_a_role_models_clock(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman", "--role", "role_model")
    cli("log", "Priya", "--kind", "video", "--on", days_ago(35).isoformat())
    cli("log", "Priya", "--kind", "message", "--on", days_ago(2).isoformat(), "--note", "Booked")
    standing = json.loads(cli("people", "show", "Priya", "--json").stdout)["standing"]
    assert standing["last_contact_on"] == days_ago(35).isoformat()
    assert standing["latest_contact_on"] == days_ago(2).isoformat()
    assert standing["warmth"] == "cooling"
    assert "last real conversation" in standing["reason"]
    assert "does not keep this clock" in standing["reason"]
    today = json.loads(cli("today", "--all", "--json").stdout)
    assert [e["name"] for e in today["due"]] == ["Priya Raman"]
    # Her own setting widens it: for her, any contact will do.
    assert cli("people", "edit", "Priya", "--keeps-clock", "any").exit_code == 0
    standing = json.loads(cli("people", "show", "Priya", "--json").stdout)["standing"]
    assert standing["warmth"] == "warm" and standing["keeps_clock"] == "any"
    assert "Priya Raman" not in cli("today", "--all", "--json").stdout


def test_a_ping_keeps_a_contacts_clock(cli: CliInvoke) -> None:
    cli("people", "add", "Hiro Tanaka", "--role", "contact")
    cli("log", "Hiro", "--kind", "lunch", "--on", days_ago(300).isoformat())
    assert "Hiro Tanaka" in cli("today", "--all", "--json").stdout
    cli("log", "Hiro", "--kind", "ping", "--on", days_ago(1).isoformat())
    listed = json.loads(cli("people", "list", "--json").stdout)
    assert [(p["name"], p["warmth"]) for p in listed] == [("Hiro Tanaka", "warm")]
    assert listed[0]["due_on"] == (days_ago(1) + timedelta(days=CONTACT_CADENCE_DAYS)).isoformat()


def test_a_peer_who_misses_sessions_drifts_and_a_guest_keeps_the_members(
    cli: CliInvoke,
) -> None:
    for name in ("Nadia Haddad", "Tom Eriksen", "Ines Moreau", "Guest Speaker"):
        cli("people", "add", name)
    cli("group", "create", "Circle", "--member", "Nadia", "--member", "Tom", "--member", "Ines")
    cli("log", "Circle", "--on", days_ago(70).isoformat())
    cli("log", "Circle", "--on", days_ago(40).isoformat(), "--absent", "Ines")
    logged = json.loads(
        cli(
            "log",
            "Circle",
            "Guest Speaker",
            "--on",
            days_ago(10).isoformat(),
            "--json",
            "--absent",
            "Ines",
        ).stdout
    )
    assert logged["people"] == ["Guest Speaker", "Nadia Haddad", "Tom Eriksen"]
    ines = json.loads(cli("people", "show", "Ines", "--json").stdout)["standing"]
    assert ines["cadence_source"] == "group" and ines["group"]["name"] == "Circle"
    assert ines["clock_start"] == days_ago(70).isoformat()
    assert ines["warmth"] == "cold"
    nadia = json.loads(cli("people", "show", "Nadia", "--json").stdout)["standing"]
    assert nadia["clock_start"] == days_ago(10).isoformat() and nadia["warmth"] == "warm"
    due = json.loads(cli("today", "--all", "--json").stdout)["due"]
    assert [e["name"] for e in due] == ["Ines Moreau"]
    groups = json.loads(cli("group", "list", "--json").stdout)
    assert groups[0]["last_session_on"] == days_ago(10).isoformat()


def test_a_group_due_with_all_its_members_is_one_entry_in_today(cli: CliInvoke) -> None:
    for name in ("Nadia Haddad", "Tom Eriksen"):
        cli("people", "add", name)
    cli("group", "create", "Circle", "--member", "Nadia", "--member", "Tom")
    cli("log", "Circle", "--on", days_ago(35).isoformat())
    due = json.loads(cli("today", "--all", "--json").stdout)["due"]
    assert [(e["kind"], e["name"], e["members"]) for e in due] == [
        ("group", "Circle", ["Nadia Haddad", "Tom Eriksen"])
    ]
    text = cli("today", "--all").stdout
    assert "Due with it: Nadia Haddad, Tom Eriksen." in text


def test_pressing_me_is_the_user_never_a_name_containing_me(cli: CliInvoke) -> None:
    for name in ("James Okoro", "Nadia Haddad"):
        cli("people", "add", name)
    cli("group", "create", "Circle", "--member", "James", "--member", "Nadia")
    planned = json.loads(
        cli("group", "session", "Circle", "--pressing", "me", "--start", "18:00", "--json").stdout
    )
    slots = {s["label"]: s for s in planned["slots"]}
    assert slots["You"]["pressing"] and not slots["James Okoro"]["pressing"]
    assert planned["present"] == ["James Okoro", "Nadia Haddad", "You"]
    # Her share counts like everyone's: a double share of the hour, as a pressing problem.
    others = [slots["James Okoro"]["minutes"], slots["Nadia Haddad"]["minutes"]]
    assert sum(s["minutes"] for s in planned["slots"]) == 60
    assert 2 * min(others) <= slots["You"]["minutes"] <= 2 * max(others) + 2  # rounding


def test_log_refuses_what_it_cannot_place(cli: CliInvoke) -> None:
    cli("people", "add", "Nadia Haddad")
    cli("group", "create", "Circle", "--member", "Nadia")
    for args, message in (
        (["Circle", "Nobody Here"], "No one called 'Nobody Here'"),
        (["Circle", "--absent", "Zed"], "No member of Circle called 'Zed'"),
        (["Nadia", "--absent", "Nadia"], "name the group"),
    ):
        result = cli("log", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr


# --- random networks ------------------------------------------------------------------------------

KINDS = [k.value for k in InteractionKind if k != InteractionKind.GROUP_SESSION]
CLOCKED_ROLES = [k.value for k in RoleKey]

person_plan = st.fixed_dictionaries(
    {
        "roles": st.lists(
            st.tuples(
                st.sampled_from(CLOCKED_ROLES),
                st.one_of(st.none(), st.integers(0, 400)),  # since, days ago (None: default)
                st.one_of(st.none(), st.integers(1, 90)),  # role cadence override
                st.booleans(),  # ended yesterday
            ),
            max_size=3,
            unique_by=lambda r: r[0],
        ),
        "cadence": st.one_of(st.none(), st.integers(1, 120)),
        "keeps_clock": st.sampled_from([None, "any", "conversation"]),
        "met_days_ago": st.one_of(st.none(), st.integers(0, 900)),
        "added_days_ago": st.integers(0, 900),
        "contacts": st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 500)), max_size=5),
        "archived": st.booleans(),
        "snooze": st.one_of(st.none(), st.integers(1, 30)),
        "in_group": st.booleans(),
    }
)
network_plan = st.fixed_dictionaries(
    {
        "people": st.lists(person_plan, min_size=1, max_size=6),
        "group_cadence": st.integers(7, 60),
        "sessions": st.lists(
            st.tuples(st.integers(0, 300), st.sets(st.integers(0, 5), max_size=3)), max_size=4
        ),
    }
)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("standing") / "template.db"
    Database.open(Settings(database_url=f"sqlite:///{path}")).close()
    return path


@contextmanager
def fresh_ctx(template: Path) -> Iterator[Database]:
    folder = Path(tempfile.mkdtemp(prefix="standing-"))
    path = folder / "net.db"
    shutil.copy(template, path)
    database = Database.open(
        Settings(database_url=f"sqlite:///{path}", timezone=ZoneInfo(ZONE), today_override=TODAY)
    )
    try:
        yield database
    finally:
        database.close()
        shutil.rmtree(folder, ignore_errors=True)


def build(ctx: Ctx, plan: dict[str, Any]) -> list[Person]:
    people = []
    for n, spec in enumerate(plan["people"]):
        met = days_ago(spec["met_days_ago"]) if spec["met_days_ago"] is not None else None
        person = add_person(ctx, f"Person {n}", met_on=met, cadence_days=spec["cadence"])
        # Added on the (fixed) today at the latest, as in real use: rows take the real clock.
        person.created_at = datetime.combine(days_ago(spec["added_days_ago"]), time(12))
        for kind, ago in spec["contacts"]:
            log_interaction(ctx, [person], kind=kind, on=days_ago(ago))
        for key, since, cadence, ended in spec["roles"]:
            role = give_role(
                ctx,
                person,
                key,
                since=days_ago(since) if since is not None else None,
                cadence_days=cadence,
            )
            if ended and role.since < TODAY:
                role.until = TODAY - timedelta(days=1) if role.since < days_ago(1) else TODAY
        if spec["keeps_clock"]:
            edit_person(ctx, person, keeps_clock=spec["keeps_clock"])
        people.append(person)
    members = [p for p, spec in zip(people, plan["people"], strict=True) if spec["in_group"]]
    if members:
        group = create_group(ctx, "Circle", cadence_days=plan["group_cadence"])
        for member in members:
            add_member(ctx, group, member, since=days_ago(400))
        for ago, missing in sorted(plan["sessions"], reverse=True):
            absent = [m for i, m in enumerate(members) if i in missing]
            if len(absent) < len(members):
                log_interaction(
                    ctx, [], kind="group_session", on=days_ago(ago), group=group, absent=absent
                )
    for person, spec in zip(people, plan["people"], strict=True):
        if spec["snooze"]:
            snooze_person(ctx, person, TODAY + timedelta(days=spec["snooze"]))
        if spec["archived"]:
            set_archived(ctx, person)
    ctx.session.flush()
    return people


def check_every_surface(ctx: Ctx, people: list[Person]) -> None:
    ids = [p.id for p in people]
    found = standings(ctx, ids)
    network = reference.read_network(ctx)
    for person in people:  # the rules read again in plain Python, from the raw rows
        want = reference.standing_on(network, person, TODAY)
        got = found[person.id]
        assert (got.cadence_days, got.clock_start, got.due_on, got.warmth) == (
            want or (None, None, None, None)
        ), (person.name, got.reason)

    def due(s: Standing) -> bool:
        return s.is_due(TODAY)

    # today: the due list, and the agenda screen (where a group entry may stand for members)
    listed = {e.id: e for e in due_people(ctx)}
    assert set(listed) == {pid for pid, s in found.items() if due(s)}
    for pid, entry in listed.items():
        assert (entry.due_on, entry.warmth) == (found[pid].due_on, found[pid].warmth)
    agenda = compute_today(ctx, everything=True)
    on_screen = {e.id for e in agenda.due if e.kind == "person"}
    folded = {name for e in agenda.due if e.kind == "group" for name in e.members}
    names = {p.id: p.name for p in people}
    assert {pid for pid in listed if pid in on_screen or names[pid] in folded} == set(listed)
    # The agenda orders everyone from light rows and builds whole entries for those it shows:
    # the whole entries' numbers give the same order, and the short screen is its first few.
    assert agenda.due == sorted(
        agenda.due, key=lambda e: agenda_key(e.warmth, e.rank, e.days_overdue, e.name)
    )
    short = compute_today(ctx, limit=2)
    active = [e for e in agenda.due if e.warmth != Warmth.DORMANT]
    assert short.due == active[:2] and short.hidden.due == len(active) - len(short.due)
    assert short.reconnect == agenda.reconnect
    # people list (CLI and web lists), web badges, the warmth filter, prep
    summaries = {s.id: s for s in list_people(ctx, PeopleFilter(include_archived=True))}
    # a page of the list (the API's, the web's) reads warmth by ids, not for everyone
    paged = PeopleFilter(include_archived=True, limit=max(1, len(people)))
    page = {s.id: s for s in list_people(ctx, paged)}
    badges = warmth_by_person(ctx, ids)
    for pid, where in found.items():
        band = where.warmth.value if where.warmth else None
        assert (summaries[pid].warmth, summaries[pid].due_on) == (band, where.due_on)
        assert (page[pid].warmth, page[pid].due_on) == (band, where.due_on)
        assert (badges[pid].band, badges[pid].due_on) == (band, where.due_on)
    for person in people:  # her page, and `people show --json`
        detail = person_detail(ctx, person, interaction_limit=0)
        band = found[person.id].warmth
        assert (detail.warmth, detail.due_on) == (
            band.value if band and found[person.id].due_on else None,
            found[person.id].due_on,
        )
    for band in WARMTH_BANDS:
        flt = PeopleFilter(include_archived=True, warmth=band)
        expect = {
            pid for pid, s in found.items() if (s.warmth.value if s.warmth else "none") == band
        }
        assert {s.id for s in list_people(ctx, flt)} == expect
        assert set(ctx.session.scalars(people_in_band(ctx, band))) == expect
    for person in people:
        assert person_brief(ctx, person).standing == found[person.id].as_json()
    # the .ics feed of catch-ups
    horizon = TODAY + timedelta(days=CATCH_UP_HORIZON_DAYS)
    feed = {
        int(item.uid.split("-")[2].split("@")[0]): item.on
        for item in planned_items(ctx)
        if item.uid.startswith("catch-up-")
    }
    expected_feed = {}
    for pid, where in found.items():
        if where.archived or where.due_on is None or where.is_booked(TODAY):
            continue
        on = max(where.due_on, TODAY, where.snoozed_until or TODAY)
        if on <= horizon and where.due_on <= horizon:
            expected_feed[pid] = on
    assert feed == expected_feed


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=network_plan)
def test_every_surface_agrees_on_every_persons_standing(
    template_db: Path, plan: dict[str, Any]
) -> None:
    with fresh_ctx(template_db) as database, open_ctx(database) as ctx:
        people = build(ctx, plan)
        check_every_surface(ctx, people)


def test_the_short_agenda_is_the_head_of_the_whole_one(demo_template: Path, tmp_path: Path) -> None:
    """The demo's 39 due entries (roles of every rank, every band, dormant ties): ordered and
    counted from light rows, they read in the same order by their whole entries' numbers, and
    each short screen shows the first of them with the same entries and counts."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    database = Database.open(
        Settings(database_url=f"sqlite:///{path}", timezone=ZoneInfo(ZONE), today_override=TODAY)
    )
    try:
        with open_ctx(database) as ctx:
            whole = compute_today(ctx, everything=True)
            ranks = {e.rank for e in whole.due}
            assert len(whole.due) > 20 and len(ranks) > 3
            assert whole.due == sorted(
                whole.due, key=lambda e: agenda_key(e.warmth, e.rank, e.days_overdue, e.name)
            )
            active = [e for e in whole.due if e.warmth != Warmth.DORMANT]
            dormant = len(whole.due) - len(active)
            assert dormant > len(whole.reconnect) > 0
            for limit in (1, 3, 8):
                short = compute_today(ctx, limit=limit)
                assert short.due == active[:limit]
                assert short.hidden.due == len(active) - limit
                assert short.reconnect == whole.reconnect
                assert short.hidden.dormant == dormant - len(short.reconnect)
    finally:
        database.close()
