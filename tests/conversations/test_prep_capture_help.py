from __future__ import annotations

import pytest

from tests.conftest import CliInvoke

COMMANDS = [
    ["agenda", "add"],
    ["agenda", "list"],
    ["agenda", "move"],
    ["agenda", "drop"],
    ["goal", "add"],
    ["goal", "list"],
    ["goal", "done"],
    ["achievement", "add"],
    ["achievement", "edit"],
    ["achievement", "list"],
    ["advice", "add"],
    ["advice", "review"],
    ["prep"],
    ["highlights"],
    ["group", "session"],
    ["log"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_new_command_has_help(cli: CliInvoke, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    # the docstring's first line shows up, and every option explains itself
    lines = [line for line in result.stdout.splitlines() if line.strip().startswith("--")]
    assert lines
    for line in lines:
        assert len(line.split()) > 1, line
