"""Core services and pure helpers called directly (the CLI tests cover them end to end too)."""

from __future__ import annotations

from datetime import date, time

import pytest

from mentormap.domain.durations import parse_date, parse_days
from mentormap.errors import Ambiguous, InvalidInput, NotFound
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction, timeline, to_utc
from mentormap.services.people.groups import add_member, create_group, groups_of, list_groups
from mentormap.services.people.people import (
    PeopleFilter,
    add_person,
    count_people,
    list_people,
    normalize_phone,
    normalize_url,
    snooze_person,
)
from mentormap.services.people.resolve import find_group, find_person
from mentormap.services.people.tags import clean_tag, tag_person

TODAY = date(2026, 11, 25)


def test_parse_days_and_dates() -> None:
    assert [parse_days(v) for v in ("14", "14d", "2w", "3M", "1y")] == [14, 14, 14, 90, 365]
    for bad in ("0d", "-2w", "soon", "2x"):
        with pytest.raises(InvalidInput):
            parse_days(bad)
    assert parse_date("yesterday", TODAY) == date(2026, 11, 24)
    assert parse_date("-3d", TODAY) == date(2026, 11, 22)
    assert parse_date("+2w", TODAY) == date(2026, 12, 9)
    assert parse_date("2024-02-29", TODAY) == date(2024, 2, 29)
    with pytest.raises(InvalidInput, match="not a date"):
        parse_date("2023-02-29", TODAY)


def test_phone_and_url_normalisation() -> None:
    assert normalize_phone("+44 (0)20 7946-0958") == "+4402079460958"
    assert normalize_phone("020 7946 0958") == "02079460958"
    assert normalize_url("http://www.LinkedIn.com/in/x/") == "https://LinkedIn.com/in/x"
    assert normalize_url("github.com/x") == "https://github.com/x"


def test_find_person_by_email_part_and_id(ctx: Ctx) -> None:
    priya = add_person(ctx, "Priya Raman", emails=["p@h.example"])
    add_person(ctx, "Priyanka Rao")
    assert find_person(ctx, "P@H.example").id == priya.id
    assert find_person(ctx, "priya raman").id == priya.id  # exact beats partial
    assert find_person(ctx, f"#{priya.id}").id == priya.id
    with pytest.raises(Ambiguous) as caught:
        find_person(ctx, "priya")
    assert len(caught.value.candidates) == 2
    with pytest.raises(NotFound, match="Did you mean: Priya Raman"):
        find_person(ctx, "Prya Raman")


def test_ambiguous_lists_at_most_eight(ctx: Ctx) -> None:
    for n in range(12):
        add_person(ctx, f"Alex Smith {n:02d}")
    with pytest.raises(Ambiguous, match="more than 8 people") as caught:
        find_person(ctx, "alex")
    assert len(caught.value.candidates) == 8


def test_like_wildcards_in_names_are_literal(ctx: Ctx) -> None:
    add_person(ctx, "Ann_Lee")
    add_person(ctx, "Annxlee")
    assert find_person(ctx, "n_l").name == "Ann_Lee"
    with pytest.raises(NotFound):
        find_person(ctx, "%%%")


def test_groups_services(ctx: Ctx) -> None:
    group = create_group(ctx, "Leadership circle", cadence_days=28, session_minutes=90)
    nadia = add_person(ctx, "Nadia Haddad")
    add_member(ctx, group, nadia, since=date(2026, 1, 1))
    assert [g.name for g in groups_of(ctx, nadia)] == ["Leadership circle"]
    assert find_group(ctx, "leader").id == group.id
    create_group(ctx, "Leaders book club")
    with pytest.raises(Ambiguous):
        find_group(ctx, "leader")
    view = list_groups(ctx)[1]
    assert (view.name, view.cadence_days, view.session_minutes, view.members) == (
        "Leadership circle", 28, 90, ["Nadia Haddad"],
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        create_group(ctx, "Zero", cadence_days=0)


def test_log_interaction_times_are_stored_in_utc(ctx: Ctx) -> None:
    sam = add_person(ctx, "Sam Patel")
    summer = log_interaction(ctx, [sam], kind="call", on=date(2026, 7, 1), at=time(9, 30))
    winter = log_interaction(ctx, [sam], kind="call", on=date(2026, 1, 5), at=time(9, 30))
    assert summer.occurred_at.hour == 8  # BST is UTC+1
    assert winter.occurred_at.hour == 9
    assert to_utc(ctx, date(2026, 3, 29), time(1, 30)).hour in (0, 1)  # the skipped hour
    assert [v.occurred_on for v in timeline(ctx, sam)] == [date(2026, 7, 1), date(2026, 1, 5)]


def test_filters_count_and_snooze(ctx: Ctx) -> None:
    a = add_person(ctx, "A One", city="Paris")
    add_person(ctx, "B Two", city="paris")
    tag_person(ctx, a, ["Mentor Circle"])
    assert clean_tag("Mentor Circle") == "mentor-circle"
    assert count_people(ctx, PeopleFilter(city="PARIS")) == 2
    assert [p.name for p in list_people(ctx, PeopleFilter(tag="mentor-circle"))] == ["A One"]
    snooze_person(ctx, a, date(2026, 12, 31))
    assert a.snoozed_until == date(2026, 12, 31)
    with pytest.raises(InvalidInput):
        snooze_person(ctx, a, TODAY)
