"""Working-hour overlap across zones, including the weeks when clocks change."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from mentormap.domain.overlap import (
    DEFAULT_DAYS,
    overlap_windows,
    parse_days,
    parse_hours,
    preferred_range,
)
from mentormap.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
WORKDAY = parse_hours("09:00-17:30")


def test_parse_hours_and_days() -> None:
    assert parse_hours(None) == WORKDAY
    assert parse_hours("08:15-24:00").end == time.max
    assert parse_days(None) == DEFAULT_DAYS
    assert parse_days("mon,wed-fri") == (0, 2, 3, 4)
    assert parse_days("sat-mon") == (0, 5, 6)
    for bad in ("9-5", "17:00-09:00", "25:00-26:00"):
        with pytest.raises(InvalidInput):
            parse_hours(bad)
    with pytest.raises(InvalidInput):
        parse_days("funday")


def test_new_york_overlap_shifts_when_america_changes_its_clocks() -> None:
    # Britain left summer time on 25 Oct 2026, the US only on 1 Nov: for that one week New York
    # is 4 hours behind London, then 5.
    now = datetime(2026, 10, 26, 0, 0, tzinfo=LONDON)  # a Monday
    windows = overlap_windows(
        now, (LONDON, WORKDAY, DEFAULT_DAYS), (NEW_YORK, WORKDAY, DEFAULT_DAYS), days=14
    )
    by_day = {w.mine_start.date().isoformat(): w for w in windows}
    before, after = by_day["2026-10-30"], by_day["2026-11-02"]
    assert (before.mine_start.time(), before.mine_end.time()) == (time(13, 0), time(17, 30))
    assert (before.theirs_start.time(), before.theirs_end.time()) == (time(9, 0), time(13, 30))
    assert (after.mine_start.time(), after.mine_end.time()) == (time(14, 0), time(17, 30))
    assert (after.theirs_start.time(), after.theirs_end.time()) == (time(9, 0), time(12, 30))
    assert before.minutes == 270 and after.minutes == 210
    assert len(windows) == 10  # two working weeks, no weekends


def test_spring_change_in_europe_first() -> None:
    # On 9 Mar 2026 the US is on summer time, Britain not yet (from 29 Mar): 4 hours apart.
    now = datetime(2026, 3, 9, 0, 0, tzinfo=LONDON)
    windows = overlap_windows(
        now, (LONDON, WORKDAY, DEFAULT_DAYS), (NEW_YORK, WORKDAY, DEFAULT_DAYS), days=1
    )
    assert windows[0].mine_start.time() == time(13, 0)
    assert windows[0].theirs_start.time() == time(9, 0)


def test_no_overlap_with_sydney_unless_the_day_stretches() -> None:
    now = datetime(2026, 11, 23, 0, 0, tzinfo=LONDON)
    mine, theirs = (LONDON, WORKDAY, DEFAULT_DAYS), (SYDNEY, WORKDAY, DEFAULT_DAYS)
    assert overlap_windows(now, mine, theirs) == []
    stretched = overlap_windows(now, mine, theirs, stretch_minutes=120)
    assert stretched
    first = stretched[0]
    assert (first.mine_start.time(), first.mine_end.time()) == (time(7, 0), time(8, 30))
    assert (first.theirs_start.time(), first.theirs_end.time()) == (time(18, 0), time(19, 30))


def test_windows_start_at_now_and_skip_the_weekend() -> None:
    now = datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)  # Friday afternoon
    windows = overlap_windows(
        now, (LONDON, WORKDAY, DEFAULT_DAYS), (LONDON, WORKDAY, DEFAULT_DAYS), days=4
    )
    assert windows[0].mine_start == now
    assert [w.mine_start.weekday() for w in windows] == [4, 0, 1]
    assert windows[-1].mine_end.time() == time(15, 0)  # the look-ahead ends four days on


def test_preferred_time_of_day_marks_the_part_that_suits_her() -> None:
    now = datetime(2026, 11, 23, 0, 0, tzinfo=LONDON)
    windows = overlap_windows(
        now,
        (LONDON, WORKDAY, DEFAULT_DAYS),
        (NEW_YORK, WORKDAY, DEFAULT_DAYS),
        days=1,
        preference="mornings, before stand-up",
    )
    window = windows[0]
    assert window.preferred_start is not None and window.preferred_end is not None
    assert window.preferred_start.astimezone(NEW_YORK).time() == time(9, 0)
    assert window.preferred_end.astimezone(NEW_YORK).time() == time(12, 0)
    evening = overlap_windows(
        now,
        (LONDON, WORKDAY, DEFAULT_DAYS),
        (NEW_YORK, WORKDAY, DEFAULT_DAYS),
        days=1,
        preference="evening",
    )
    assert evening[0].preferred_start is None


def test_preferred_range_reads_her_own_words() -> None:
    assert preferred_range("early morning (her evening)") == ("evening", (time(17), time(21)))
    assert preferred_range("over lunch")[0] == "lunch"  # type: ignore[index]
    assert preferred_range("whenever") is None
    assert preferred_range(None) is None


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        overlap_windows(
            datetime(2026, 1, 1), (LONDON, WORKDAY, DEFAULT_DAYS), (LONDON, WORKDAY, DEFAULT_DAYS)
        )
