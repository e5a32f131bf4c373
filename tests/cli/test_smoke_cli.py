from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_add_then_list_json(cli: CliInvoke) -> None:
    result = cli("people", "add", "Priya Raman", "--role", "role_model", "--city", "Sydney")
    assert result.exit_code == 0, result.output
    listed = json.loads(cli("people", "list", "--json").stdout)
    assert listed[0]["name"] == "Priya Raman"
    assert listed[0]["roles"] == ["role_model"]


def test_unknown_person_is_one_line_error(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman")
    result = cli("people", "show", "Pria Raman")
    assert result.exit_code == 1
    assert "Did you mean: Priya Raman" in result.stderr
    assert "Traceback" not in result.output
