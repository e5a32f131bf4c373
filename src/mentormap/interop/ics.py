"""iCalendar in (events that happened) and out (planned catch-ups and follow-ups).

Reading: every VEVENT becomes an EventRecord. A recurring series is expanded into its
occurrences inside a window (a weekly 1:1 over ten years would otherwise flood the history);
a single event is read whatever its date. Cancelled events and events the user declined come out
marked `skipped` so that the import plan can say why. Each record's `uid` is the event UID, plus
`/<original date>` for an occurrence of a series: importing the same calendar twice creates
nothing twice.
"""

from __future__ import annotations

import re
import sys
import warnings
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

# icalendar tells, as a Python warning, that it read "/mozilla.org/20070129_1/America/New_York"
# as America/New_York. That is the reading we want, and a warning printed mid-import is noise.
warnings.filterwarnings("ignore", message=r"Timezone .* is a globally unique TZID")


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
        where = f"{where} on {_day(original).isoformat()}"  # one date of the series
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

    Forgiving per field, strict per event: a property that cannot be read is left out with a
    warning naming the event and its line, an event without a start (DTSTART) is not one that
    happened on a day and is left out with a warning, and an event whose start or repeat rule
    cannot be read is a bad record (raised, or handed to `on_error`). A broken time zone or a
    stray line outside any event costs that part only. Bare components without a VCALENDAR
    around them (as Evolution and khal keep single events) are read as one calendar.
    """
    if not _CALENDAR_TEXT.search(text):
        raise ParseError(
            "line 1", "this is not an iCalendar file (no BEGIN:VCALENDAR or BEGIN:VEVENT found)."
        )
    calendars = _read_calendars(text, on_warning)
    places = _event_places(text, calendars)
    mine = {address.lower() for address in me}
    budget = _Budget(FILE_WORK)
    seen_event = False

    def where(event: Any) -> str:
        return places.get(id(event), "event")

    for calendar in calendars:
        name = _email(calendar.get("X-WR-CALNAME"))
        own = mine | ({name} if name else set())
        has_series = False
        for event in calendar.walk("VEVENT"):
            _tidy(event, where(event), on_warning)
        for group in _by_uid(calendar).values():
            seen_event = True
            if _is_series(group):
                has_series = True
                continue
            for event in group:
                if _no_start(event, where(event), on_warning):
                    continue
                _field_warnings(event, where(event), on_warning)
                try:
                    yield _record(event, where(event), zone, own, series=False)
                except ParseError as error:
                    report(error, on_error)
        if not has_series:
            continue
        gregorian = str(calendar.get("CALSCALE", "GREGORIAN")).upper() == "GREGORIAN"
        series_places = {
            uid: where(group[0]) for uid, group in _by_uid(calendar).items() if _is_series(group)
        }
        for uid, group in _by_uid(_standard(calendar)).items():
            if not _is_series(group):
                continue
            head = series_places.get(uid, "event")
            if any(_no_start(event, head, on_warning) for event in group[:1]):
                continue
            problem = next(filter(None, map(_bad_rule, group)), None)
            if problem is None and not gregorian:
                problem = "a repeat rule in a calendar that is not Gregorian cannot be read."
            if problem is not None:
                report(ParseError(head, problem), on_error)
                continue
            for event in group:
                _field_warnings(event, head, on_warning)
            try:
                occurrences = _expand(group, window, budget)
            except _TooCostly:
                why = (
                    "its repeat rule takes too long to expand"
                    if budget.left > 0
                    else "the file's repeat rules have used all the time allowed"
                )
                warn(head, f"left out the repeating event {_title(group)}: {why}.", on_warning)
                continue
            except Exception as exc:  # the library raises many types on malformed rules
                report(
                    ParseError(head, f"a repeat rule cannot be read ({str(exc)[:120]})."),
                    on_error,
                )
                continue
            for event in occurrences[:MAX_OCCURRENCES]:
                try:
                    yield _record(event, head, zone, own, series=True)
                except ParseError as error:
                    report(error, on_error)
            if len(occurrences) > MAX_OCCURRENCES:
                warn(
                    head,
                    f"the repeating event {_title(group)} happens more than {MAX_OCCURRENCES:,} "
                    f"times between {window[0]} and {window[1]}; only the first "
                    f"{MAX_OCCURRENCES:,} are read.",
                    on_warning,
                )
    if not seen_event:
        warn(
            "calendar",
            "holds no events (VEVENT); to-dos, journal entries and free/busy times are not read.",
            on_warning,
        )


_CALENDAR_TEXT = re.compile(
    r"^[ \t]*BEGIN:V(CALENDAR|EVENT|TODO|JOURNAL|FREEBUSY|TIMEZONE|ALARM|AVAILABILITY)[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_BEGIN_EVENT = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
# Properties an event is read by: a broken one is worth a warning; others are not read at all.
_READ = frozenset(
    {
        "SUMMARY",
        "LOCATION",
        "DESCRIPTION",
        "ATTENDEE",
        "STATUS",
        "UID",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
    }
)


def _read_calendars(text: str, on_warning: OnWarning) -> list[Any]:
    """The file's calendars, read by a parser that never gives up on the whole file.

    icalendar already keeps a broken property of an event as "broken" and goes on; here the
    same holds everywhere: a bad line or value in a time zone or the calendar itself is
    left out with a warning, a time zone that cannot be built is skipped (its times are read
    as written), and components still open when the file ends are closed there.
    """
    import icalendar

    parser = _tolerant_parser()(
        text, icalendar.Calendar._get_component_factory(), icalendar.Calendar.types_factory
    )
    try:
        components = parser.parse()
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ParseError("calendar", f"cannot be read ({str(exc)[:120]}).") from None
    except OSError:  # a TZID naming a folder of the zone database ("Europe") opens no file
        raise ParseError("calendar", "names a time zone that does not exist.") from None
    for problem in parser.problems[:_SHOWN_PROBLEMS]:
        warn("calendar", problem, on_warning)
    if len(parser.problems) > _SHOWN_PROBLEMS:
        more = len(parser.problems) - _SHOWN_PROBLEMS
        warn("calendar", f"{more:,} more lines outside any event were left out.", on_warning)
    calendars: list[Any] = []
    loose: Any = None
    for component in components:
        if component.name == "VCALENDAR":
            calendars.append(component)
            loose = None
            continue
        if loose is None:  # bare VEVENTs (and time zones) next to each other: one calendar
            loose = icalendar.Calendar()
            calendars.append(loose)
        loose.add_component(component)
    return calendars


_SHOWN_PROBLEMS = 20


def _tolerant_parser() -> Any:
    from icalendar.parser.ical.component import ComponentIcalParser
    from icalendar.prop import vBroken

    class Tolerant(ComponentIcalParser):
        problems: list[str]

        def parse(self) -> list[Any]:
            self.problems = []
            return super().parse()

        def _problem(self, text: str) -> None:
            component = self.component
            if component is not None and component.name == "VEVENT":
                component.errors.append((None, text))
            else:
                self.problems.append(text)

        def parse_content_lines(self) -> None:
            for line in self._content_lines_iterator:
                if not line:
                    continue
                try:
                    name, params, vals = line.parts()
                except ValueError:
                    self._problem(f"left out a line that cannot be read: {_cut(str(line))}.")
                    continue
                uname = name.upper()
                try:
                    if uname == "BEGIN":
                        self.handle_begin_component(vals)
                    elif uname == "END":
                        self._end(vals)
                    elif self.component is not None:
                        self.handle_property(uname, params, vals, line)
                    elif uname != "X-COMMENT":
                        self.problems.append(f"left out {uname}, which is outside any calendar.")
                except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                    self._problem(f"left out {uname}: {_cut(str(exc))}.")
            while self._stack:  # the file ends inside a component: close it there
                self.problems.append(f"the file ends inside {self._stack[-1].name}.")
                self._end(self._stack[-1].name or "")

        def _end(self, vals: str) -> None:
            if not self._stack:
                self.problems.append(f"left out END:{vals}, which ends nothing.")
                return
            try:
                self.handle_end_component(vals)
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError) as exc:
                # The component is in place; only caching its time zone failed.
                self.problems.append(f"the time zone cannot be built ({_cut(str(exc))}).")

        def handle_property_parse_error(
            self, exception: Exception, name: str, params: Any, val: str, line: Any
        ) -> None:
            component = self.component
            if component is None:
                return
            factory = self.get_factory_for_property(name, params)
            broken = vBroken.from_parse_error(
                raw_value=val,
                params=params,
                property_name=name,
                expected_type=getattr(factory, "__name__", "unknown"),
                error=exception,
            )
            component.errors.append((name, str(exception)))
            component.add(name, broken, encode=False)
            if component.name in ("VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT"):
                self.problems.append(f"{component.name} {name} {_cut(val)!r} cannot be read.")

    return Tolerant


def _cut(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."


def _event_places(text: str, calendars: list[Any]) -> dict[int, str]:
    """{id(event): "event N (line L)"}: its place among the file's events, and the line of its
    BEGIN:VEVENT when the events and those lines tally."""
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    starts: list[int] = []
    line, done = 1, 0
    for match in _BEGIN_EVENT.finditer(text):  # counted on from the last one: linear
        line += text.count("\n", done, match.start())
        done = match.start()
        starts.append(line)
    if len(events) != len(starts):
        return {id(event): f"event {n}" for n, event in enumerate(events, start=1)}
    return {
        id(event): f"event {n} (line {line})"
        for n, (event, line) in enumerate(zip(events, starts, strict=True), start=1)
    }


def _tidy(event: Any, where: str, on_warning: OnWarning) -> None:
    """Mend what a real calendar gets wrong in one property, so that it costs that property.

    Two starts: the first is read. An end or duration that cannot be read is left out (the
    event keeps its start). A repeat rule that cannot be read at all (no or an unknown
    FREQ) is left out and the event read once; an RDATE or EXDATE that cannot be read is left
    out (an EXDATE left out may bring back a date that was taken off).
    """
    start = event.get("DTSTART")
    if isinstance(start, list):
        event["DTSTART"] = start[0]
        warn(where, f"has {len(start)} starts (DTSTART); read the first.", on_warning)
    rules = event.get("RRULE")
    if rules is not None:
        found = rules if isinstance(rules, list) else [rules]
        kept: list[Any] = []
        problems: list[str] = []
        for rule in found:
            problem = _unreadable_rule(rule)
            if problem:
                problems.append(problem)
            elif all(rule != other for other in kept):  # the same rule twice counts once
                kept.append(rule)
        once = "" if kept or event.get("RDATE") else "; read the event once"
        for problem in problems:
            warn(where, f"left out a repeat rule: {problem}{once}.", on_warning)
        del event["RRULE"]
        if kept:
            event["RRULE"] = kept if len(kept) > 1 else kept[0]
    for name in ("DTEND", "DURATION"):  # they only say how long: the start still stands
        if event.get(name) is not None and not _readable_when(event[name]):
            warn(where, f"left out {name} that cannot be read.", on_warning)
            del event[name]
    for name in ("RDATE", "EXDATE"):
        values = event.get(name)
        if values is None:
            continue
        listed = values if isinstance(values, list) else [values]
        good = [value for value in listed if _readable_dates(value)]
        if len(good) == len(listed):
            continue
        warn(where, f"left out {name} that cannot be read.", on_warning)
        del event[name]
        if good:
            event[name] = good if len(good) > 1 else good[0]


_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


def _unreadable_rule(rule: Any) -> str | None:
    try:
        freq = [str(value).upper() for value in rule.get("FREQ", [])]
    except Exception:  # a broken property raises its own error types
        return "it cannot be read"
    if not freq:
        return "it has no frequency (FREQ)"
    if freq[0] not in _FREQUENCIES:
        return f"its frequency {_cut(freq[0], 30)!r} is not one"
    return None


def _readable_when(value: Any) -> bool:
    try:
        value.dt  # noqa: B018 - a broken value raises on access
    except Exception:
        return False
    return True


def _readable_dates(value: Any) -> bool:
    try:
        value.dts  # noqa: B018 - a broken value raises on access
    except Exception:
        return False
    return True


def _no_start(event: Any, where: str, on_warning: OnWarning) -> bool:
    """True (with a warning) for an event without DTSTART: it happened on no day we know."""
    if event.get("DTSTART") is not None:
        return False
    summary = str(event.get("SUMMARY") or "").strip()
    title = repr(summary[:60]) if summary else "an event without a title"
    warn(where, f"left out {title}: it has no start (DTSTART).", on_warning)
    return True


def _field_warnings(event: Any, where: str, on_warning: OnWarning) -> None:
    """A warning for each property of the event that was read but could not be understood."""
    for name, problem in getattr(event, "errors", ()):
        if name is None:
            warn(where, problem, on_warning)
        elif name in _READ and name in event:  # what _tidy left out it has told already
            warn(where, f"left out {name}: {_cut(problem)}.", on_warning)


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
    rules = event.get("RRULE")
    if rules is None:
        return None
    for rule in rules if isinstance(rules, list) else [rules]:
        problem = _bad_one(rule)
        if problem:
            return problem
    return None


def _bad_one(rule: Any) -> str | None:
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
