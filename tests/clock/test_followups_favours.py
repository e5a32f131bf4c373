"""Follow-up rules and the favours ledger, on the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mentormap.errors import InvalidInput
from mentormap.models import Favour, FollowUp, Person
from mentormap.services.clock.favours import (
    add_favour,
    list_favours,
    mark_acted,
    mark_reported,
    reciprocity,
)
from mentormap.services.clock.followups import (
    add_follow_up,
    complete,
    list_follow_ups,
    open_follow_ups,
    say_thank_you,
    snooze,
)
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person, set_archived
from tests.conftest import TODAY


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def open_rules(ctx: Ctx, who: Person) -> list[str]:
    return sorted(
        f.rule or "manual" for f in open_follow_ups(ctx, person=who, include_snoozed=True)
    )


def test_favour_loop_end_to_end(ctx: Ctx) -> None:
    dana = add_person(ctx, "Dana Whitfield")
    favour = add_favour(
        ctx, dana, "Put my name forward for the API project", kind="project", on=days_ago(2)
    )
    assert favour.state == "received"
    assert open_rules(ctx, dana) == ["act_on_favour", "thank_you"]
    thanks = next(f for f in open_follow_ups(ctx, person=dana) if f.rule == "thank_you")
    assert thanks.due_on == TODAY  # two days after the favour
    assert "project" in thanks.title

    # A thank-you message closes the thank-you, not the loop.
    log_interaction(ctx, [dana], kind="message", direction="outbound")
    assert open_rules(ctx, dana) == ["act_on_favour"]

    mark_acted(ctx, favour, days_ago(1))
    assert favour.state == "acted_on"
    assert open_rules(ctx, dana) == ["report_back"]
    report = open_follow_ups(ctx, person=dana)[0]
    assert report.title.startswith("Tell Dana what came of it")

    _, logged = mark_reported(ctx, favour)
    assert favour.state == "reported_back"
    assert favour.reported_on == TODAY
    assert logged is not None and logged.direction == "outbound"
    assert open_rules(ctx, dana) == []
    states = {f.rule: f.state for f in list_follow_ups(ctx, person=dana, states=["done"])}
    assert states == {"thank_you": "done", "act_on_favour": "done", "report_back": "done"}


def test_loop_steps_must_come_in_order(ctx: Ctx) -> None:
    dana = add_person(ctx, "Dana Whitfield")
    favour = add_favour(ctx, dana, "An introduction", on=days_ago(5))
    with pytest.raises(InvalidInput, match="Act on favour"):
        mark_reported(ctx, favour)
    with pytest.raises(InvalidInput, match="before you received"):
        mark_acted(ctx, favour, days_ago(6))
    with pytest.raises(InvalidInput, match="in the future"):
        mark_acted(ctx, favour, TODAY + timedelta(days=1))
    mark_acted(ctx, favour)
    with pytest.raises(InvalidInput, match="already acted on"):
        mark_acted(ctx, favour)
    given = add_favour(ctx, dana, "Reviewed her talk", direction="given")
    with pytest.raises(InvalidInput, match="one you gave"):
        mark_acted(ctx, given)


def test_future_favour_is_refused(ctx: Ctx) -> None:
    dana = add_person(ctx, "Dana Whitfield")
    with pytest.raises(InvalidInput, match="in the future"):
        add_favour(ctx, dana, "Something", on=TODAY + timedelta(days=2))
    with pytest.raises(InvalidInput, match="in the future"):
        add_favour(ctx, dana, "Something", on=days_ago(2), reported_on=TODAY + timedelta(days=1))


def test_old_favour_recorded_as_closed_opens_nothing(ctx: Ctx) -> None:
    chiara = add_person(ctx, "Chiara Bellini")
    favour = add_favour(
        ctx,
        chiara,
        "Recommended me as a speaker",
        kind="speaking_slot",
        on=days_ago(300),
        acted_on=days_ago(290),
        reported_on=days_ago(280),
    )
    assert favour.state == "reported_back"
    assert open_rules(ctx, chiara) == []
    acted = add_favour(ctx, chiara, "Sent a CFP", on=days_ago(30), acted_on=days_ago(20))
    assert acted.state == "acted_on"
    assert open_rules(ctx, chiara) == ["report_back", "thank_you"]


def test_given_favour_opens_no_loop(ctx: Ctx) -> None:
    leo = add_person(ctx, "Leo Martins")
    add_favour(
        ctx, leo, "Introduced him to a hiring manager", direction="given", kind="introduction"
    )
    assert open_rules(ctx, leo) == []
    assert [f.direction for f in list_favours(ctx, person=leo)] == ["given"]


def test_thank_you_after_a_conversation_with_advice(ctx: Ctx) -> None:
    priya = add_person(ctx, "Priya Raman")
    call = log_interaction(ctx, [priya], kind="video", on=days_ago(1))
    made = say_thank_you(ctx, priya, interaction=call)
    assert made is not None and made.due_on == days_ago(1) + timedelta(days=2)
    assert say_thank_you(ctx, priya, interaction=call) is None  # one open thank-you is enough
    # The call itself does not close it; an earlier-dated message does not either.
    log_interaction(ctx, [priya], kind="message", direction="outbound", on=days_ago(3))
    assert open_rules(ctx, priya) == ["thank_you"]
    note = log_interaction(ctx, [priya], kind="message", direction="outbound")
    closed = ctx.session.get(FollowUp, made.id)
    assert closed is not None and closed.state == "done"
    assert closed.closed_by_interaction_id == note.id


def test_no_thank_you_for_a_one_way_note_or_when_already_thanked(ctx: Ctx) -> None:
    priya = add_person(ctx, "Priya Raman")
    newsletter = log_interaction(ctx, [priya], kind="highlights_email", direction="inbound")
    assert say_thank_you(ctx, priya, interaction=newsletter) is None
    # Backdated: the conversation was a week ago and a thank-you was sent since.
    call = log_interaction(ctx, [priya], kind="call", on=days_ago(7))
    log_interaction(ctx, [priya], kind="message", direction="outbound", on=days_ago(6))
    assert say_thank_you(ctx, priya, interaction=call) is None


def test_an_inbound_message_does_not_close_a_thank_you(ctx: Ctx) -> None:
    priya = add_person(ctx, "Priya Raman")
    call = log_interaction(ctx, [priya], kind="call")
    say_thank_you(ctx, priya, interaction=call)
    log_interaction(ctx, [priya], kind="message", direction="inbound")
    assert open_rules(ctx, priya) == ["thank_you"]


def test_manual_follow_ups_complete_and_snooze(ctx: Ctx) -> None:
    jo = add_person(ctx, "Jo Nakamura")
    item = add_follow_up(ctx, "Book lunch", person=jo, due_on=days_ago(2))
    assert [f.days_overdue for f in open_follow_ups(ctx)] == [2]
    snooze(ctx, item, TODAY + timedelta(days=3))
    assert open_follow_ups(ctx) == []
    assert len(open_follow_ups(ctx, include_snoozed=True)) == 1
    with pytest.raises(InvalidInput, match="after today"):
        snooze(ctx, item, TODAY)
    complete(ctx, item)
    with pytest.raises(InvalidInput, match="already done"):
        complete(ctx, item)
    with pytest.raises(InvalidInput, match="needs a title"):
        add_follow_up(ctx, "   ", person=jo)


def test_archived_people_drop_out_of_follow_ups(ctx: Ctx) -> None:
    from mentormap.services.clock.followups import count_open
    from mentormap.services.people.groups import create_group

    jo = add_person(ctx, "Jo Nakamura")
    sam = add_person(ctx, "Sam Patel")
    add_follow_up(ctx, "Book lunch", person=jo, due_on=TODAY)
    add_follow_up(ctx, "Send the paper", person=sam, due_on=TODAY)
    add_follow_up(ctx, "Pick a venue", group=create_group(ctx, "Circle"), due_on=TODAY)
    add_follow_up(ctx, "Write it up", due_on=TODAY)  # nobody's
    set_archived(ctx, jo)
    titles = {f.title for f in open_follow_ups(ctx)}
    assert titles == {"Send the paper", "Pick a venue", "Write it up"}
    assert {f.title for f in list_follow_ups(ctx)} == titles and count_open(ctx) == 3
    assert {f.name for f in open_follow_ups(ctx)} == {"Sam Patel", "Circle", None}


def test_reciprocity_points_out_taking_much_and_giving_little(ctx: Ctx) -> None:
    margaret = add_person(ctx, "Margaret Okafor")
    leo = add_person(ctx, "Leo Martins")
    dana = add_person(ctx, "Dana Whitfield")
    for text in ("An introduction", "A program place", "A review"):
        add_favour(ctx, margaret, text, on=days_ago(100))
    add_favour(ctx, margaret, "Shared a paper", direction="given")
    add_favour(ctx, leo, "An intro", direction="given")
    add_favour(ctx, dana, "A project", on=days_ago(3))
    rows = {r.name: r for r in reciprocity(ctx)}
    assert (rows["Margaret Okafor"].received, rows["Margaret Okafor"].given) == (3, 1)
    assert rows["Margaret Okafor"].taken_much
    assert (
        rows["Margaret Okafor"].prompt
        and "look for a way to help" in rows["Margaret Okafor"].prompt
    )
    assert not rows["Dana Whitfield"].taken_much
    assert rows["Dana Whitfield"].prompt == "Keep an eye out for a way to help Dana Whitfield."
    assert rows["Leo Martins"].prompt is None
    assert reciprocity(ctx)[0].name == "Margaret Okafor"  # most lopsided first
    count = ctx.session.scalar(select(func.count()).select_from(Favour))
    assert count == 6
