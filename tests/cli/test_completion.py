from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import CliInvoke


def test_person_names_complete_from_any_word(cli: CliInvoke) -> None:
    from mentormap.cli.common import complete_person

    cli("people", "add", "Priya Raman")
    cli("people", "add", "Rachel Priddy")
    cli("people", "add", "Omar Said")
    assert complete_person("rac") == ["Rachel Priddy"]
    assert complete_person("pri") == ["Priya Raman", "Rachel Priddy"]  # any word of the name
    assert complete_person("sa") == ["Omar Said"]
    assert complete_person("zz") == []


def test_completion_can_be_installed(cli: CliInvoke) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout


def test_the_shell_completes_names_through_the_lazy_root(cli: CliInvoke) -> None:
    """Completing into a command loads just that command, and its names complete."""
    cli("people", "add", "Priya Raman")
    cli("people", "add", "Omar Said")
    env = {
        **os.environ,
        "_MENTORMAP_COMPLETE": "complete_bash",
        "COMP_WORDS": "mentormap people show Pri",
        "COMP_CWORD": "3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mentormap"], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n") == ["Priya Raman", ""]
