"""iCalendar in (events that happened) and out (planned catch-ups and follow-ups).

Reading: every VEVENT becomes an EventRecord. A recurring series is expanded into its
occurrences inside a window (a weekly 1:1 over ten years would otherwise flood the history);
a single event is read whatever its date. Cancelled events and events the user declined come out
marked `skipped` so that the import plan can say why. Each record's `uid` is the event UID, plus
`/<original date>` for an occurrence of a series: importing the same calendar twice creates
nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from mentormap.interop.records import EMAIL, EventRecord, OnError, ParseError, report


def _email(value: Any) -> str | None:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip().lower()
    return text if EMAIL.match(text) else None


def _utc(value: Any, zone: tzinfo) -> tuple[datetime, bool]:
    """(naive UTC instant, all-day?) of a DTSTART value; floating times are the user's zone."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.astimezone(UTC).replace(tzinfo=None), False
    if isinstance(value, date):
        # An all-day event counts as midday local time: the same calendar day in any zone.
        local = datetime.combine(value, time(12, 0), tzinfo=zone)
        return local.astimezone(UTC).replace(tzinfo=None), True
    raise ValueError(value)


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _when(event: Any, name: str, where: str) -> Any:
    """A date or datetime property's value; a malformed one is the record's error."""
    prop = event.get(name)
    if prop is None:
        return None
    try:
        return prop.dt
    except Exception:  # icalendar raises its own types for broken values
        raise ParseError(where, f"{name} cannot be read.") from None


def _attendees(event: Any) -> list[tuple[str | None, str | None, str]]:
    """(email, name, participation status) for each ATTENDEE."""
    raw = event.get("ATTENDEE")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    found = []
    for item in items:
        params = getattr(item, "params", {})
        name = str(params.get("CN", "")).strip().strip('"') or None
        status = str(params.get("PARTSTAT", "")).upper()
        found.append((_email(item), name, status))
    return found


def _record(event: Any, where: str, zone: tzinfo, me: set[str], series: bool) -> EventRecord:
    uid = str(event.get("UID") or "").strip()
    start = _when(event, "DTSTART", where)
    if start is None:
        raise ParseError(where, "the event has no start (DTSTART).")
    try:
        instant, all_day = _utc(start, zone)
    except (ValueError, TypeError, OverflowError):
        raise ParseError(where, "the event start cannot be read.") from None
    if not uid:
        # Without a UID we key on what the event is, so a re-import still matches it.
        uid = f"no-uid:{instant.isoformat()}:{str(event.get('SUMMARY') or '')[:100]}"
    if series:
        original = _when(event, "RECURRENCE-ID", where) or start
        uid = f"{uid}/{_day(original).isoformat()}"
    record = EventRecord(
        uid=uid[:500],
        start=instant,
        summary=str(event.get("SUMMARY") or "").strip(),
        where=where,
        location=(str(event.get("LOCATION") or "").strip() or None),
        description=(str(event.get("DESCRIPTION") or "").strip() or None),
        all_day=all_day,
    )
    declined = False
    for email, name, status in _attendees(event):
        if email and email in me:
            declined = declined or status == "DECLINED"
            continue
        if status == "DECLINED":
            continue  # she did not come: not a participant
        if email:
            record.attendee_emails.append(email)
        if name:
            record.attendee_names.append(name)
    if str(event.get("STATUS") or "").upper() == "CANCELLED":
        record.skipped = "cancelled"
    elif declined:
        record.skipped = "declined"
    return record


def parse_ics(
    text: str,
    *,
    zone: tzinfo,
    window: tuple[date, date],
    me: Iterable[str] = (),
    on_error: OnError = None,
) -> Iterator[EventRecord]:
    """Events from an iCalendar file; `window` (first day, last day) bounds recurring series.

    `me` are the user's own addresses: her ATTENDEE line says whether she declined.
    """
    import icalendar
    import recurring_ical_events

    if "BEGIN:VCALENDAR" not in text.upper():
        raise ParseError("line 1", "this is not an iCalendar file (no BEGIN:VCALENDAR found).")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ParseError("calendar", f"cannot be read ({str(exc)[:120]}).") from None
    mine = {address.lower() for address in me}
    number = 0
    for calendar in calendars:
        name = _email(calendar.get("X-WR-CALNAME"))
        own = mine | ({name} if name else set())
        events = list(calendar.walk("VEVENT"))
        series_uids = {
            str(e.get("UID")) for e in events if e.get("RRULE") is not None or e.get("RDATE")
        }
        for event in events:
            if str(event.get("UID")) in series_uids:
                continue
            number += 1
            try:
                yield _record(event, f"event {number}", zone, own, series=False)
            except ParseError as error:
                report(error, on_error)
        for event in events:
            problem = _bad_rule(event)
            if problem is not None:
                number += 1
                report(ParseError(f"event {number}", problem), on_error)
                calendar.subcomponents.remove(event)
                series_uids.discard(str(event.get("UID")))
        if not series_uids:
            continue
        try:
            occurrences = recurring_ical_events.of(calendar).between(
                window[0], window[1] + timedelta(days=1)
            )
        except Exception as exc:  # the library raises many types on malformed rules
            number += 1
            report(
                ParseError(f"event {number}", f"a repeat rule cannot be read ({exc})."), on_error
            )
            continue
        for event in occurrences:
            if str(event.get("UID")) not in series_uids:
                continue
            number += 1
            try:
                yield _record(event, f"event {number}", zone, own, series=True)
            except ParseError as error:
                report(error, on_error)


def _bad_rule(event: Any) -> str | None:
    """Why a repeat rule cannot be expanded safely, or None. Checked before expanding because a
    zero interval makes the expansion loop forever and a per-second rule produce millions."""
    rule = event.get("RRULE")
    if rule is None:
        return None
    try:
        freq = [str(value).upper() for value in rule.get("FREQ", [])]
        raw_interval = rule.get("INTERVAL", [1])
    except Exception:  # icalendar raises its own error types for a broken property
        return "a repeat rule cannot be read."
    if not freq:
        return "a repeat rule has no frequency (FREQ)."
    if freq[0] in ("SECONDLY", "MINUTELY", "HOURLY"):
        return f"repeats {freq[0].lower()}, too often to be a catch-up."
    try:
        interval = int(raw_interval[0])
    except (TypeError, ValueError, IndexError):
        return "a repeat rule has an unreadable INTERVAL."
    if interval <= 0:
        return "a repeat rule has an INTERVAL below 1."
    return None


# --- writing -----------------------------------------------------------------------------------


@dataclass
class PlannedItem:
    """Something to put in the user's calendar: a catch-up that is due, or a follow-up."""

    uid: str
    on: date
    summary: str
    description: str | None = None


def write_ics(items: Iterable[PlannedItem], stamp: datetime) -> str:
    """An iCalendar file of all-day events, one per planned item."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mentormap//planned catch-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "mentormap")
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.replace(tzinfo=UTC))
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
