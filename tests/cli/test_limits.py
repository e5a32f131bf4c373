"""Out-of-range durations, dates and money end in one line, and nothing is stored."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("role", "add", "Sam Patel", "friend", "--cadence", "9000y"), "is too long"),
        (("people", "edit", "Sam Patel", "--cadence", "99999999999d"), "is too long"),
        (("reply-window", "--others", "9000y"), "is too long"),
        (("log", "Sam Patel", "--on", "-999999999999d"), "is too long"),
        (("snooze", "Sam Patel", "--for", "9000y"), "is too long"),
        (("snooze", "Sam Patel", "--until", "+99999999999999d"), "is too long"),
        (("log", "Sam Patel", "--on", "0001-01-01"), "is out of range"),
        (("group", "create", "Circle", "--cadence", "100y"), "is too long"),
        (("config", "set", "coaching_budget", "nan"), "is not an amount of money"),
        (("config", "set", "coaching_budget", "Infinity"), "is not an amount of money"),
        (("prep", ""), "Name someone"),
    ],
)
def test_out_of_range_input_is_refused(cli: CliInvoke, args: tuple[str, ...], message: str) -> None:
    cli("people", "add", "Sam Patel", "--role", "friend")
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    sam = json.loads(cli("people", "show", "Sam Patel", "--json").stdout)
    assert sam["interactions"] == [] and sam["cadence_days"] is None
    assert cli("today").exit_code == 0 and cli("health").exit_code == 0
