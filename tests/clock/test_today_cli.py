"""`mentormap today`, `snooze`, `reconnect`, `reply-window` and `roles` through the CLI runner."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_today_json_shape_on_the_demo(demo_cli: CliInvoke) -> None:
    agenda = json.loads(ok(demo_cli("today", "--json")))
    assert {"owed_replies", "follow_ups", "due", "visiting", "reconnect", "hidden"} <= set(agenda)
    assert agenda["today"] == "2026-11-25"
    assert 0 < len(agenda["due"]) <= 8
    for entry in agenda["due"]:
        assert {"name", "warmth", "due_on", "roles", "suggestion"} <= set(entry)
        assert entry["warmth"] in ("warm", "cooling", "cold")
        assert entry["due_on"] <= "2026-11-25"
        assert entry["suggestion"]
    assert [o["name"] for o in agenda["owed_replies"]] == ["Aisha Khan"]
    assert agenda["owed_replies"][0]["due_on"] == "2026-11-25"  # two days for a mentee
    assert [v["name"] for v in agenda["visiting"]] == ["Chiara Bellini"]
    titles = [f["title"] for f in agenda["follow_ups"]]
    assert "Book lunch to debrief the reorg" in titles
    assert "Record the dry run and send it to Ruth" not in titles  # done
    margaret = next(e for e in agenda["due"] if e["name"] == "Margaret Okafor")
    assert margaret["roles"] == ["visionary"]
    assert margaret["suggestion"].startswith("Send a short highlights email")
    assert "Likes: highlights email" in margaret["suggestion"]


def test_today_all_lists_more(demo_cli: CliInvoke) -> None:
    short = json.loads(ok(demo_cli("today", "--json")))
    everything = json.loads(ok(demo_cli("today", "--all", "--json")))
    assert len(everything["due"]) == len(short["due"]) + short["hidden"]["due"] + sum(
        1 for e in everything["due"] if e["warmth"] == "dormant"
    )
    assert any(e["warmth"] == "dormant" for e in everything["due"])
    assert len(everything["follow_ups"]) >= len(short["follow_ups"])


def test_today_screen_on_the_demo(demo_cli: CliInvoke) -> None:
    out = ok(demo_cli("today"))
    for heading in ("Replies you owe", "Follow-ups", "Visiting soon", "Due", "Reconnect"):
        assert heading in out
    assert "Aisha Khan" in out
    assert "Chiara Bellini" in out
    assert "mentormap today --all" in out


def test_today_on_an_empty_network(cli: CliInvoke) -> None:
    assert "Nothing due" in ok(cli("today"))
    agenda = json.loads(ok(cli("today", "--json")))
    assert agenda["due"] == [] and agenda["owed_replies"] == [] and agenda["follow_ups"] == []


def test_logging_takes_someone_off_the_due_list(demo_cli: CliInvoke) -> None:
    due = json.loads(ok(demo_cli("today", "--all", "--json")))["due"]
    name = next(e["name"] for e in due if e["kind"] == "person")
    ok(demo_cli("log", name, "--kind", "call", "--on", "yesterday"))
    after = json.loads(ok(demo_cli("today", "--all", "--json")))["due"]
    assert name not in [e["name"] for e in after]


def test_snooze_hides_until_the_date(demo_cli: CliInvoke) -> None:
    due = json.loads(ok(demo_cli("today", "--all", "--json")))["due"]
    name = next(e["name"] for e in due if e["kind"] == "person")
    assert "Snoozed" in ok(demo_cli("snooze", name, "--for", "2w"))
    assert name not in [
        e["name"] for e in json.loads(ok(demo_cli("today", "--all", "--json")))["due"]
    ]
    ok(demo_cli("snooze", name, "--clear"))
    assert name in [e["name"] for e in json.loads(ok(demo_cli("today", "--all", "--json")))["due"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("snooze", "Sam Patel", "--until", "2026-11-20"), "after today"),
        (("snooze", "Sam Patel"), "exactly one of"),
        (("snooze", "Nobody Here", "--for", "1w"), "No one called"),
        (("snooze", "Sam Patel", "--for", "soon"), "not a duration"),
    ],
)
def test_snooze_bad_input(demo_cli: CliInvoke, args: tuple[str, ...], message: str) -> None:
    result = demo_cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    shown = json.loads(ok(demo_cli("people", "show", "Sam Patel", "--json")))
    assert shown["snoozed_until"] is None


def test_reconnect_ranks_outside_employer_then_longest_silence(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Inside Colleague", "--company", "Quokka Labs"))
    ok(cli("people", "add", "Outside Recent", "--company", "Tessellate"))
    ok(cli("people", "add", "Outside Oldest", "--company", "Northwind"))
    ok(cli("people", "add", "Warm Friend", "--role", "friend"))
    ok(cli("log", "Inside Colleague", "--on", "2023-01-01"))
    ok(cli("log", "Outside Oldest", "--on", "2022-06-01"))
    ok(cli("log", "Outside Recent", "--on", "2023-06-01"))
    ok(cli("log", "Warm Friend"))
    from mentormap.db import Database
    from mentormap.models import Preference
    from mentormap.services.unit import open_ctx
    from mentormap.settings import Settings

    db = Database.open(Settings.load())
    with open_ctx(db) as ctx:
        ctx.session.add(Preference(owner_id=ctx.owner_id, key="employer", value="Quokka Labs"))
    db.close()
    picks = json.loads(ok(cli("reconnect", "--json")))
    assert [p["name"] for p in picks] == ["Outside Oldest", "Outside Recent", "Inside Colleague"]
    assert all(p["warmth"] == "dormant" for p in picks)
    assert picks[0]["suggestion"].startswith("Reconnect:")
    assert "Outside Oldest" in ok(cli("reconnect", "--limit", "1"))


def test_reply_window_show_and_set(cli: CliInvoke) -> None:
    assert json.loads(ok(cli("reply-window", "--json"))) == {"mentee_days": 2, "other_days": 7}
    ok(cli("reply-window", "--mentees", "1d", "--others", "2w"))
    assert "1 days to mentees, 14 days" in ok(cli("reply-window"))
    bad = cli("reply-window", "--others", "0d")
    assert bad.exit_code == 1 and "not a duration" in bad.stderr


def test_roles_catalogue(cli: CliInvoke) -> None:
    catalogue = json.loads(ok(cli("roles", "--json")))
    assert len(catalogue) == 10
    by_key = {r["key"]: r for r in catalogue}
    assert by_key["friend"]["cadence_days"] == 14
    assert by_key["visionary"]["cadence_days"] == 91
    assert by_key["mentee"]["cadence_days"] is None
    assert by_key["coach"]["cadence_days"] is None
    assert by_key["contact"]["cadence_days"] == 182
    for role in catalogue:
        assert role["good_for"] and role["watch_out"] and role["next_action"]
    table = ok(cli("roles"))
    assert "role_model" in table and "dormant" in table
    full = ok(cli("roles", "visionary"))
    assert "Watch out" in full and "highlights" in full
    bad = cli("roles", "guru")
    assert bad.exit_code == 1 and "Unknown role" in bad.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["today"],
        ["snooze"],
        ["reconnect"],
        ["reply-window"],
        ["roles"],
        ["followup", "add"],
        ["followup", "list"],
        ["followup", "done"],
        ["followup", "snooze"],
        ["followup", "cancel"],
        ["favour", "add"],
        ["favour", "list"],
        ["favour", "acted"],
        ["favour", "reported"],
        ["favour", "reciprocity"],
    ],
)
def test_every_command_has_help(cli: CliInvoke, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) > 3


def test_today_shows_only_visits_to_your_home_city(demo_cli: CliInvoke) -> None:
    demo_cli("trip", "add", "Sydney", "--person", "Wen Tanaka", "--from", "2026-11-26",
             "--to", "2026-11-28")  # fmt: skip
    visiting = [v["name"] for v in json.loads(demo_cli("today", "--json").stdout)["visiting"]]
    assert visiting == ["Chiara Bellini"]  # her visit is to London, the demo's home city
    demo_cli("config", "unset", "home_city")
    visiting = [v["name"] for v in json.loads(demo_cli("today", "--json").stdout)["visiting"]]
    assert sorted(visiting) == ["Chiara Bellini", "Wen Tanaka"]
