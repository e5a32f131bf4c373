"""Every command and sub-command has help text, and --help works everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from mentormap.cli.app import app


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app)))


def test_there_are_many_commands() -> None:
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) or "root" for p, _ in COMMANDS])
def test_command_has_help(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"`mentormap {' '.join(path)}` has no help text"
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert (param.help or "").strip(), f"option {param.name} of {path} has no help"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
