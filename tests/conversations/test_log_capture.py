"""`mentormap log` in $EDITOR, and the capture flags on the plain path."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliInvoke

EditorFactory = Callable[[str], None]


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EditorFactory:
    """Point $EDITOR at a small shell script with the given body ($1 is the file)."""
    monkeypatch.delenv("VISUAL", raising=False)

    def make(body: str) -> None:
        script = tmp_path / "fake-editor.sh"
        script.write_text("#!/bin/sh\n" + body + "\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("EDITOR", str(script))

    return make


def _count(cli: CliInvoke, who: str) -> int:
    return len(json.loads(cli("timeline", who, "--json").stdout))


FILL = r"""
import sys, pathlib
path = pathlib.Path(sys.argv[1])
text = path.read_text()
text = text.replace("## Advice", "We went through my **packet**.\n\n## Advice", 1)
text = text.replace("## Favours", "- Ask for examples, not adjectives\n\n## Favours", 1)
text = text.replace(
    "## Follow-ups", "- received referral: her packet as a template\n\n## Follow-ups", 1
)
text = text.replace(
    "## Positive action",
    "- me: send her the revised draft by 2026-12-02\n- them: intro to the panel chair\n\n"
    "## Positive action",
    1,
)
text = text.replace("- [ ] #", "- [x] #")
path.write_text(text)
"""


def test_editor_capture_logs_everything_it_parses(
    demo_cli: CliInvoke, editor: EditorFactory, tmp_path: Path
) -> None:
    (tmp_path / "fill.py").write_text(FILL)
    editor(f'python3 "{tmp_path / "fill.py"}" "$1"')
    before = _count(demo_cli, "Priya Raman")
    open_points = json.loads(demo_cli("agenda", "list", "Priya Raman", "--json").stdout)
    assert len(open_points) == 1
    result = demo_cli("log", "Priya Raman", "--kind", "video", "--edit")
    assert result.exit_code == 0, result.output
    assert "Logged video with Priya Raman" in result.stdout
    assert "1 advice, 1 favour(s), 2 follow-up(s)" in result.stdout
    assert "1 agenda point(s) discussed" in result.stdout
    assert _count(demo_cli, "Priya Raman") == before + 1
    latest = json.loads(demo_cli("timeline", "Priya Raman", "--json").stdout)[0]
    assert latest["notes"] == "We went through my **packet**."
    assert json.loads(demo_cli("agenda", "list", "Priya Raman", "--json").stdout) == []
    review = json.loads(demo_cli("advice", "review", "--json").stdout)
    assert any(a["text"] == "Ask for examples, not adjectives" for a in review["pending"])
    brief = json.loads(demo_cli("prep", "Priya Raman", "--json").stdout)
    owed = [loop["text"] for loop in brief["i_owe"]]
    theirs = [loop["text"] for loop in brief["they_owe"]]
    assert "send her the revised draft" in owed
    assert "intro to the panel chair" in theirs
    assert any("her packet as a template" in text for text in owed)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("exit 3", "did not finish cleanly"),
        ("true", "unchanged"),
        (': > "$1"', "empty"),
        ("""sed -i 's/^kind: .*/kind: call/' "$1" """, "empty"),
    ],
)
def test_failed_or_empty_editor_logs_nothing(
    demo_cli: CliInvoke, editor: EditorFactory, body: str, message: str
) -> None:
    editor(body)
    before = _count(demo_cli, "Sam Patel")
    result = demo_cli("log", "Sam Patel", "--edit")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "nothing was logged" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _count(demo_cli, "Sam Patel") == before


def test_terminal_without_note_opens_the_editor(
    cli: CliInvoke, editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentormap.cli import capture

    cli("people", "add", "Sam Patel", "--role", "friend")
    editor("""sed -i 's/^## Advice/Vented about the reorg.\\n\\n## Advice/' "$1" """)
    monkeypatch.setattr(capture, "stdin_is_terminal", lambda: True)
    result = cli("log", "Sam Patel", "--kind", "walk")
    assert result.exit_code == 0, result.output
    assert json.loads(cli("timeline", "Sam", "--json").stdout)[0]["notes"] == (
        "Vented about the reorg."
    )


def test_bad_line_in_template_logs_nothing(cli: CliInvoke, editor: EditorFactory) -> None:
    cli("people", "add", "Sam Patel")
    editor("""sed -i 's/^## Favours/## Favours\\n- borrowed a pen/' "$1" """)
    result = cli("log", "Sam Patel", "--edit")
    assert result.exit_code == 1
    assert "favour" in result.stderr
    assert _count(cli, "Sam Patel") == 0


def test_vent_then_act_makes_a_positive_action_follow_up(demo_cli: CliInvoke) -> None:
    result = demo_cli(
        "log", "Sam Patel", "--kind", "walk", "--note", "Vented.", "--action", "Book the 1:1"
    )
    assert result.exit_code == 0, result.output
    assert "1 positive action(s) as follow-ups" in result.stdout
    brief = demo_cli("prep", "Sam Patel").stdout
    assert "Check on the positive action you committed to: Book the 1:1" in brief


def test_advice_and_covered_flags(demo_cli: CliInvoke) -> None:
    point = json.loads(demo_cli("agenda", "list", "Dana", "--json").stdout)[0]
    result = demo_cli(
        "log",
        "Dana Whitfield",
        "--kind",
        "coffee",
        "--note",
        "Coffee.",
        "--advice",
        "Write the case study",
        "--covered",
        str(point["id"]),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(demo_cli("agenda", "list", "Dana", "--json").stdout) == []
    closed = json.loads(demo_cli("agenda", "list", "Dana", "--all", "--json").stdout)
    assert closed[0]["state"] == "discussed"


def test_covering_someone_elses_point_fails_and_logs_nothing(demo_cli: CliInvoke) -> None:
    point = json.loads(demo_cli("agenda", "list", "Dana", "--json").stdout)[0]
    before = _count(demo_cli, "Sam Patel")
    result = demo_cli("log", "Sam Patel", "--note", "x", "--covered", str(point["id"]))
    assert result.exit_code == 1
    assert "was not part of this conversation" in result.stderr
    assert _count(demo_cli, "Sam Patel") == before


def test_covered_all_for_a_group_session(demo_cli: CliInvoke) -> None:
    demo_cli("agenda", "add", "Leadership circle", "Agree the next date")
    result = demo_cli(
        "log", "Leadership circle", "--kind", "group_session", "--note", "x", "--covered", "all"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(demo_cli("agenda", "list", "Leadership circle", "--json").stdout) == []


def test_advice_needs_a_name_when_several_were_there(demo_cli: CliInvoke) -> None:
    result = demo_cli(
        "log", "Sam Patel", "Jo Nakamura", "--note", "x", "--advice", "Take the leave"
    )
    assert result.exit_code == 1
    assert "Several people were there" in result.stderr
    ok = demo_cli(
        "log", "Sam Patel", "Jo Nakamura", "--note", "x", "--advice", "Jo: Take the leave"
    )
    assert ok.exit_code == 0, ok.output


def test_no_edit_logs_at_once_on_a_terminal(
    cli: CliInvoke, editor: EditorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentormap.cli import capture

    cli("people", "add", "Hiro Tanaka")
    editor("exit 1")  # would refuse, if it were opened
    monkeypatch.setattr(capture, "stdin_is_terminal", lambda: True)
    result = cli("log", "Hiro", "--kind", "ping", "--no-edit")
    assert result.exit_code == 0, result.output
    assert _count(cli, "Hiro") == 1


def test_editor_keeps_needs_reply_and_flag_extras(cli: CliInvoke, editor: EditorFactory) -> None:
    cli("people", "add", "Aisha Khan", "--role", "mentee")
    editor("""sed -i 's/^## Advice/Asks about the tech lead role.\\n\\n## Advice/' "$1" """)
    result = cli("log", "Aisha", "--edit", "--needs-reply", "--advice", "Apply anyway", "--json")
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["needs_reply"] is True and view["direction"] == "inbound"
    assert view["notes"] == "Asks about the tech lead role."
    pending = json.loads(cli("advice", "review", "--json").stdout)["pending"]
    assert [a["text"] for a in pending] == ["Apply anyway"]
