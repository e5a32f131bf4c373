"""The pure rules: each stage's next step, and office hours as typed."""

from __future__ import annotations

import pytest

from mentormap.domain.practice import (
    STAGES,
    ProspectAs,
    ProspectStage,
    credit_line,
    next_step,
    parse_slot,
    parse_span,
)
from mentormap.errors import InvalidInput


@pytest.mark.parametrize("as_", list(ProspectAs))
def test_every_stage_has_its_own_next_step_naming_her(as_: ProspectAs) -> None:
    steps = [next_step(stage, as_, "Chiyo") for stage in STAGES]
    assert len(set(steps)) == len(steps)
    assert all("Chiyo" in step for step in steps)
    # Never the big ask; a specific topic instead.
    for step in steps:
        assert "will you be my mentor" not in step.lower().replace("never ask 'will", "")
    asking = next_step(ProspectStage.SHARED_INTEREST, as_, "Chiyo")
    assert "specific" in asking and "Never ask 'will you be my mentor?'" in asking
    assert "Appreciate" in next_step(ProspectStage.ROLE_GIVEN, as_, "Chiyo")


def test_a_sponsor_is_cultivated_by_working_closer_and_showing_wins() -> None:
    noticed = next_step(ProspectStage.NOTICED, ProspectAs.SPONSOR, "Chiyo")
    assert "alongside" in noticed and "supportive" in noticed
    recurring = next_step(ProspectStage.RECURRING, ProspectAs.SPONSOR, "Chiyo")
    assert "achieve" in recurring and "briefly" in recurring and "appreciate" in recurring


def test_office_hours_parse_and_refuse() -> None:
    slot = parse_slot("Tuesday", "9:30-11:00")
    assert (slot.weekday, slot.start, slot.end, slot.label) == (
        1,
        "09:30",
        "11:00",
        "Tuesday 09:30–11:00",
    )
    assert parse_slot("thu", "16:00-24:00").end == "24:00"
    for bad in ("16:00", "17:00-16:00", "25:00-26:00", "10:61-11:00"):
        with pytest.raises(InvalidInput):
            parse_span(bad)
    with pytest.raises(InvalidInput, match="Unknown day"):
        parse_slot("someday", "10:00-11:00")


def test_a_champions_credit_reads_naturally() -> None:
    assert credit_line(2, 6, "cfp", "Chiyo") == "2 of your 6 talks came from Chiyo"
    assert credit_line(3, 3, "project", "Chiyo") == "All 3 of your projects came from Chiyo"
    assert credit_line(1, 1, "role", "Chiyo") == "Your one role came from Chiyo"
