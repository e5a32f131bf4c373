"""The mentor's side on the CLI: a mentee's goals and achievements, office hours, stories."""

from __future__ import annotations

import json

from mentormap.services.context import Ctx
from mentormap.services.practice.mentoring import add_office_hour, office_hour_slots
from tests.conftest import CliInvoke


def test_a_mentees_goals_and_achievements(cli: CliInvoke) -> None:
    cli("people", "add", "Aisha Khan")
    cli("role", "add", "Aisha Khan", "mentee")
    assert "Noted goal #1" in cli("mentee", "goal", "Aisha", "Lead the payments team").output
    cli("mentee", "achievement", "Aisha", "Ran the incident review", "--on", "2026-11-20")
    future = cli("mentee", "achievement", "Aisha", "Keynote", "--on", "2026-12-20")
    assert future.exit_code == 1 and "has not happened yet" in future.output
    view = json.loads(cli("mentee", "show", "Aisha", "--json").output)
    assert view["is_mentee"] is True
    assert [g["text"] for g in view["goals"]] == ["Lead the payments team"]
    assert [(a["text"], a["noted_on"]) for a in view["achievements"]] == [
        ("Ran the incident review", "2026-11-20")
    ]
    cli("mentee", "edit", "2", "--text", "Ran the outage review")
    assert "Praise, and showcase to others: Ran the outage review" in cli("prep", "Aisha").output
    cli("mentee", "remove", "1")
    assert json.loads(cli("mentee", "show", "Aisha", "--json").output)["goals"] == []
    assert "Removed #1" not in cli("mentee", "remove", "1").output  # gone: an error line
    screen = cli("mentee", "show", "Aisha").output
    assert "Achievements to praise and showcase" in screen


def test_office_hours_add_list_print_edit_remove(cli: CliInvoke) -> None:
    assert (
        "Office hours #1: Tuesday 16:00–17:00."
        in cli("office-hours", "add", "tue", "16:00-17:00", "--note", "video").output
    )
    cli("office-hours", "add", "mon", "08:00-08:30")
    clash = cli("office-hours", "add", "Tuesday", "16:30-18:00")
    assert clash.exit_code == 1 and "overlaps your office hours #1" in clash.output
    bad = cli("office-hours", "add", "tue", "5pm")
    assert bad.exit_code == 1 and "HH:MM-HH:MM" in bad.output
    rows = json.loads(cli("office-hours", "list", "--json").output)
    assert [(r["day"], r["starts_at"], r["ends_at"]) for r in rows] == [
        ("Monday", "08:00", "08:30"),
        ("Tuesday", "16:00", "17:00"),
    ]
    printed = cli("office-hours", "list", "--print").output
    assert printed.splitlines()[:3] == [
        "Office hours (times in Europe/London):",
        "  Monday 08:00–08:30",
        "  Tuesday 16:00–17:00 — video",
    ]
    cli("office-hours", "edit", "2", "--day", "wed", "--hours", "09:00-10:00")
    assert "Wednesday 09:00–10:00" in cli("office-hours", "list").output
    assert "Removed office hours #1" in cli("office-hours", "remove", "1").output
    assert len(json.loads(cli("office-hours", "list", "--json").output)) == 1


def test_office_hours_for_a_calendar_feed(ctx: Ctx) -> None:
    add_office_hour(ctx, "thu", "08:30-09:30", "coffee chats")
    [(slot, note)] = office_hour_slots(ctx)
    assert (slot.weekday, slot.start, slot.end, note) == (3, "08:30", "09:30", "coffee chats")


def test_failure_stories_are_suggested_in_a_mentees_prep(cli: CliInvoke) -> None:
    cli("people", "add", "Aisha Khan")
    cli("role", "add", "Aisha Khan", "mentee")
    cli("people", "add", "Grace Liu")
    cli("role", "add", "Grace Liu", "sponsor")
    cli("story", "add", "My first talk ran ten minutes over", "--lesson", "Rehearse with a timer")
    cli("story", "add", "Missed a promotion by not asking")
    empty = cli("story", "add", "   ")
    assert empty.exit_code == 1
    stories = json.loads(cli("story", "list", "--json").output)
    assert [s["text"] for s in stories] == [
        "Missed a promotion by not asking",
        "My first talk ran ten minutes over",
    ]
    brief = cli("prep", "Aisha").output
    assert "Be open about failure: My first talk ran ten minutes over" in brief
    assert "Rehearse with a timer" in brief
    assert "Be open about failure" not in cli("prep", "Grace").output  # a sponsor hears wins
    cli("story", "edit", "1", "--lesson", "Cut a slide a minute")
    assert "Cut a slide a minute" in cli("story", "list").output
    cli("story", "remove", "1")
    cli("story", "remove", "2")
    assert "Be open about failure" not in cli("prep", "Aisha").output
