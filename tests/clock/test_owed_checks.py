"""Owed state: Today reads only the messages worked out as owed, and misses none.

Each step below is its own unit of work, so the triggers mark what changed and the commit works
it out (services/clock/checks.py); after every step the owed replies must equal what the full
rule gives when it reads every marked message (the owed state set aside).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from mentormap.db import Database
from mentormap.models import Interaction, Person
from mentormap.services.clock.owed_replies import owed_replies
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import (
    delete_interaction,
    edit_interaction,
    get_interaction,
    log_interaction,
)
from mentormap.services.people.people import add_person
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY


def owed_ids(ctx: Ctx) -> list[int]:
    return [o.interaction_id for o in owed_replies(ctx, lookback_days=None)[0]]


def owed_by_the_full_rule(db: Database) -> list[int]:
    """The same answer with every marked message read (owed state set aside), then undone."""
    with db.session() as session:
        ctx = Ctx(session=session, settings=db.settings)
        session.execute(update(Interaction).where(Interaction.needs_reply).values(owed_state=2))
        found = owed_ids(ctx)
        session.rollback()
    return found


def step(db: Database, change: Callable[[Ctx], Any]) -> list[int]:
    with open_ctx(db) as ctx:
        change(ctx)
    with open_ctx(db) as ctx:
        unsettled = ctx.session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.owed_state == 2)
        )
        assert unsettled == 0  # the commit worked every mark out
        got = owed_ids(ctx)
    assert got == owed_by_the_full_rule(db)
    return got


def test_every_change_to_a_message_or_its_answer_is_seen(db: Database) -> None:
    ids: dict[str, int] = {}

    def people(ctx: Ctx) -> None:
        ids["ana"] = add_person(ctx, "Ana Lima").id
        ids["ben"] = add_person(ctx, "Ben Ode").id

    def person(ctx: Ctx, key: str) -> Person:
        found = ctx.session.get(Person, ids[key])
        assert found is not None
        return found

    def ask(ctx: Ctx) -> None:
        ids["ask"] = log_interaction(
            ctx,
            [person(ctx, "ana")],
            kind="message",
            direction="inbound",
            needs_reply=True,
            on=TODAY - timedelta(days=5),
            at=time(9),
        ).id

    def reply(ctx: Ctx) -> None:
        ids["reply"] = log_interaction(
            ctx,
            [person(ctx, "ana")],
            kind="message",
            direction="outbound",
            on=TODAY - timedelta(days=2),
            at=time(10),
        ).id

    def message(ctx: Ctx, key: str) -> Interaction:
        return get_interaction(ctx, ids[key])

    step(db, people)
    assert step(db, ask) == [ids["ask"]]
    assert step(db, reply) == []
    # The question is moved after the reply: owed again.
    assert step(
        db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), on=TODAY - timedelta(days=1))
    ) == [ids["ask"]]
    assert (
        step(
            db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), on=TODAY - timedelta(days=4))
        )
        == []
    )
    # The reply is deleted: owed again.
    assert step(db, lambda ctx: delete_interaction(ctx, message(ctx, "reply"))) == [ids["ask"]]
    # Unmarked, then marked again.
    assert step(db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), needs_reply=False)) == []
    assert step(db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), needs_reply=True)) == [
        ids["ask"]
    ]
    # Sent to Ben instead, who was written to after it; then back to Ana.
    step(db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), [person(ctx, "ben")]))
    step(
        db,
        lambda ctx: log_interaction(
            ctx, [person(ctx, "ben")], kind="call", direction="mutual", on=TODAY, at=time(11)
        ),
    )
    assert owed_by_the_full_rule(db) == []
    assert step(
        db, lambda ctx: edit_interaction(ctx, message(ctx, "ask"), [person(ctx, "ana")])
    ) == [ids["ask"]]
    # A raw write that bypasses every service is still seen: the triggers mark it.
    assert step(
        db,
        lambda ctx: ctx.session.execute(
            update(Person).where(Person.id == ids["ana"]).values(last_outgoing_at=func.now())
        ),
    ) == owed_by_the_full_rule(db)


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Database]:
    """This test's database on SQLite, then on PostgreSQL (the server engine)."""
    if request.param == "sqlite":
        database = Database.open(settings)
    else:
        url = request.getfixturevalue("postgres_url")
        database = Database.open(replace(settings, database_url=url))
    yield database
    database.close()


def test_an_answer_that_moves_no_latest_outgoing_instant_is_seen(either: Database) -> None:
    """An answer logged later the same day with only a date (so at noon, before the day's
    latest outgoing message) leaves the person's latest outgoing instant and day as they were;
    the commit still works the question out as answered (the full rule, history and all), and
    as owed again when the answer is deleted, or moved to the day before and back."""
    db = either
    ids: dict[str, int] = {}
    day = TODAY - timedelta(days=3)

    def ana(ctx: Ctx) -> Person:
        found = ctx.session.get(Person, ids["ana"])
        assert found is not None
        return found

    def setup(ctx: Ctx) -> None:
        ids["ana"] = add_person(ctx, "Ana Lima").id

    def evening(ctx: Ctx) -> None:
        log_interaction(ctx, [ana(ctx)], kind="message", direction="outbound", on=day, at=time(18))

    def ask(ctx: Ctx) -> None:
        ids["ask"] = log_interaction(
            ctx, [ana(ctx)], kind="message", direction="inbound", needs_reply=True, on=day,
            at=time(19),
        ).id  # fmt: skip

    def answer(ctx: Ctx, on: date) -> None:  # logged after the question, with no time
        ids["answer"] = log_interaction(
            ctx, [ana(ctx)], kind="call", direction="outbound", on=on
        ).id

    def latest(ctx: Ctx) -> tuple[Any, Any]:
        person = ana(ctx)
        return person.last_outgoing_at, person.last_outgoing_on

    step(db, setup)
    step(db, evening)
    assert step(db, ask) == [ids["ask"]]  # the evening message came before it
    with open_ctx(db) as ctx:
        before = latest(ctx)
    assert step(db, lambda ctx: answer(ctx, day)) == []
    with open_ctx(db) as ctx:
        assert latest(ctx) == before  # the answer moved neither

    def take_back(ctx: Ctx) -> None:
        delete_interaction(ctx, get_interaction(ctx, ids["answer"]))

    def move(ctx: Ctx) -> None:
        edit_interaction(ctx, get_interaction(ctx, ids["answer"]), on=day)

    assert step(db, take_back) == [ids["ask"]]
    assert step(db, lambda ctx: answer(ctx, day - timedelta(days=1))) == [ids["ask"]]
    assert step(db, move) == []
    with open_ctx(db) as ctx:
        assert latest(ctx) == before
