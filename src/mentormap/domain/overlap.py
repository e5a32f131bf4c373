"""When two people's working hours overlap across time zones, day by day, honouring the DST rules.

Working hours are wall-clock times in each person's own zone, so each day is converted through
zoneinfo separately: the overlap shifts by an hour on the days one zone has changed its clocks and
the other has not (late March, late October / early November).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mentormap.errors import InvalidInput

DEFAULT_HOURS = "09:00-17:30"
DEFAULT_DAYS = (0, 1, 2, 3, 4)  # Monday to Friday
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_WINDOW_MINUTES = 30

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

# Parts of the day a preference may name, in the person's own local time. Checked in this
# order, so "early morning" wins over "morning" and "lunch" over "afternoon".
TIME_OF_DAY = (
    ("early morning", (time(7, 0), time(9, 30))),
    ("late afternoon", (time(15, 30), time(18, 0))),
    ("morning", (time(8, 0), time(12, 0))),
    ("lunch", (time(12, 0), time(14, 0))),
    ("noon", (time(11, 30), time(14, 0))),
    ("afternoon", (time(13, 0), time(17, 30))),
    ("evening", (time(17, 0), time(21, 0))),
)


@dataclass(frozen=True)
class Hours:
    start: time
    end: time  # 24:00 is written as time.max


def parse_hours(text: str | None) -> Hours:
    """'09:00-17:30' → Hours; None or empty gives the default working day."""
    match = _HOURS.match(text or DEFAULT_HOURS)
    if not match:
        raise InvalidInput(f"Working hours {text!r} must look like 09:00-17:30.")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise InvalidInput(f"Working hours {text!r} are not valid times.")
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise InvalidInput(f"Working hours {text!r} must end after they start.")
    return Hours(start, end)


def parse_days(text: str | None) -> tuple[int, ...]:
    """'mon-fri' or 'mon,tue,thu' → weekday numbers; None gives Monday to Friday."""
    if not text:
        return DEFAULT_DAYS
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        try:
            a = DAY_NAMES.index(first[:3])
            b = DAY_NAMES.index(last[:3]) if last else a
        except ValueError:
            raise InvalidInput(
                f"Working days {text!r} must look like mon-fri or mon,wed."
            ) from None
        day = a
        while True:
            days.add(day)
            if day == b:
                break
            day = (day + 1) % 7
    return tuple(sorted(days))


def preferred_range(preference: str | None) -> tuple[str, tuple[time, time]] | None:
    """The part of the day a free-text preference names ('mornings', 'over lunch'), if any."""
    if not preference:
        return None
    lowered = preference.lower()
    # "early morning (her evening)": the part named with "her"/"his"/"their" is in her zone.
    for name, span in TIME_OF_DAY:
        if re.search(rf"\b(her|his|their) {name}\b", lowered):
            return name, span
    for name, span in TIME_OF_DAY:
        if name in lowered:
            return name, span
    return None


@dataclass(frozen=True)
class Window:
    """A stretch of time both are at work; `preferred_*` is the part in her preferred time."""

    start: datetime  # aware, UTC
    end: datetime
    mine_start: datetime  # the same instants in the user's zone
    mine_end: datetime
    theirs_start: datetime  # and in the other person's zone
    theirs_end: datetime
    preferred_start: datetime | None = None  # UTC
    preferred_end: datetime | None = None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _working_spans(
    zone: ZoneInfo,
    hours: Hours,
    days: tuple[int, ...],
    first: date,
    last: date,
    stretch_minutes: int = 0,
) -> list[tuple[datetime, datetime]]:
    """Each working day as a UTC interval; `stretch_minutes` widens both ends (early/late)."""
    stretch = timedelta(minutes=stretch_minutes)
    spans = []
    day = first
    while day <= last:
        if day.weekday() in days:
            start = datetime.combine(day, hours.start, zone)
            end = (
                datetime.combine(day + timedelta(days=1), time(0), zone)
                if hours.end == time.max
                else datetime.combine(day, hours.end, zone)
            )
            utc = ZoneInfo("UTC")
            spans.append(((start - stretch).astimezone(utc), (end + stretch).astimezone(utc)))
        day += timedelta(days=1)
    return spans


def overlap_windows(
    now: datetime,
    mine: tuple[ZoneInfo, Hours, tuple[int, ...]],
    theirs: tuple[ZoneInfo, Hours, tuple[int, ...]],
    *,
    days: int = 7,
    preference: str | None = None,
    min_minutes: int = MIN_WINDOW_MINUTES,
    stretch_minutes: int = 0,
) -> list[Window]:
    """Every stretch in [now, now + days) when both are at work, earliest first.

    `now` must be aware. Each person's hours are read on her own calendar; a window that has
    begun is clipped to start at `now`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    utc = ZoneInfo("UTC")
    begin = now.astimezone(utc)
    finish = begin + timedelta(days=days)
    my_zone, my_hours, my_days = mine
    their_zone, their_hours, their_days = theirs
    # One day of margin on each side: a zone far east or west starts its day on another date.
    first, last = begin.date() - timedelta(days=1), finish.date() + timedelta(days=1)
    a_spans = _working_spans(my_zone, my_hours, my_days, first, last, stretch_minutes)
    b_spans = _working_spans(their_zone, their_hours, their_days, first, last, stretch_minutes)
    pref = preferred_range(preference)
    windows: list[Window] = []
    for a_start, a_end in a_spans:
        for b_start, b_end in b_spans:
            start = max(a_start, b_start, begin)
            end = min(a_end, b_end, finish)
            if (end - start) < timedelta(minutes=min_minutes):
                continue
            p_start = p_end = None
            if pref is not None:
                p_start, p_end = _preferred_part(start, end, their_zone, pref[1])
            windows.append(
                Window(
                    start=start,
                    end=end,
                    mine_start=start.astimezone(my_zone),
                    mine_end=end.astimezone(my_zone),
                    theirs_start=start.astimezone(their_zone),
                    theirs_end=end.astimezone(their_zone),
                    preferred_start=p_start,
                    preferred_end=p_end,
                )
            )
    windows.sort(key=lambda w: w.start)
    return windows


