"""The private calendar feed a phone subscribes to: catch-ups due (at a time inside both
working days where known), follow-ups, replies owed, contacts' visits and birthdays, each with
a reminder. Its address holds a random secret (kept in preferences, shown by `feed url`, never
by `config`); `feed rotate` replaces it, and the old address then answers 404.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from mentormap.domain.overlap import Hours, parse_hours
from mentormap.interop.feed import FeedItem, write_feed
from mentormap.models import FollowUp, Person, Preference
from mentormap.services.clock.standing import due_by
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference

SECRET_KEY = "feed_secret"
HORIZON_DAYS = 60
CATCH_UP_MINUTES = 30


def feed_secret(ctx: Ctx) -> str:
    """The feed's secret, made on first use."""
    found = get_preference(ctx, SECRET_KEY)
    return found if found else rotate_secret(ctx)


def rotate_secret(ctx: Ctx) -> str:
    value = secrets.token_urlsafe(24)
    row = ctx.session.scalar(
        select(Preference).where(Preference.owner_id == ctx.owner_id, Preference.key == SECRET_KEY)
    )
    if row is None:
        ctx.session.add(Preference(owner_id=ctx.owner_id, key=SECRET_KEY, value=value))
    else:
        row.value = value
    ctx.session.flush()
    return value


def feed_owner(ctx: Ctx, given: str) -> int | None:
    """Whose feed `given` is the secret of, among every owner: a calendar app subscribing to the
    feed signs in to nothing, so on a shared server its address alone says whose it is."""
    found = ctx.session.execute(
        select(Preference.owner_id, Preference.value).where(
            Preference.key == SECRET_KEY, Preference.value == given
        )
    ).first()
    if found is None or not hmac.compare_digest(found.value.encode(), given.encode()):
        return None
    return int(found.owner_id)


def slot(
    day: date,
    mine: tzinfo,
    my_hours: str | None,
    theirs: tzinfo | None,
    their_hours: str | None,
) -> datetime:
    """The first half hour of `day` inside both working days (hers where known); else the
    start of her own."""
    return _slot(day, mine, _hours(my_hours), theirs, _hours(their_hours))


@lru_cache(maxsize=256)
def _hours(text: str | None) -> Hours:
    return parse_hours(text)


def _slot(day: date, mine: tzinfo, own: Hours, theirs: tzinfo | None, other: Hours) -> datetime:
    start = datetime.combine(day, own.start, mine)
    end = datetime.combine(day, own.end if own.end != time.max else time(23, 59), mine)
    if theirs is not None:
        their_start = datetime.combine(day, other.start, theirs)
        their_end = datetime.combine(
            day, other.end if other.end != time.max else time(23, 59), theirs
        )
        first, last = max(start, their_start), min(end, their_end)
        if last - first >= timedelta(minutes=CATCH_UP_MINUTES):
            return first.astimezone(mine)
    return start


@lru_cache(maxsize=1024)
def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def feed_items(ctx: Ctx) -> list[FeedItem]:
    today = ctx.today()
    horizon = today + timedelta(days=HORIZON_DAYS)
    mine = ctx.settings.timezone
    my_hours = get_preference(ctx, "work_hours")
    items: list[FeedItem] = []
    # Catch-ups, from the one standing: overdue ones today, snoozed ones when the snooze ends;
    # someone booked is not due.
    due = due_by(ctx, horizon)
    wanted = {s.person_id for s in due}
    people: dict[int, tuple[str, str | None, str | None]] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 900):
        for pid, name, zone, hours in ctx.session.execute(
            select(Person.id, Person.name, Person.timezone, Person.work_hours).where(
                Person.id.in_(ids[start : start + 900]), Person.archived.is_(False)
            )
        ):
            people[pid] = (name, zone, hours)
    for standing in due:
        assert standing.due_on is not None
        day = max(standing.due_on, today)
        if standing.snoozed_until and standing.snoozed_until > day:
            day = standing.snoozed_until
        if day > horizon or standing.person_id not in people:
            continue
        name, zone, hours = people[standing.person_id]
        at = slot(day, mine, my_hours, _zone(zone), hours)
        items.append(
            FeedItem(
                f"catch-up-{standing.person_id}@mentormap",
                f"Catch up with {name}",
                day,
                start=at,
                minutes=CATCH_UP_MINUTES,
                description=standing.reason,
            )
        )
    for fid, title, due_on, owed_by, name in ctx.session.execute(
        select(FollowUp.id, FollowUp.title, FollowUp.due_on, FollowUp.owed_by, Person.name)
        .outerjoin(Person, Person.id == FollowUp.person_id)
        .where(
            FollowUp.owner_id == ctx.owner_id,
            FollowUp.state == "open",
            FollowUp.due_on.is_not(None),
            FollowUp.due_on <= horizon,
        )
    ):
        who = f" ({name})" if name else ""
        prefix = "Follow up" if owed_by == "me" else "Expect"
        items.append(
            FeedItem(
                f"follow-up-{fid}@mentormap", f"{prefix}: {title}{who}", max(due_on or today, today)
            )
        )
    from mentormap.services.clock.owed_replies import owed_replies

    owed, _total = owed_replies(ctx)
    for reply in owed:
        if reply.due_on <= horizon:
            items.append(
                FeedItem(
                    f"reply-{reply.interaction_id}@mentormap",
                    f"Reply to {reply.name}",
                    max(reply.due_on, today),
                    description=reply.question or reply.excerpt,
                )
            )
    from mentormap.services.travel.trips import upcoming_visits

    for visit in upcoming_visits(ctx, HORIZON_DAYS):
        items.append(
            FeedItem(
                f"visit-{visit.id}@mentormap",
                f"{visit.visitor} in {visit.city}: meet up?",
                max(visit.start_on, today),
                description=visit.note,
            )
        )
    for pid, name, birthday in ctx.session.execute(
        select(Person.id, Person.name, Person.birthday).where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            Person.birthday.is_not(None),
        )
    ):
        first = _birthday(birthday or "", today)
        if first is not None:
            items.append(
                FeedItem(f"birthday-{pid}@mentormap", f"{name}'s birthday", first, yearly=True)
            )
    items.sort(key=lambda item: (item.on, item.summary))
    return items


def _birthday(text: str, today: date) -> date | None:
    """The birthday's next date from `today` (a 29 February on the 28th in other years)."""
    try:
        month, day = int(text[-5:-3]), int(text[-2:])
        found = date(today.year, month, min(day, 28) if month == 2 and day == 29 else day)
    except ValueError:
        return None
    return found if found >= today else found.replace(year=today.year + 1)


def feed_text(ctx: Ctx) -> str:
    return write_feed(feed_items(ctx), ctx.now())
