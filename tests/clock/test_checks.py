"""Check days: the due list reads only people whose check day has come, and misses no one.

Random networks (the standing's own strategy) are built and committed, which works out every
check day; the due list is then asked on later days — with roles that begin and end in the
future, so clocks change on their own — and must name exactly whom the plain-Python reading of
the rules (tests/health/reference.py) finds due. Triggers, not writers, mark what changed.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from mentormap.db import Database
from mentormap.models import Group, Interaction, Person, Role
from mentormap.services.clock.standing import (
    WARMTH_BANDS,
    _checked_by,
    due_by,
    due_standings,
    people_in_band,
    warmth_and_due,
)
from mentormap.services.context import Ctx
from mentormap.services.people.people import edit_person
from mentormap.services.people.roles import give_role
from mentormap.services.sql import day_of
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.clock.test_standing import build, fresh_ctx, network_plan, template_db
from tests.conftest import TODAY, ZONE
from tests.health import reference

__all__ = ["template_db"]  # the fixture, used by name


def on_day(database: Database, day: date) -> Database:
    settings = Settings(
        database_url=str(database.engine.url), timezone=ZoneInfo(ZONE), today_override=day
    )
    return Database.open(settings)


def expected_due(ctx: Ctx, day: date) -> set[int]:
    network = reference.read_network(ctx)
    due = set()
    for person in network.people:
        found = reference.standing_on(network, person, day)
        snoozed = person.snoozed_until is not None and person.snoozed_until > day
        if found is not None and found[2] <= day and not person.archived and not snoozed:
            due.add(person.id)
    return due


def check_long_lists(ctx: Ctx) -> None:
    """Warmth and due dates of long lists (read from the clock kept on each person until her
    check day) agree with the rules read in plain Python, band by band."""
    day = ctx.today()
    network = reference.read_network(ctx)
    want: dict[int, tuple[str | None, date | None]] = {}
    for person in network.people:
        found = reference.standing_on(network, person, day)
        if found is not None:
            want[person.id] = (found[3].value, found[2])
    everyone = {p.id for p in network.people}
    assert warmth_and_due(ctx, sorted(everyone)) == want
    for band in WARMTH_BANDS:
        expect = {
            p.id for p in network.people if (want[p.id][0] if p.id in want else "none") == band
        }
        listed = set(ctx.session.scalars(people_in_band(ctx, band)))
        assert listed & everyone == expect, band  # the reference reads unarchived people


def unchecked(ctx: Ctx) -> int:
    return ctx.session.scalar(
        select(func.count()).select_from(Person).where(Person.clock_check_n == 0)
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=network_plan,
    ahead=st.lists(st.integers(0, 400), min_size=1, max_size=3),
    future=st.lists(
        st.tuples(st.integers(0, 5), st.integers(1, 200), st.one_of(st.none(), st.integers(1, 90))),
        max_size=3,
    ),
)
def test_the_due_list_on_later_days_misses_no_one(
    template_db: Path, plan: dict[str, Any], ahead: list[int], future: list[tuple[Any, ...]]
) -> None:
    with fresh_ctx(template_db) as database:
        with open_ctx(database) as ctx:
            people = build(ctx, plan)
            # Roles that begin, and some that end, on days still to come.
            days_to_ask = set(ahead)
            for n, starts_in, lasts in future:
                person = people[n % len(people)]
                if ctx.session.scalar(
                    select(Role.id).where(Role.person_id == person.id, Role.key == "sponsor")
                ):
                    continue
                # The service refuses a role that starts in the future; a restored backup
                # or an older version may hold one.
                since = TODAY + timedelta(days=starts_in)
                until = since + timedelta(days=lasts) if lasts is not None else None
                days_to_ask.add(starts_in)  # the days her clock changes on its own
                if lasts is not None:
                    days_to_ask.add(starts_in + lasts)
                ctx.session.add(
                    Role(
                        owner_id=ctx.owner_id,
                        person_id=person.id,
                        key="sponsor",
                        since=since,
                        until=until,
                    )
                )
        with open_ctx(database) as ctx:
            assert unchecked(ctx) == 0  # the commit worked every check day out
        for days in sorted(days_to_ask):
            later = on_day(database, TODAY + timedelta(days=days))
            try:
                with open_ctx(later) as ctx:
                    assert _checked_by(ctx, ctx.today()) is not None  # the checks are read
                    want = expected_due(ctx, ctx.today())
                    assert {s.person_id for s in due_standings(ctx)} == want
                    check_long_lists(ctx)
            finally:
                later.close()


def test_each_input_of_a_clock_marks_her_for_a_new_check(template_db: Path) -> None:
    plan = {
        "people": [
            {
                "roles": [("peer", 30, None, False)],
                "cadence": None,
                "keeps_clock": None,
                "met_days_ago": 100,
                "added_days_ago": 100,
                "contacts": [("call", 10)],
                "archived": False,
                "snooze": None,
                "in_group": True,
            }
        ],
        "group_cadence": 14,
        "sessions": [],
    }
    with fresh_ctx(template_db) as database:
        with open_ctx(database) as ctx:
            (person,) = build(ctx, plan)
            pid = person.id

        def marked(change: Any) -> bool:
            with open_ctx(database) as ctx:
                assert unchecked(ctx) == 0
                change(ctx, ctx.session.get(Person, pid))
                ctx.session.flush()
                return ctx.session.scalar(select(Person.clock_check_n).where(Person.id == pid)) == 0

        assert marked(lambda ctx, p: edit_person(ctx, p, cadence_days=9))
        assert marked(lambda ctx, p: edit_person(ctx, p, keeps_clock="any"))
        assert marked(lambda ctx, p: give_role(ctx, p, "role_model"))
        assert marked(lambda ctx, p: ctx.session.execute(update(Role).values(cadence_days=5)))
        assert marked(lambda ctx, p: ctx.session.execute(update(Group).values(cadence_days=21)))
        # Her notes are no input of her clock: no new check for them.
        assert not marked(lambda ctx, p: edit_person(ctx, p, notes="likes tea"))


def one_person_every_30_days(called_days_ago: int) -> dict[str, Any]:
    """A network plan (`network_plan`'s shape) of one contact on her own 30-day cadence."""
    person = {
        "roles": [],
        "cadence": 30,
        "keeps_clock": None,
        "met_days_ago": None,
        "added_days_ago": 200,
        "contacts": [("call", called_days_ago)],
        "archived": False,
        "snooze": None,
        "in_group": False,
    }
    return {"people": [person], "group_cadence": 14, "sessions": []}


def test_a_clock_that_moves_back_reads_everyone(template_db: Path) -> None:
    plan = one_person_every_30_days(called_days_ago=100)
    with fresh_ctx(template_db) as database:
        with open_ctx(database) as ctx:
            build(ctx, plan)
        earlier = on_day(database, TODAY - timedelta(days=75))
        try:
            with open_ctx(earlier) as ctx:
                assert _checked_by(ctx, ctx.today()) is None
                assert len(due_standings(ctx)) == 0  # due 70 days ago, on TODAY - 70
                assert len(due_by(ctx, TODAY)) == 1
        finally:
            earlier.close()
        with open_ctx(database) as ctx:
            # The earlier day's commit worked the checks out again for that day, so a later
            # day reads them, and they still hold.
            checked = ctx.session.scalar(select(func.max(Person.clock_checked_n)))
            assert checked == day_of(TODAY - timedelta(days=75))
            assert _checked_by(ctx, ctx.today()) is not None
            assert len(due_standings(ctx)) == 1


def trigger_names(database: Database) -> set[str]:
    with database.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in rows if name.startswith(("clock_check", "owed_check"))}


