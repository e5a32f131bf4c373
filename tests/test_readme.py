"""The README's tour cannot drift: every `$ mentormap …` line in it runs, in order, on a fresh
demo database, and ends the way the README shows (an `Error:` line means exit status 1)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import CliInvoke

ROOT = Path(__file__).resolve().parents[1]


def tour_commands() -> list[tuple[list[str], bool]]:
    """(arguments, expect_error) for each `$ mentormap` line of the README's console blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        lines = block.splitlines()
        for index, line in enumerate(lines):
            if not line.startswith("$ mentormap"):
                continue
            command = line[2:].split(" | ")[0]  # a pipe into jq or head is the shell's business
            following = lines[index + 1] if index + 1 < len(lines) else ""
            commands.append((shlex.split(command)[1:], following.startswith("Error:")))
    return commands


def test_the_readme_has_a_tour() -> None:
    assert len(tour_commands()) >= 5
    assert tour_commands()[0][0][0] == "demo"


def test_every_tour_command_runs_as_shown(
    cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    monkeypatch.chdir(tmp_path)
    for args, expect_error in tour_commands():
        result = cli(*args)
        expected = 1 if expect_error else 0
        assert result.exit_code == expected, f"mentormap {' '.join(args)}\n{result.output}"
