"""The kept cadence history (services/health/spans.py) stays right after every kind of write.

The report works out only the people the triggers marked since its last look. After each write
below, the kept figures must equal both the Python reference (tests/health/reference.py) and a
history worked out afresh from nothing: a write the triggers missed would leave them behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, text, update

from mentormap.db import Database
from mentormap.models import (
    ClockMark,
    ClockSpan,
    Group,
    Interaction,
    InteractionParticipant,
    Person,
    Role,
)
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import (
    delete_interaction,
    edit_interaction,
    log_interaction,
)
from mentormap.services.demo.network import build_demo
from mentormap.services.health import spans
from mentormap.services.people.groups import add_member, create_group, remove_member
from mentormap.services.people.merge import merge_people
from mentormap.services.people.people import add_person, delete_person, edit_person, set_archived
from mentormap.services.people.roles import give_role, take_role
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import ZONE
from tests.health.helpers import ago
from tests.health.test_health_sql import CHECKPOINTS, FIRST, TODAY, reference_figures

Write = Callable[[Ctx], None]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo network built once for the module; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    settings = Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo(ZONE), today_override=TODAY
    )
    db = Database.open(settings)
    with open_ctx(db) as ctx:
        build_demo(ctx, size=40, seed=5)
    db.close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_file: Path) -> Path:
    path = tmp_path / "mentormap.db"
    shutil.copyfile(demo_file, path)
    return path


def figures(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    found = spans.cadence_figures(ctx, CHECKPOINTS[:-1], FIRST, TODAY)
    history = [(h.on, h.warm, h.cooling, h.cold, h.dormant) for h in found.history]
    return history, (found.inside, found.held)


def afresh(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    spans.forget(ctx)
    return figures(ctx)


def reference(ctx: Ctx) -> tuple[list[tuple[object, ...]], tuple[int, int]]:
    history, adherence = reference_figures(ctx)
    return history[:-1], adherence


def people(ctx: Ctx, n: int, offset: int = 0) -> list[Person]:
    query = select(Person).where(Person.archived.is_(False)).order_by(Person.id)
    return list(ctx.session.scalars(query.offset(offset).limit(n)))


def one_interaction(ctx: Ctx, offset: int = 0) -> Interaction:
    query = select(Interaction).where(Interaction.occurred_on < ago(30)).order_by(Interaction.id)
    found = ctx.session.scalars(query.offset(offset).limit(1)).first()
    assert found is not None
    return found


def backdated_log(ctx: Ctx) -> None:
    # Older than her last contact: the contact dates on her row stay as they were.
    log_interaction(ctx, people(ctx, 2, 3), kind="lunch", on=ago(200))


def log_today(ctx: Ctx) -> None:
    log_interaction(ctx, people(ctx, 1, 5), kind="video", on=TODAY)


def move_an_interaction(ctx: Ctx) -> None:
    edit_interaction(ctx, one_interaction(ctx), on=ago(75))


def change_a_kind(ctx: Ctx) -> None:
    edit_interaction(ctx, one_interaction(ctx, 1), kind="ping")


def change_participants(ctx: Ctx) -> None:
    edit_interaction(ctx, one_interaction(ctx, 2), people=people(ctx, 1, 9))


def delete_an_interaction(ctx: Ctx) -> None:
    delete_interaction(ctx, one_interaction(ctx, 3))


def delete_in_bulk(ctx: Ctx) -> None:
    # A statement past the services: the participants go by the foreign key's cascade.
    ids = select(Interaction.id).where(Interaction.occurred_on < ago(100)).limit(5)
    ctx.session.execute(delete(Interaction).where(Interaction.id.in_(ids)))


def archive_someone(ctx: Ctx) -> None:
    set_archived(ctx, people(ctx, 1, 4)[0])


def delete_someone(ctx: Ctx) -> None:
    delete_person(ctx, people(ctx, 1, 6)[0])


def add_a_stranger(ctx: Ctx) -> None:
    add_person(ctx, "Newly Added", met_on=ago(40))


def give_and_take_roles(ctx: Ctx) -> None:
    first, second = people(ctx, 2, 10)
    give_role(ctx, first, "role_model", since=ago(150))
    roles = ctx.session.scalars(select(Role).where(Role.person_id == second.id)).all()
    if roles:
        take_role(ctx, second, roles[0].key)


def backdate_a_role(ctx: Ctx) -> None:
    ctx.session.execute(
        update(Role)
        .where(Role.id == select(func.min(Role.id)).scalar_subquery())
        .values(since=ago(300))
    )


def change_her_cadence(ctx: Ctx) -> None:
    edit_person(ctx, people(ctx, 1, 12)[0], cadence_days=7)


def regroup(ctx: Ctx) -> None:
    circle = create_group(ctx, "Late Circle", cadence_days=14, session_minutes=60)
    for person in people(ctx, 3, 14):
        add_member(ctx, circle, person, since=ago(120))
    log_interaction(ctx, [], kind="group_session", on=ago(60), group=circle)
    remove_member(ctx, circle, people(ctx, 1, 14)[0])


def change_a_groups_cadence(ctx: Ctx) -> None:
    group = ctx.session.scalars(select(Group).order_by(Group.id)).first()
    assert group is not None
    group.cadence_days = 90
    ctx.session.flush()


def merge_two(ctx: Ctx) -> None:
    keep, other = people(ctx, 2, 16)
    merge_people(ctx, keep, other)


WRITES: list[Write] = [
    backdated_log,
    log_today,
    move_an_interaction,
    change_a_kind,
    change_participants,
    delete_an_interaction,
    delete_in_bulk,
    archive_someone,
    delete_someone,
    add_a_stranger,
    give_and_take_roles,
    backdate_a_role,
    change_her_cadence,
    regroup,
    change_a_groups_cadence,
    merge_two,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_each_write_keeps_the_history_right(ctx: Ctx, write: Write) -> None:
    assert figures(ctx) == reference(ctx)
    write(ctx)
    ctx.session.flush()
    marked = ctx.session.scalar(select(func.count()).select_from(ClockMark))
    kept = figures(ctx)
    assert kept == reference(ctx)
    assert kept == afresh(ctx)
    # Only the marked were worked out again (someone added alone leaves no mark: she is found
    # by her id, newer than any worked out), and the marks are spent.
    assert marked < 40 and (marked > 0 or write is add_a_stranger)
    assert ctx.session.scalar(select(func.count()).select_from(ClockMark)) == 0


def test_all_writes_in_a_row(ctx: Ctx) -> None:
    figures(ctx)
    for write in WRITES:
        write(ctx)
        assert figures(ctx) == reference(ctx), write.__name__


def test_a_report_with_nothing_new_reads_only_the_sums(ctx: Ctx) -> None:
    figures(ctx)
    spans_before = ctx.session.scalar(select(func.max(ClockSpan.id)))
    figures(ctx)
    assert ctx.session.scalar(select(func.max(ClockSpan.id))) == spans_before


def test_a_year_before_the_horizon_is_worked_out_afresh(ctx: Ctx) -> None:
    figures(ctx)
    horizon = ctx.session.scalar(text("SELECT horizon_n FROM clock_history"))
    early = [end.replace(year=end.year - 2) for end in CHECKPOINTS[:-1]]
    found = spans.cadence_figures(ctx, early, FIRST.replace(year=FIRST.year - 2), TODAY)
    assert ctx.session.scalar(text("SELECT horizon_n FROM clock_history")) < horizon
    assert found.held >= 0
    assert figures(ctx) == reference(ctx)


def test_a_deleted_persons_stretches_leave_the_sums(ctx: Ctx) -> None:
    figures(ctx)
    gone = people(ctx, 1, 2)[0]
    pid = gone.id
    delete_person(ctx, gone)
    figures(ctx)
    assert ctx.session.scalar(select(func.count()).where(ClockSpan.person_id == pid)) == 0
    participants = select(func.count()).where(InteractionParticipant.person_id == pid)
    assert ctx.session.scalar(participants) == 0
