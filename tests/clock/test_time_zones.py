"""Days are the user's local calendar days: time zones and daylight-saving changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mentormap.db import Database
from mentormap.domain.cadence import Warmth
from mentormap.errors import InvalidInput
from mentormap.services.clock.keep_in_touch import due_people
from mentormap.services.clock.owed_replies import OwedReply, owed_replies
from mentormap.services.clock.standing import standing_of
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person
from mentormap.services.people.roles import give_role
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings

MakeCtx = Callable[[str, date], Ctx]


@pytest.fixture
def zoned(tmp_path: Path) -> Iterator[MakeCtx]:
    """A service context on a fresh database for a given zone and 'today'."""
    with ExitStack() as stack:

        def make(zone: str, today: date) -> Ctx:
            settings = Settings(
                database_url=f"sqlite:///{tmp_path / (zone.replace('/', '_') + '.db')}",
                timezone=ZoneInfo(zone),
                today_override=today,
            )
            db = Database.open(settings)
            stack.callback(db.close)
            return stack.enter_context(open_ctx(db))

        yield make


def owed(ctx: Ctx, lookback_days: int | None = 90) -> list[OwedReply]:
    return owed_replies(ctx, lookback_days=lookback_days)[0]


def test_an_instant_lands_on_the_users_local_day(zoned: MakeCtx) -> None:
    # 05:00 UTC on the 25th is still the evening of the 24th in Los Angeles.
    ctx = zoned("America/Los_Angeles", date(2026, 11, 25))
    friend = add_person(ctx, "Sam Patel")
    give_role(ctx, friend, "friend", since=date(2026, 1, 1))
    item = log_interaction(ctx, [friend], kind="call", occurred_at=datetime(2026, 11, 25, 5, 0))
    assert item.occurred_on == date(2026, 11, 24)
    assert standing_of(ctx, friend).due_on == date(2026, 12, 8)


def test_an_instant_already_tomorrow_locally_is_refused(zoned: MakeCtx) -> None:
    # 12:00 UTC on the 25th is 01:00 on the 26th in Auckland: in the user's future.
    ctx = zoned("Pacific/Auckland", date(2026, 11, 25))
    friend = add_person(ctx, "Olivia Brandt")
    with pytest.raises(InvalidInput, match="in the future"):
        log_interaction(ctx, [friend], occurred_at=datetime(2026, 11, 25, 12, 0))
    # Eleven hours earlier it is still the 25th there.
    item = log_interaction(ctx, [friend], occurred_at=datetime(2026, 11, 25, 0, 30))
    assert item.occurred_on == date(2026, 11, 25)


def test_cadence_counts_calendar_days_across_a_clock_change(zoned: MakeCtx) -> None:
    # London springs forward on 2026-03-29: that day has 23 hours, but is still one day.
    ctx = zoned("Europe/London", date(2026, 4, 11))
    friend = add_person(ctx, "Jo Nakamura")
    give_role(ctx, friend, "friend", since=date(2026, 1, 1))
    # 23:30 UTC on the 28th is 23:30 GMT (still the 28th); an hour later, after the change,
    # 00:30 UTC on the 29th is 01:30 BST on the 29th.
    item = log_interaction(ctx, [friend], kind="call", occurred_at=datetime(2026, 3, 28, 23, 30))
    assert item.occurred_on == date(2026, 3, 28)
    entry = next(e for e in due_people(ctx) if e.name == "Jo Nakamura")
    assert entry.due_on == date(2026, 4, 11)  # exactly 14 days, not 13 days and 23 hours
    assert entry.warmth == Warmth.WARM
    ctx.settings = ctx.settings.with_(today_override=date(2026, 4, 12))
    assert next(e for e in due_people(ctx) if e.name == "Jo Nakamura").warmth == Warmth.COOLING


def test_late_evening_after_autumn_change_is_that_day(zoned: MakeCtx) -> None:
    # Sydney leaves daylight time on 2026-04-05 (03:00 AEDT -> 02:00 AEST).
    ctx = zoned("Australia/Sydney", date(2026, 4, 10))
    mentee = add_person(ctx, "Aisha Khan")
    give_role(ctx, mentee, "mentee", since=date(2026, 1, 1))
    # 13:30 UTC on 4 April is 00:30 AEDT on the 5th; 14:30 UTC on the 5th is 00:30 AEST on the 6th.
    first = log_interaction(
        ctx,
        [mentee],
        direction="inbound",
        needs_reply=True,
        occurred_at=datetime(2026, 4, 4, 13, 30),
    )
    second = log_interaction(ctx, [mentee], occurred_at=datetime(2026, 4, 5, 14, 30), kind="ping")
    assert (first.occurred_on, second.occurred_on) == (date(2026, 4, 5), date(2026, 4, 6))
    assert owed(ctx) == []  # the ping came later: the message is answered


def test_today_follows_the_zone_not_utc(zoned: MakeCtx) -> None:
    ctx = zoned("Pacific/Kiritimati", date(2026, 11, 26))  # UTC+14
    friend = add_person(ctx, "Leo Martins")
    give_role(ctx, friend, "friend", since=date(2026, 1, 1))
    # 11:00 UTC on the 25th is already 01:00 on the 26th in Kiritimati: today, not yesterday.
    item = log_interaction(ctx, [friend], occurred_at=datetime(2026, 11, 25, 11, 0))
    assert item.occurred_on == date(2026, 11, 26)
    assert standing_of(ctx, friend).due_on == date(2026, 11, 26) + timedelta(days=14)
