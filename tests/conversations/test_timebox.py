from __future__ import annotations

from datetime import datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentormap.domain.timebox import opening_minutes, plan_session, rotate, shares
from mentormap.errors import InvalidInput

START = datetime(2026, 11, 25, 18, 0)
SIX = ["Nadia", "Tom", "Marcus", "Ines", "Kwame", "Ben"]


def test_six_people_in_an_hour_get_equal_shares_after_a_short_opening() -> None:
    slots = plan_session(START, 60, SIX)
    assert slots[0].label == "Opening" and slots[0].minutes == 6
    assert [s.minutes for s in slots[1:]] == [9] * 6
    assert slots[-1].ends == datetime(2026, 11, 25, 19, 0)
    # back to back: each slot starts when the previous ends
    assert all(a.ends == b.starts for a, b in pairwise(slots))


def test_pressing_problem_gets_a_double_share() -> None:
    slots = {s.label: s for s in plan_session(START, 60, SIX, pressing=["Tom"])}
    assert slots["Tom"].pressing and slots["Tom"].minutes == 16
    assert {slots[n].minutes for n in SIX if n != "Tom"} <= {7, 8}


def test_rotation_starts_after_whoever_went_first_last_time() -> None:
    assert rotate(SIX, None)[0] == "Ben"
    assert rotate(SIX, "Ben")[0] == "Ines"
    assert rotate(SIX, "Tom") == ["Ben", "Ines", "Kwame", "Marcus", "Nadia", "Tom"]
    # whoever went first is away: the next name after hers starts
    assert rotate(SIX, "Lara")[0] == "Marcus"
    assert rotate(["Ines", "Tom"], "Ben") == ["Ines", "Tom"]


def test_one_member_present_gets_all_the_time_after_the_opening() -> None:
    slots = plan_session(START, 30, ["Nadia"])
    assert [(s.label, s.minutes) for s in slots] == [("Opening", 3), ("Nadia", 27)]


@pytest.mark.parametrize(
    ("minutes", "present", "pressing"),
    [(10, SIX, []), (0, SIX, []), (60, [], []), (60, SIX, ["Stranger"])],
)
def test_impossible_plans_are_refused(
    minutes: int, present: list[str], pressing: list[str]
) -> None:
    with pytest.raises(InvalidInput):
        plan_session(START, minutes, present, pressing=pressing)


@given(
    total=st.integers(min_value=1, max_value=600),
    count=st.integers(min_value=1, max_value=12),
    pressing=st.integers(min_value=0, max_value=3),
)
def test_shares_always_add_up_and_stay_fair(total: int, count: int, pressing: int) -> None:
    names = [f"p{i}" for i in range(count)]
    chosen = set(names[:pressing])
    minutes = shares(total, names, chosen)
    assert sum(minutes.values()) == total
    plain = [minutes[n] for n in names if n not in chosen]
    if plain:
        assert max(plain) - min(plain) <= 1
    if chosen and plain:
        assert min(minutes[n] for n in chosen) >= max(plain)


def test_opening_is_short() -> None:
    assert opening_minutes(60) == 6
    assert opening_minutes(15) == 2
    assert opening_minutes(240) == 10


@given(
    st.lists(
        st.text(alphabet="abcdefgh", min_size=1, max_size=5), min_size=1, max_size=8, unique=True
    )
)
def test_rotation_gives_everyone_a_turn_first(names: list[str]) -> None:
    first: str | None = None
    firsts = []
    for _ in names:
        first = rotate(names, first)[0]
        firsts.append(first)
    assert sorted(firsts) == sorted(names)
