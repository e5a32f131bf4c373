"""iCalendar in (events that happened) and out (planned catch-ups and follow-ups).

Reading: every VEVENT becomes an EventRecord. A recurring series is expanded into its
occurrences inside a window (a weekly 1:1 over ten years would otherwise flood the history);
a single event is read whatever its date. Cancelled events and events the user declined come out
marked `skipped` so that the import plan can say why. Each record's `uid` is the event UID, plus
`/<original date>` for an occurrence of a series: importing the same calendar twice creates
nothing twice.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from mentormap.interop.records import (
    EMAIL,
    EventRecord,
    OnError,
    OnWarning,
    ParseError,
    plain_lines,
    report,
    warn,
)


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
    on_warning: OnWarning = None,
) -> Iterator[EventRecord]:
    """Events from an iCalendar file; `window` (first day, last day) bounds recurring series.

    `me` are the user's own addresses: her ATTENDEE line says whether she declined. A series
    yields at most MAX_OCCURRENCES dates in the window; a longer one is cut with a warning.
    """
    import icalendar

    if "BEGIN:VCALENDAR" not in text.upper():
        raise ParseError("line 1", "this is not an iCalendar file (no BEGIN:VCALENDAR found).")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ParseError("calendar", f"cannot be read ({str(exc)[:120]}).") from None
    except OSError:  # a TZID naming a folder of the zone database ("Europe") opens no file
        raise ParseError("calendar", "names a time zone that does not exist.") from None
    mine = {address.lower() for address in me}
    number = 0
    budget = _Budget(FILE_WORK)
    for calendar in calendars:
        name = _email(calendar.get("X-WR-CALNAME"))
        own = mine | ({name} if name else set())
        has_series = False
        for group in _by_uid(calendar).values():
            if _is_series(group):
                has_series = True
                continue
            for event in group:
                number += 1
                try:
                    yield _record(event, f"event {number}", zone, own, series=False)
                except ParseError as error:
                    report(error, on_error)
        if not has_series:
            continue
        gregorian = str(calendar.get("CALSCALE", "GREGORIAN")).upper() == "GREGORIAN"
        for group in filter(_is_series, _by_uid(_standard(calendar)).values()):
            problem = next(filter(None, map(_bad_rule, group)), None)
            if problem is None and not gregorian:
                problem = "a repeat rule in a calendar that is not Gregorian cannot be read."
            if problem is not None:
                number += 1
                report(ParseError(f"event {number}", problem), on_error)
                continue
            try:
                occurrences = _expand(group, window, budget)
            except _TooCostly:
                number += 1
                why = (
                    "its repeat rule takes too long to expand"
                    if budget.left > 0
                    else "the file's repeat rules have used all the time allowed"
                )
                warn(
                    f"event {number}",
                    f"left out the repeating event {_title(group)}: {why}.",
                    on_warning,
                )
                continue
            except Exception as exc:  # the library raises many types on malformed rules
                number += 1
                report(
                    ParseError(f"event {number}", f"a repeat rule cannot be read ({exc})."),
                    on_error,
                )
                continue
            for event in occurrences[:MAX_OCCURRENCES]:
                number += 1
                try:
                    yield _record(event, f"event {number}", zone, own, series=True)
                except ParseError as error:
                    report(error, on_error)
            if len(occurrences) > MAX_OCCURRENCES:
                warn(
                    f"event {number}",
                    f"the repeating event {_title(group)} happens more than {MAX_OCCURRENCES:,} "
                    f"times between {window[0]} and {window[1]}; only the first "
                    f"{MAX_OCCURRENCES:,} are read.",
                    on_warning,
                )


# A catch-up that repeats more often than this within the window is not one.
MAX_OCCURRENCES = 1000
# Work, in Python calls, that expanding one series, and all series of a file, may take. A daily
# series costs about 4 calls a day; dateutil can loop for centuries on a rule no date matches
# (FEB 30) without yielding anything, so only counting its calls bounds it.
SERIES_WORK = 200_000
FILE_WORK = 3_000_000


class _TooCostly(BaseException):  # a BaseException: the libraries below catch Exception
    """Raised inside the library's loop when a series has used up its work budget."""


class _Budget:
    def __init__(self, calls: int) -> None:
        self.left = calls

    def run(self, work: Any, calls: int) -> Any:
        """`work()`, stopped with _TooCostly after `calls` Python calls, or when the file ran out.

        A trace function is the one place that sees every step of dateutil's loop, which yields
        nothing while no date matches; the previous tracer (a debugger, coverage) comes back after.
        """
        allowed = min(calls, self.left)
        used = 0
        if allowed <= 0:
            raise _TooCostly

        def count(_frame: Any, _event: str, _arg: Any) -> None:
            nonlocal used
            used += 1
            if used > allowed:
                raise _TooCostly

        previous = sys.gettrace()
        sys.settrace(count)
        try:
            return work()
        finally:
            sys.settrace(previous)
            self.left -= used


def _by_uid(calendar: Any) -> dict[str, list[Any]]:
    """The calendar's events by UID, in file order; an event without one stands alone."""
    found: dict[str, list[Any]] = {}
    for event in calendar.walk("VEVENT"):
        uid = event.get("UID")
        found.setdefault(str(uid) if uid is not None else f"\0{id(event)}", []).append(event)
    return found


def _is_series(group: list[Any]) -> bool:
    return any(event.get("RRULE") is not None or event.get("RDATE") for event in group)


