"""`today`: one screen of what to do — replies owed, follow-ups due, people due, visitors.

Short by default (what fits a morning); `everything=True` adds the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from mentormap.services.clock.followups import FollowUpView, count_open, open_follow_ups
from mentormap.services.clock.keep_in_touch import (
    DueEntry,
    Visit,
    agenda_due,
    fill_roles,
    visiting_soon,
)
from mentormap.services.clock.owed_replies import OwedReply, owed_replies
from mentormap.services.context import Ctx
from mentormap.services.people.lives import (
    BirthdayView,
    LifeEventView,
    birthdays_this_week,
    recent_news,
)
from mentormap.services.practice.opportunities import OpportunityView, deadlines
from mentormap.services.travel.trips import Away, away_today

SHORT_DUE_LIMIT = 8  # people and groups due, dormant ties aside
SHORT_OWED_LIMIT = 10
SHORT_FOLLOW_UP_LIMIT = 12
RECONNECT_LIMIT = 3
FOLLOW_UP_HORIZON_DAYS = 7  # follow-ups due within a week make the short screen


@dataclass
class Hidden:
    """What the short screen left out, so the user knows `--all` has more."""

    due: int = 0
    dormant: int = 0
    follow_ups: int = 0
    owed_replies: int = 0


@dataclass
class Today:
    today: date
    owed_replies: list[OwedReply]
    follow_ups: list[FollowUpView]
    due: list[DueEntry]
    reconnect: list[DueEntry]
    visiting: list[Visit]
    hidden: Hidden = field(default_factory=Hidden)
    # Their lives (services/people/lives.py): birthdays in the next 7 days, news of the last 14.
    birthdays: list[BirthdayView] = field(default_factory=list)
    news: list[LifeEventView] = field(default_factory=list)
    # Open opportunities whose deadline is within two weeks (domain/practice.py).
    deadlines: list[OpportunityView] = field(default_factory=list)
    away: Away | None = None  # your own trip today: who to see there comes first


def compute_today(ctx: Ctx, everything: bool = False, limit: int = SHORT_DUE_LIMIT) -> Today:
    """The daily agenda. Every part is a single aggregate query (see keep_in_touch)."""
    today = ctx.today()
    hidden = Hidden()

    listed = agenda_due(ctx, None if everything else limit, RECONNECT_LIMIT)
    due, reconnect = listed.shown, listed.reconnect
    if not everything:
        hidden.due = listed.more
        hidden.dormant = listed.more_dormant
    fill_roles(ctx, due + reconnect)  # one lookup for both lists

    if everything:
        owed, _ = owed_replies(ctx, lookback_days=None)
        follow_ups = open_follow_ups(ctx, include_snoozed=True)
    else:
        owed, owed_total = owed_replies(ctx, limit=SHORT_OWED_LIMIT)
        hidden.owed_replies = owed_total - len(owed)
        horizon = today + timedelta(days=FOLLOW_UP_HORIZON_DAYS)
        follow_ups = open_follow_ups(ctx, due_by=horizon, limit=SHORT_FOLLOW_UP_LIMIT)
        hidden.follow_ups = count_open(ctx) - len(follow_ups)

    return Today(
        today=today,
        owed_replies=owed,
        follow_ups=follow_ups,
        due=due,
        reconnect=reconnect,
        visiting=visiting_soon(ctx),
        hidden=hidden,
        birthdays=birthdays_this_week(ctx),
        news=recent_news(ctx),
        deadlines=deadlines(ctx),
        away=away_today(ctx),
    )
