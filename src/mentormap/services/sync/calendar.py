"""Calendars in (CalDAV, or an .ics address): meetings become interactions, planned ones
bookings, all-day visits trips.

Each run reads the whole calendar within a window (a year back, half a year ahead) with the
import's reader (`interop/ics.py`) and finds who was there as the import does
(`services/interop/calendar_import.py`: attendee email, a full name in the title, "with Priya").
Per event (a repeat: per date), kept by its UID in `sync_events`:

- **past**, with people from the network: an interaction dated by the event, unless one of the
  same kind of conversation with the same person on the same day was logged by hand (then the
  event is linked to that one: one interaction, not two). A rescheduled event moves the
  interaction it made; one cancelled, declined or gone takes it away again;
- **ahead**: a *booking* with each person (`bookings`): until that day she is booked, not due
  (`services/clock/standing.py`);
- **all day** ("Kate in London"): a visit, not a meetup: a trip of hers to the city named in the
  location or after "in" in the title, when the city is known; nothing otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import delete, insert, select

from mentormap.domain.vocab import CONVERSATION_KINDS
from mentormap.errors import UserError
from mentormap.interop.records import EventRecord, ParseError
from mentormap.models import (
    Booking,
    Interaction,
    InteractionParticipant,
    Person,
    SyncCard,
    SyncEvent,
    SyncSource,
    Trip,
)
from mentormap.services.context import Ctx
from mentormap.services.sync.dav import Dav, SyncTokenRefused, path_of
from mentormap.services.sync.report import SyncReport

PAST_DAYS = 365
AHEAD_DAYS = 183
SOURCE = "sync"  # interactions.source of the ones a calendar made
_IN_CITY = re.compile(r"\bin\s+([A-Z][\w .'-]+)$")


def _texts(ctx: Ctx, source: SyncSource, dav: Dav) -> list[tuple[str, bool]]:
    """Each calendar text and whether it is new or changed since the last run.

    A CalDAV calendar is read incrementally, as an address book is: the server's sync token
    when it has one, else its ETags; only the objects new or changed are fetched, and the
    others are read from their copy kept in `sync_cards` (person_id NULL), so an event that
    was ahead last time and is past now still becomes an interaction."""
    if source.kind == "ics":
        return [(dav.get(source.url).decode("utf-8", "replace"), True)]
    if not source.collection_url:
        source.collection_url = dav.discover("caldav")
    collection = source.collection_url
    kept = {
        c.href: c
        for c in ctx.session.scalars(select(SyncCard).where(SyncCard.source_id == source.id))
    }
    try:
        found = dav.changes_since(collection, source.sync_token)
        changed, deleted, token = found.changed, found.deleted, found.token
    except SyncTokenRefused:
        listed = dav.etags(collection)
        changed = {h: e for h, e in listed.items() if h not in kept or kept[h].etag != e}
        deleted, token = [h for h in kept if h not in listed], None
    wanted = [h for h, e in changed.items() if h not in kept or e is None or kept[h].etag != e]
    fetched = dav.fetch(collection, "caldav", sorted(wanted)) if wanted else {}
    for href in deleted:
        gone = kept.pop(path_of(href), None)
        if gone is not None:
            ctx.session.delete(gone)
    for href, (etag, text) in fetched.items():
        row = kept.get(href)
        if row is None:
            row = SyncCard(
                owner_id=ctx.owner_id, source_id=source.id, href=href, uid=href[:500], synced="{}"
            )
            ctx.session.add(row)
            kept[href] = row
        row.etag, row.raw, row.changed_here = etag, text, False
    source.sync_token = token
    return [(row.raw, href in fetched) for href, row in sorted(kept.items())]


def _events(
    ctx: Ctx, texts: list[tuple[str, bool]], report: SyncReport
) -> list[tuple[EventRecord, bool]]:
    from mentormap.interop.ics import parse_ics
    from mentormap.services.interop.imports import _my_emails
    from mentormap.services.mail.capture import my_addresses

    today = ctx.today()
    window = (today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS))
    me = sorted(set(_my_emails(ctx)) | set(my_addresses(ctx)))
    events: list[tuple[EventRecord, bool]] = []
    for text, fresh in texts:
        problems: list[str] = []
        try:
            events.extend(
                (event, fresh)
                for event in parse_ics(
                    text,
                    zone=ctx.settings.timezone,
                    window=window,
                    me=me,
                    on_error=_noting(problems),
                )
            )
        except ParseError as error:
            problems.append(str(error))
        if fresh:  # said once, when the calendar object is read from the server
            report.skipped.extend(problems)
    return events


def _noting(problems: list[str]) -> Callable[[Exception], None]:
    return lambda error: problems.append(str(error))


def sync_calendar(ctx: Ctx, source: SyncSource, dav: Dav, report: SyncReport) -> SyncReport:
    from mentormap.services.conversations.interactions import refresh_last_contact
    from mentormap.services.interop.calendar_import import _Names, guess_kind

    events = _events(ctx, _texts(ctx, source, dav), report)
    names = _Names(ctx)
    zone = ctx.settings.timezone
    today = ctx.today()
    seen: dict[str, SyncEvent] = {
        e.uid: e
        for e in ctx.session.scalars(select(SyncEvent).where(SyncEvent.source_id == source.id))
    }
    booked = _bookings(ctx, source)
    touched: set[int] = set()
    present: set[str] = set()
    for event, fresh in events:
        if event.uid in present:
            continue
        present.add(event.uid)
        report.pulled += fresh
        row = seen.get(event.uid)
        day = event.start.replace(tzinfo=UTC).astimezone(zone).date()
        people = sorted(names.people(event)) if event.skipped is None else []
        if not people:
            if row is not None:
                touched |= _forget(ctx, row, report)
            continue
        if row is None:
            row = SyncEvent(
                owner_id=ctx.owner_id, source_id=source.id, uid=event.uid, starts_at=event.start
            )
            ctx.session.add(row)
            ctx.session.flush()
            seen[event.uid] = row
        if event.all_day:
            _visit(ctx, row, event, people, day, report)
            continue
        if day > today:
            touched |= _drop_interaction(ctx, row, report)
            if booked.get(row.id) == (day, event.summary or None, people):
                row.starts_at = event.start
                continue  # booked as before: left alone
            ctx.session.execute(delete(Booking).where(Booking.event_id == row.id))
            ctx.session.execute(
                insert(Booking),
                [
                    {"owner_id": ctx.owner_id, "person_id": pid, "event_id": row.id, "on": day,
                     "title": event.summary or None}
                    for pid in people
                ],
            )  # fmt: skip
            report.booked += 1
            row.starts_at = event.start
            continue
        if row.id in booked:  # was ahead, is past now (or moved back)
            ctx.session.execute(delete(Booking).where(Booking.event_id == row.id))
        if row.interaction_id is not None:
            if row.starts_at != event.start:
                _move(ctx, row.interaction_id, event, day)
                report.moved += 1
                touched.update(people)
        else:
            kind = guess_kind(event)
            same = _hand_logged(ctx, people, day) if kind in CONVERSATION_KINDS else None
            if same is None:
                same = _make_interaction(ctx, event, day, kind, people)
                report.interactions += 1
                touched.update(people)
            row.interaction_id = same
        row.starts_at = event.start
    # Events gone from the calendar (within the window read) take what they made with them.
    first = today - timedelta(days=PAST_DAYS)
    for uid, row in seen.items():
        if uid not in present and row.starts_at.date() >= first:
            touched |= _forget(ctx, row, report)
    ctx.session.flush()
    if touched:
        refresh_last_contact(ctx, sorted(touched))
    return report


def _bookings(ctx: Ctx, source: SyncSource) -> dict[int, tuple[date, str | None, list[int]]]:
    """The bookings each event of the source made: (day, title, people), in one query."""
    found: dict[int, tuple[date, str | None, list[int]]] = {}
    for event_id, on, title, pid in ctx.session.execute(
        select(Booking.event_id, Booking.on, Booking.title, Booking.person_id)
        .join(SyncEvent, SyncEvent.id == Booking.event_id)
        .where(SyncEvent.source_id == source.id)
        .order_by(Booking.event_id, Booking.person_id)
    ):
        found.setdefault(event_id, (on, title, []))[2].append(pid)
    return found


def _participants(ctx: Ctx, interaction_id: int) -> set[int]:
    return set(
        ctx.session.scalars(
            select(InteractionParticipant.person_id).where(
                InteractionParticipant.interaction_id == interaction_id
            )
        )
    )


def _drop_interaction(ctx: Ctx, row: SyncEvent, report: SyncReport) -> set[int]:
    """Take away the interaction the event made (not one logged by hand); who was in it."""
    if row.interaction_id is None:
        return set()
    interaction = ctx.session.get(Interaction, row.interaction_id)
    row.interaction_id = None
    if interaction is None or interaction.source != SOURCE:
        return set()
    people = _participants(ctx, interaction.id)
    ctx.session.delete(interaction)
    report.removed += 1
    return people


def _forget(ctx: Ctx, row: SyncEvent, report: SyncReport) -> set[int]:
    people = _drop_interaction(ctx, row, report)
    if row.trip_id is not None:
        trip = ctx.session.get(Trip, row.trip_id)
        if trip is not None:
            ctx.session.delete(trip)
    ctx.session.delete(row)  # its bookings go with it
    return people


def _move(ctx: Ctx, interaction_id: int, event: EventRecord, day: date) -> None:
    interaction = ctx.session.get(Interaction, interaction_id)
    if interaction is not None and interaction.source == SOURCE:
        interaction.occurred_at = event.start
        interaction.occurred_on = day


def _hand_logged(ctx: Ctx, people: list[int], day: date) -> int | None:
    """A conversation logged (not by a calendar) with one of `people` on `day`."""
    return ctx.session.scalar(
        select(Interaction.id)
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(
            Interaction.owner_id == ctx.owner_id,
            Interaction.occurred_on == day,
            Interaction.kind.in_([k.value for k in CONVERSATION_KINDS]),
            or_not_sync(),
            InteractionParticipant.person_id.in_(people),
        )
        .order_by(Interaction.id)
        .limit(1)
    )


def or_not_sync() -> Any:
    from sqlalchemy import or_

    return or_(Interaction.source.is_(None), Interaction.source != SOURCE)


def _make_interaction(ctx: Ctx, event: EventRecord, day: date, kind: str, people: list[int]) -> int:
    interaction = Interaction(
        owner_id=ctx.owner_id,
        occurred_at=event.start,
        occurred_on=day,
        kind=kind,
        direction="mutual",
        location=(event.location or "")[:200] or None,
        notes=event.summary or None,
        external_uid=event.uid[:500],
        source=SOURCE,
    )
    ctx.session.add(interaction)
    ctx.session.flush()
    ctx.session.execute(
        insert(InteractionParticipant),
        [
            {"owner_id": ctx.owner_id, "interaction_id": interaction.id, "person_id": p}
            for p in people
        ],
    )
    return interaction.id


def _visit(
    ctx: Ctx, row: SyncEvent, event: EventRecord, people: list[int], day: date, report: SyncReport
) -> None:
    """An all-day event with someone: her visit to a city, when one is named."""
    from mentormap.services.travel.trips import add_trip

    if row.trip_id is not None:
        trip = ctx.session.get(Trip, row.trip_id)
        if trip is not None:
            trip.start_on = trip.end_on = day
            return
    place = (event.location or "").strip()
    if not place:
        found = _IN_CITY.search((event.summary or "").strip())
        place = found.group(1).strip() if found else ""
    if not place:
        return
    person = ctx.session.get(Person, people[0])
    try:
        added = add_trip(ctx, place, day, day, person=person, note=event.summary or None)
    except UserError:
        report.skipped.append(f"{event.summary}: {place!r} is not a city mentormap knows")
        return
    row.trip_id = added.trip.id
    report.trips += 1