def _standard(calendar: Any) -> Any:
    """Google writes a series in UTC and means the wall clock of X-WR-TIMEZONE: say so."""
    import x_wr_timezone

    try:
        return x_wr_timezone.to_standard(calendar)
    except Exception:  # a broken zone name: the times as written are the best we have
        return calendar


def _title(group: list[Any]) -> str:
    summary = str(group[0].get("SUMMARY") or "").strip()
    return repr(summary[:60]) if summary else "without a title"


def _expand(group: list[Any], window: tuple[date, date], budget: _Budget) -> list[Any]:
    """The occurrences of one series (its events share a UID) that touch the window, in the
    library's order, at most MAX_OCCURRENCES + 1 of them (one more says it was cut)."""
    from dateutil.rrule import rrule
    from recurring_ical_events.adapters.event import EventAdapter
    from recurring_ical_events.series import Series
    from recurring_ical_events.util import convert_to_datetime

    series = Series([EventAdapter(event) for event in group])
    recurrence = series.recurrence
    zone = getattr(recurrence, "tzinfo", None)
    first = convert_to_datetime(window[0], zone)
    end = convert_to_datetime(window[1] + timedelta(days=1), zone)
    rules = getattr(recurrence, "rrules", [])
    early = first - _span(series, "_subtract_from_start")
    for n, rule in reversed(list(enumerate(rules))):
        if not isinstance(rule, rrule):
            continue
        if (rule._until is not None and rule._until < early) or rule._dtstart > end:
            del rules[n]  # no date of it can touch the window, and scanning it costs
        else:
            rules[n] = _bounded(rule, early, end, budget)
    found = []
    # Every rule now ends where its scan ended, so this takes about as long as the scans did.
    for occurrence in series.between(first, end):
        found.append(occurrence.as_component(False))
        if len(found) > MAX_OCCURRENCES:
            break
    return found


def _span(series: Any, name: str) -> timedelta:
    value = getattr(series, name, timedelta(0))
    return value if isinstance(value, timedelta) else timedelta(0)


def _bounded(rule: Any, first: datetime, end: datetime, budget: _Budget) -> Any:
    """The rule from about `first` on, ending at `end` or at its MAX_OCCURRENCES-th date there.

    Without COUNT a rule's dates are the same from any start a whole number of periods later,
    so the start moves up to the window: a daily event from 1990 costs one year, not 36. Then
    UNTIL stops it after the window, or after the dates we keep, so that a rule firing every
    minute never builds its millions of dates.
    """
    moved = _near(rule, first) if rule._count is None else rule

    def scan() -> tuple[int, datetime]:
        seen = kept = 0
        for start in moved:
            if start > end:
                break
            seen += 1
            if start >= first:
                kept += 1
                if kept > MAX_OCCURRENCES:  # one more than we keep: the caller says it was cut
                    return seen, start
        return seen, end

    seen, stop = budget.run(scan, SERIES_WORK)
    if rule._count is not None:  # dateutil refuses UNTIL beside COUNT: a smaller COUNT then
        bounded = moved.replace(count=max(seen, 1))
    else:
        if rule._until is not None and rule._until < stop:
            stop = rule._until
        bounded = moved.replace(until=stop)
    bounded.until = getattr(rule, "until", None)  # recurring_ical_events reads these two
    bounded.string = getattr(rule, "string", "")
    return bounded


def _near(rule: Any, first: datetime) -> Any:
    """The same rule started a whole number of periods later, still before `first`."""
    from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY

    start: datetime = rule._dtstart
    interval = max(int(rule._interval), 1)
    try:
        if rule._freq in (DAILY, WEEKLY):
            period = timedelta(days=interval * (7 if rule._freq == WEEKLY else 1))
            # Two hours short of `first`, so that a change of clock on the way cannot overshoot.
            steps = (first - start - timedelta(hours=2)) // period
            moved = start + steps * period if steps > 0 else start
        elif rule._freq == MONTHLY and start.day <= 28:
            months = (first.year - start.year) * 12 + first.month - start.month
            steps = months // interval - 1
            total = start.month - 1 + max(steps, 0) * interval
            moved = start.replace(year=start.year + total // 12, month=total % 12 + 1)
        elif rule._freq == YEARLY and (start.month, start.day) != (2, 29):
            steps = (first.year - start.year) // interval - 1
            moved = start.replace(year=start.year + max(steps, 0) * interval)
        else:
            return rule
    except (ValueError, OverflowError, TypeError):
        return rule
    return rule if moved == start else rule.replace(dtstart=moved)


def _bad_rule(event: Any) -> str | None:
    """Why a repeat rule is refused outright, or None. A zero interval makes the expansion loop
    forever, and a rule repeating by the hour or more often is not a catch-up."""
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
    try:
        times = 1
        for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            times *= max(len(rule.get(name, [])), 1)
    except TypeError:
        return "a repeat rule cannot be read."
    # dateutil builds every time of day for every day of a period, in C, before it yields one:
    # a year by the second is 31 million dates even when the rule stops at COUNT=1.
    if times * _PERIOD_DAYS.get(freq[0], 366) > 2_000_000:
        return f"repeats {times:,} times a day, too often to be a catch-up."
    return None


_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


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
        # icalendar escapes CR and LF; plain_lines turns the other line breaks into LF first.
        event.add("summary", plain_lines(item.summary))
        if item.description:
            event.add("description", plain_lines(item.description))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