def test_a_restore_keeps_the_marking_triggers_and_works_every_check_out(
    demo_template: Path, tmp_path: Path
) -> None:
    from mentormap.services.interop.backup import backup_chunks, restore

    shutil.copyfile(demo_template, tmp_path / "source.db")
    zone = ZoneInfo(ZONE)
    source = Database.open(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'source.db'}", timezone=zone, today_override=TODAY
        )
    )
    target = Database.open(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'target.db'}", timezone=zone, today_override=TODAY
        )
    )
    try:
        expected = trigger_names(target)
        assert len(expected) == 16  # 0141's eight, 0151's five and 0201's three (bookings)
        with open_ctx(source) as ctx:
            backup = "".join(backup_chunks(ctx)).encode()
            due = {s.person_id for s in due_standings(ctx)}
        with open_ctx(target) as ctx:
            restore(ctx, backup)
        assert trigger_names(target) == expected
        with open_ctx(target) as ctx:
            assert unchecked(ctx) == 0
            assert _checked_by(ctx, ctx.today()) is not None
            assert {s.person_id for s in due_standings(ctx)} == due
            marked = ctx.session.scalar(select(Interaction.id).where(Interaction.owed_state == 2))
            assert marked is None
    finally:
        source.close()
        target.close()


def test_only_a_unit_that_wrote_settles(template_db: Path) -> None:
    """Settling costs two statements at the end of every unit; a read-only one (the server's
    GETs, `today`) skips them, a write through the ORM or a plain UPDATE does not."""
    from sqlalchemy import event

    plan = one_person_every_30_days(called_days_ago=10)
    seen: list[str] = []
    with fresh_ctx(template_db) as database:
        with open_ctx(database) as ctx:
            build(ctx, plan)
        event.listen(database.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))

        def settled() -> bool:
            return any("clock_check_n =" in statement for statement in seen)

        with open_ctx(database) as ctx:
            assert len(due_standings(ctx)) == 0
        assert seen and not settled()
        seen.clear()
        with open_ctx(database) as ctx:
            person = ctx.session.scalars(select(Person)).one()
            edit_person(ctx, person, cadence_days=5)
        assert settled()
        seen.clear()
        with open_ctx(database) as ctx:
            ctx.session.execute(update(Person).values(cadence_days=3))
        assert settled()
        with open_ctx(database) as ctx:
            assert unchecked(ctx) == 0
            assert len(due_standings(ctx)) == 1  # last contact 10 days ago, every 3 days
