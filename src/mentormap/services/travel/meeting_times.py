"""`when NAME`: the coming week's stretches when both of you are at work, in both local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentormap.domain.overlap import (
    Window,
    common_windows,
    overlap_windows,
    parse_days,
    parse_hours,
)
from mentormap.errors import InvalidInput
from mentormap.models import Group, Person
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference
from mentormap.services.travel.cities import try_resolve_city

STRETCH_MINUTES = 120


@dataclass
class WindowView:
    mine_start: datetime
    mine_end: datetime
    theirs_start: datetime
    theirs_end: datetime
    minutes: int
    preferred: bool  # part of it falls in her preferred time of day
    preferred_mine_start: datetime | None
    preferred_mine_end: datetime | None


@dataclass
class MeetingTimes:
    person: str
    my_zone: str
    their_zone: str
    my_hours: str
    their_hours: str
    preferred_time: str | None
    windows: list[WindowView]
    outside_hours: bool  # no shared working hour: these windows stretch the day by up to 2h


@dataclass
class MemberClock:
    name: str
    zone: str
    hours: str


@dataclass
class GroupWindow:
    mine_start: datetime
    mine_end: datetime
    minutes: int
    local: list[str]  # each member's local start, e.g. "Priya Raman: Thu 19:00"


@dataclass
class GroupMeetingTimes:
    group: str
    my_zone: str
    my_hours: str
    members: list[MemberClock]
    left_out: list[str]  # members with no time zone or known city: set one to include them
    windows: list[GroupWindow]


def _zone_name(zone: object) -> str:
    return str(getattr(zone, "key", None) or zone)


def person_zone(person: Person) -> ZoneInfo:
    """Her stored time zone, else the zone of her city; an error says how to set it."""
    if person.timezone:
        try:
            return ZoneInfo(person.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    place = try_resolve_city(person.city, person.country)
    if place is None:
        raise InvalidInput(
            f"{person.name} has no time zone or known city; set one with "
            f"`mentormap people edit {person.name!r} --timezone Area/City`."
        )
    return ZoneInfo(place.timezone)


def meeting_times(ctx: Ctx, person: Person, days: int = 7) -> MeetingTimes:
    if not 1 <= days <= 31:
        raise InvalidInput("Look between 1 and 31 days ahead.")
    tz = ctx.settings.timezone
    mine = tz if isinstance(tz, ZoneInfo) else ZoneInfo("UTC")
    my_hours_text = get_preference(ctx, "work_hours")
    my_days_text = get_preference(ctx, "work_days")
    theirs = person_zone(person)
    now = ctx.now().astimezone(mine)
    me = (mine, parse_hours(my_hours_text), parse_days(my_days_text))
    them = (theirs, parse_hours(person.work_hours), parse_days(None))
    windows = overlap_windows(now, me, them, days=days, preference=person.preferred_time)
    stretched = not windows
    if stretched:
        # Far-apart zones (London and Sydney) never share a working hour: offer the
        # nearest miss instead — an early start for one, a late finish for the other.
        windows = overlap_windows(
            now,
            me,
            them,
            days=days,
            preference=person.preferred_time,
            stretch_minutes=STRETCH_MINUTES,
        )
    return MeetingTimes(
        person=person.name,
        my_zone=_zone_name(mine),
        their_zone=_zone_name(theirs),
        my_hours=my_hours_text or "09:00-17:30",
        their_hours=person.work_hours or "09:00-17:30",
        preferred_time=person.preferred_time,
        windows=[_window_view(w, mine) for w in windows],
        outside_hours=stretched,
    )


def _window_view(window: Window, mine: ZoneInfo) -> WindowView:
    return WindowView(
        mine_start=window.mine_start,
        mine_end=window.mine_end,
        theirs_start=window.theirs_start,
        theirs_end=window.theirs_end,
        minutes=window.minutes,
        preferred=window.preferred_start is not None,
        preferred_mine_start=window.preferred_start.astimezone(mine)
        if window.preferred_start
        else None,
        preferred_mine_end=window.preferred_end.astimezone(mine) if window.preferred_end else None,
    )


def group_meeting_times(ctx: Ctx, group: Group, days: int = 7) -> GroupMeetingTimes:
    """The coming days' stretches when you and every current member of `group` are at work."""
    from mentormap.services.people.groups import current_members

    if not 1 <= days <= 31:
        raise InvalidInput("Look between 1 and 31 days ahead.")
    tz = ctx.settings.timezone
    mine = tz if isinstance(tz, ZoneInfo) else ZoneInfo("UTC")
    my_hours_text = get_preference(ctx, "work_hours")
    schedules = [(mine, parse_hours(my_hours_text), parse_days(get_preference(ctx, "work_days")))]
    members: list[tuple[Person, ZoneInfo]] = []
    left_out: list[str] = []
    for person in current_members(ctx, group):
        try:
            zone = person_zone(person)
        except InvalidInput:
            left_out.append(person.name)
            continue
        members.append((person, zone))
        schedules.append((zone, parse_hours(person.work_hours), parse_days(None)))
    if not members:
        raise InvalidInput(
            f"No member of {group.name} has a time zone or a known city; set one with "
            "`mentormap people edit NAME --timezone Area/City`."
        )
    now = ctx.now().astimezone(mine)
    windows = [
        GroupWindow(
            mine_start=start.astimezone(mine),
            mine_end=end.astimezone(mine),
            minutes=int((end - start).total_seconds() // 60),
            local=[f"{p.name}: {start.astimezone(zone):%a %H:%M}" for p, zone in members],
        )
        for start, end in common_windows(now, schedules, days=days)
    ]
    return GroupMeetingTimes(
        group=group.name,
        my_zone=_zone_name(mine),
        my_hours=my_hours_text or "09:00-17:30",
        members=[
            MemberClock(p.name, _zone_name(zone), p.work_hours or "09:00-17:30")
            for p, zone in members
        ],
        left_out=left_out,
        windows=windows,
    )
