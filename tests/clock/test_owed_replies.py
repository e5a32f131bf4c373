"""Owed replies: inbound, marked as needing a reply, and nothing sent back since."""

from __future__ import annotations

from datetime import date, time, timedelta

from mentormap.models import Person
from mentormap.services.clock.owed_replies import (
    OwedReply,
    owed_replies,
    reply_windows,
    set_reply_windows,
)
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person, set_archived
from mentormap.services.people.roles import give_role
from tests.conftest import TODAY


def owed(ctx: Ctx, lookback_days: int | None = 90) -> list[OwedReply]:
    return owed_replies(ctx, lookback_days=lookback_days)[0]


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def someone(ctx: Ctx, name: str, role: str = "contact") -> Person:
    found = add_person(ctx, name)
    give_role(ctx, found, role, since=days_ago(300))
    return found


def ask(ctx: Ctx, who: Person, ago: int, at: time | None = None) -> int:
    return log_interaction(
        ctx, [who], kind="message", direction="inbound", needs_reply=True, on=days_ago(ago), at=at
    ).id


def test_inbound_needing_reply_is_owed_with_a_short_window_for_mentees(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha Khan", "mentee")
    hiro = someone(ctx, "Hiro Tanaka")
    ask(ctx, aisha, 3)
    ask(ctx, hiro, 3)
    by_name = {o.name: o for o in owed(ctx)}
    assert by_name["Aisha Khan"].due_on == days_ago(1)  # two days for a mentee
    assert by_name["Aisha Khan"].days_overdue == 1
    assert by_name["Hiro Tanaka"].due_on == days_ago(3) + timedelta(days=7)
    assert [o.name for o in owed(ctx)] == ["Aisha Khan", "Hiro Tanaka"]  # most urgent first


def test_inbound_without_the_flag_is_not_owed(ctx: Ctx) -> None:
    hiro = someone(ctx, "Hiro Tanaka")
    log_interaction(ctx, [hiro], kind="message", direction="inbound")
    assert owed(ctx) == []


def test_a_later_outbound_or_conversation_answers_it(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha Khan", "mentee")
    leo = someone(ctx, "Leo Martins", "mentee")
    ask(ctx, aisha, 5)
    ask(ctx, leo, 5)
    log_interaction(ctx, [aisha], kind="message", direction="outbound", on=days_ago(4))
    log_interaction(ctx, [leo], kind="video", direction="mutual", on=days_ago(2))
    assert owed(ctx) == []


def test_a_later_inbound_does_not_answer_it(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha Khan", "mentee")
    first = ask(ctx, aisha, 5)
    log_interaction(ctx, [aisha], kind="message", direction="inbound", on=days_ago(2))
    assert [o.interaction_id for o in owed(ctx)] == [first]


def test_an_earlier_outbound_logged_afterwards_does_not_answer_it(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha Khan", "mentee")
    asked = ask(ctx, aisha, 3)
    log_interaction(ctx, [aisha], kind="message", direction="outbound", on=days_ago(4))
    assert [o.interaction_id for o in owed(ctx)] == [asked]


def test_same_day_reply_logged_with_only_a_date_answers_it(ctx: Ctx) -> None:
    aisha = someone(ctx, "Aisha Khan", "mentee")
    ask(ctx, aisha, 1, at=time(16, 30))
    # Logged afterwards with a date only (stored at noon): still the reply to that message.
    log_interaction(ctx, [aisha], kind="message", direction="outbound", on=days_ago(1))
    assert owed(ctx) == []


def test_reply_windows_are_preferences(ctx: Ctx) -> None:
    hiro = someone(ctx, "Hiro Tanaka")
    ask(ctx, hiro, 3)
    assert reply_windows(ctx).other_days == 7
    set_reply_windows(ctx, other_days=1, mentee_days=1)
    assert owed(ctx)[0].due_on == days_ago(2)


def test_archived_people_are_owed_nothing(ctx: Ctx) -> None:
    hiro = someone(ctx, "Hiro Tanaka")
    ask(ctx, hiro, 3)
    set_archived(ctx, hiro)
    assert owed(ctx) == []


def test_old_unanswered_messages_lapse_from_the_short_list_only(ctx: Ctx) -> None:
    hiro = someone(ctx, "Hiro Tanaka")
    ask(ctx, hiro, 120)
    assert owed(ctx) == []
    assert [o.name for o in owed(ctx, lookback_days=None)] == ["Hiro Tanaka"]
