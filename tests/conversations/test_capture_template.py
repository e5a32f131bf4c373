from __future__ import annotations

from datetime import date

import pytest

from mentormap.domain.capture import AgendaLine, parse_capture, render_template
from mentormap.errors import InvalidInput


def _template() -> str:
    return render_template(
        on=date(2026, 11, 25),
        people=["Priya Raman"],
        group=None,
        kind="video",
        agenda=[AgendaLine(7, "Priya Raman", "Ask how she framed scope")],
    )


def test_untouched_template_parses_to_empty() -> None:
    captured = parse_capture(_template())
    assert captured.is_empty()
    assert captured.people == ["Priya Raman"]
    assert captured.kind == "video"
    assert captured.on == "2026-11-25"


def test_filled_template_parses_every_section() -> None:
    text = _template().replace(
        "## Advice",
        "Talked about the **packet**.\n\n### Scope\nLead with influence.\n\n## Advice",
    )
    text = text.replace(
        "## Favours",
        "- Keep a brag doc: update it every Friday\n\n## Favours\n"
        "- received introduction: to the staff-plus program lead\n",
    )
    text = text.replace(
        "## Positive action",
        "- me: send the draft packet by 2026-12-01\n- them: share her template\n\n"
        "## Positive action\n- ask for the stretch project\n",
    )
    text = text.replace("- [ ] #7", "- [x] #7")
    captured = parse_capture(text)
    assert captured.notes == "Talked about the **packet**.\n\n### Scope\nLead with influence."
    # 'Keep a brag doc' is not a name of anyone present; the service decides that later
    assert captured.advice == [("Keep a brag doc", "update it every Friday")]
    assert [(f.direction, f.kind, f.text) for f in captured.favours] == [
        ("received", "introduction", "to the staff-plus program lead")
    ]
    assert [(f.owed_by, f.title, f.due) for f in captured.follow_ups] == [
        ("me", "send the draft packet", "2026-12-01"),
        ("them", "share her template", None),
    ]
    assert captured.actions == ["ask for the stretch project"]
    assert captured.covered == [7]
    assert not captured.is_empty()


def test_comments_never_reach_the_notes() -> None:
    captured = parse_capture("people: Sam\n## Notes\n<!-- a hint -->\nWalked by the river.\n")
    assert captured.notes == "Walked by the river."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nonsense line\n", "Line 1"),
        ("people: Sam\n## Favours\n- borrowed a pen\n", "Line 3"),
        ("people: Sam\n## Follow-ups\n- soon: call\n", "follow-up"),
        ("people: Sam\n## Advice\nno dash here\n", "start each advice entry"),
    ],
)
def test_malformed_lines_name_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_capture(text)


def test_split_name_leaves_urls_and_long_sentences_alone() -> None:
    from mentormap.domain.capture import split_name

    assert split_name("Jo: take the leave") == ("Jo", "take the leave")
    assert split_name("Read https://example.org/post") == (None, "Read https://example.org/post")
    assert split_name("When you are ignored in a meeting: restate")[0] is None
