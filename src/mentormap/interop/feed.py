"""The private calendar feed as iCalendar: timed or all-day events, each with a reminder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mentormap.interop.records import plain_lines


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


def write_feed(items: Iterable[FeedItem], stamp: datetime) -> str:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mentormap//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "mentormap")
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC))
        if item.start is not None:
            event.add("dtstart", item.start.astimezone(UTC))
            event.add("dtend", (item.start + timedelta(minutes=item.minutes)).astimezone(UTC))
            before = timedelta(minutes=-item.alarm_minutes)
        else:
            event.add("dtstart", item.on)
            event.add("dtend", item.on + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            before = timedelta(hours=9)  # 09:00 on the day
        if item.yearly:
            event.add("rrule", {"freq": "yearly"})
        event.add("summary", plain_lines(item.summary))
        if item.description:
            event.add("description", plain_lines(item.description))
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", plain_lines(item.summary))
        alarm.add("trigger", before)
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