def _preferred_part(
    start: datetime, end: datetime, zone: ZoneInfo, span: tuple[time, time]
) -> tuple[datetime | None, datetime | None]:
    """The piece of [start, end) inside her preferred part of the day, read in her zone."""
    local_day = start.astimezone(zone).date()
    utc = ZoneInfo("UTC")
    for day in (local_day, local_day + timedelta(days=1)):
        p_start = datetime.combine(day, span[0], zone).astimezone(utc)
        p_end = datetime.combine(day, span[1], zone).astimezone(utc)
        lo, hi = max(start, p_start), min(end, p_end)
        if hi > lo:
            return lo, hi
    return None, None


Schedule = tuple[ZoneInfo, Hours, tuple[int, ...]]


def common_windows(
    now: datetime,
    people: list[Schedule],
    *,
    days: int = 7,
    min_minutes: int = MIN_WINDOW_MINUTES,
) -> list[tuple[datetime, datetime]]:
    """Every stretch in [now, now + days) when everyone in `people` is at work, as UTC pairs.

    For a group: the first schedule is usually yours, then each member's. With one schedule,
    that person's working hours from now on.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not people:
        return []
    utc = ZoneInfo("UTC")
    begin = now.astimezone(utc)
    finish = begin + timedelta(days=days)
    first, last = begin.date() - timedelta(days=1), finish.date() + timedelta(days=1)
    common = [
        (max(a, begin), min(b, finish))
        for a, b in _working_spans(*people[0], first, last)
        if min(b, finish) > max(a, begin)
    ]
    for schedule in people[1:]:
        spans = _working_spans(*schedule, first, last)
        common = [
            (max(a, c), min(b, d)) for a, b in common for c, d in spans if min(b, d) > max(a, c)
        ]
    least = timedelta(minutes=min_minutes)
    return sorted((a, b) for a, b in common if b - a >= least)
