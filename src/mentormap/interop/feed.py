"""The private calendar feed as iCalendar: timed or all-day events, each with a reminder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mentormap.interop.records import plain_lines
from mentormap.interop.vcard import fold


@dataclass
class FeedItem:
    uid: str
    summary: str
    on: date  # the day (all-day events), or the local day of `start`
    start: datetime | None = None  # aware: a timed event
    minutes: int = 30
    description: str | None = None
    alarm_minutes: int = 15  # before a timed event; an all-day one reminds at 09:00 that day
    yearly: bool = False  # birthdays


def _text(value: str) -> str:
    plain = value if value.isprintable() else plain_lines(value)  # no break, no control
    return plain.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _folded(line: str) -> str:
    return line if len(line) <= 75 and line.isascii() else fold(line)


def write_feed(items: Iterable[FeedItem], stamp: datetime) -> str:
    """iCalendar text, written directly: a feed of thousands of events is asked for often, and
    a general-purpose library takes most of the time building it. Only the lines holding text
    (uid, summary, description) can be long; the others are short by construction."""
    now = _instant(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mentormap//reminders//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:mentormap",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for item in items:
        lines += ["BEGIN:VEVENT", _folded(f"UID:{_text(item.uid)}"), f"DTSTAMP:{now}"]
        if item.start is not None:
            end = item.start + timedelta(minutes=item.minutes)
            lines += [f"DTSTART:{_instant(item.start)}", f"DTEND:{_instant(end)}"]
            trigger = f"-PT{item.alarm_minutes}M"
        else:
            after = item.on + timedelta(days=1)
            lines += [
                f"DTSTART;VALUE=DATE:{item.on.strftime('%Y%m%d')}",
                f"DTEND;VALUE=DATE:{after.strftime('%Y%m%d')}",
                "TRANSP:TRANSPARENT",
            ]
            trigger = "PT9H"  # 09:00 on the day
        if item.yearly:
            lines.append("RRULE:FREQ=YEARLY")
        summary = _text(item.summary)
        lines.append(_folded(f"SUMMARY:{summary}"))
        if item.description:
            lines.append(_folded(f"DESCRIPTION:{_text(item.description)}"))
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            _folded(f"DESCRIPTION:{summary}"),
            f"TRIGGER:{trigger}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR\r\n")
    return "\r\n".join(lines)
