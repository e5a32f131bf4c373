"""The person's latest outgoing interaction, which lets the owed-replies check skip her history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import update

from mentormap.models import Person
from mentormap.services.clock.owed_replies import owed_replies
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import (
    delete_interaction,
    edit_interaction,
    log_interaction,
)
from mentormap.services.people.people import add_person
from tests.conftest import TODAY


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def outgoing(ctx: Ctx, person: Person) -> tuple[datetime | None, date | None]:
    ctx.session.refresh(person)
    return person.last_outgoing_at, person.last_outgoing_on


def test_logging_editing_and_deleting_keep_the_latest_outgoing_true(ctx: Ctx) -> None:
    aisha = add_person(ctx, "Aisha Khan")
    log_interaction(ctx, [aisha], kind="message", direction="inbound", on=days_ago(1))
    assert outgoing(ctx, aisha) == (None, None)  # an inbound message is not outgoing
    older = log_interaction(ctx, [aisha], kind="call", direction="mutual", on=days_ago(9))
    newer = log_interaction(ctx, [aisha], kind="message", direction="outbound", on=days_ago(4))
    assert outgoing(ctx, aisha)[1] == days_ago(4)
    edit_interaction(ctx, newer, direction="inbound")
    assert outgoing(ctx, aisha)[1] == days_ago(9)
    delete_interaction(ctx, older)
    assert outgoing(ctx, aisha) == (None, None)


def test_owed_replies_are_the_same_without_the_stored_latest_outgoing(ctx: Ctx) -> None:
    # Columns left empty (say, by a restore from an older backup) fall back to the history walk.
    people = [add_person(ctx, name) for name in ("Aisha Khan", "Hiro Tanaka", "Leo Martins")]
    aisha, hiro, leo = people
    for person in people:
        log_interaction(
            ctx, [person], kind="message", direction="inbound", needs_reply=True, on=days_ago(5)
        )
    log_interaction(ctx, [aisha], kind="message", direction="outbound", on=days_ago(3))
    log_interaction(ctx, [hiro], kind="message", direction="outbound", on=days_ago(8))
    log_interaction(
        ctx,
        [leo],
        kind="message",
        direction="inbound",
        needs_reply=True,
        on=days_ago(2),
        at=time(18, 0),
    )
    log_interaction(ctx, [leo], kind="message", direction="outbound", on=days_ago(2))
    stored = [(o.interaction_id, o.person_id) for o in owed_replies(ctx, lookback_days=None)[0]]
    assert {pid for _, pid in stored} == {hiro.id}  # Leo's same-day reply answers both
    ctx.session.execute(update(Person).values(last_outgoing_at=None, last_outgoing_on=None))
    walked = [(o.interaction_id, o.person_id) for o in owed_replies(ctx, lookback_days=None)[0]]
    assert walked == stored
