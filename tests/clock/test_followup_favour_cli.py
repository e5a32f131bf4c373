"""`mentormap followup …` and `mentormap favour …` through the CLI runner."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.fixture
def people(cli: CliInvoke) -> CliInvoke:
    ok(cli("people", "add", "Dana Whitfield", "--role", "sponsor"))
    ok(cli("people", "add", "Jo Nakamura", "--role", "work_friend"))
    ok(cli("group", "create", "Leadership circle"))
    return cli


def test_followup_add_list_done(people: CliInvoke) -> None:
    made = json.loads(ok(people("followup", "add", "Jo", "Book lunch", "--due", "+3d", "--json")))
    assert made["name"] == "Jo Nakamura"
    assert made["due_on"] == "2026-11-28"
    assert made["owed_by"] == "me"
    ok(people("followup", "add", "Dana", "Send the charter", "--theirs", "--due", "-2d"))
    ok(people("followup", "add", "Leadership circle", "Share the reading list"))
    listed = json.loads(ok(people("followup", "list", "--json")))
    assert [f["title"] for f in listed] == [
        "Send the charter",
        "Book lunch",
        "Share the reading list",
    ]
    assert listed[0]["owed_by"] == "them" and listed[0]["days_overdue"] == 2
    assert listed[2]["name"] == "Leadership circle"
    assert "Done: Book lunch" in ok(people("followup", "done", str(made["id"])))
    assert "Book lunch" not in ok(people("followup", "list"))
    assert "Book lunch" in ok(people("followup", "list", "--all"))
    assert "Book lunch" not in ok(people("followup", "list", "--person", "Dana"))


def test_followup_snooze_and_cancel(people: CliInvoke) -> None:
    made = json.loads(ok(people("followup", "add", "Jo", "Book lunch", "--due", "today", "--json")))
    fid = str(made["id"])
    ok(people("followup", "snooze", fid, "--until", "+1w"))
    assert json.loads(ok(people("today", "--json")))["follow_ups"] == []
    assert "snoozed to 2026-12-02" in ok(people("followup", "list"))
    ok(people("followup", "cancel", fid))
    assert json.loads(ok(people("followup", "list", "--json"))) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("followup", "done", "999"), "No follow-up with id 999"),
        (("followup", "add", "Nobody", "Something"), "No one called"),
        (("followup", "add", "Jo", "  "), "needs a title"),
        (("followup", "add", "Jo", "Lunch", "--due", "someday"), "not a date"),
    ],
)
def test_followup_bad_input(people: CliInvoke, args: tuple[str, ...], message: str) -> None:
    result = people(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(ok(people("followup", "list", "--all", "--json"))) == []


def test_followup_snooze_into_the_past_is_refused(people: CliInvoke) -> None:
    made = json.loads(ok(people("followup", "add", "Jo", "Book lunch", "--json")))
    result = people("followup", "snooze", str(made["id"]), "--until", "yesterday")
    assert result.exit_code == 1 and "after today" in result.stderr


def test_favour_loop_through_the_cli(people: CliInvoke) -> None:
    out = ok(
        people("favour", "add", "Dana", "Put my name forward", "--kind", "project", "--on", "-2d")
    )
    assert "Next: Act on it." in out
    favour = json.loads(ok(people("favour", "list", "--json")))[0]
    fid = str(favour["id"])
    assert favour["state"] == "received" and favour["direction"] == "received"
    rules = {f["rule"] for f in json.loads(ok(people("followup", "list", "--json")))}
    assert rules == {"act_on_favour", "thank_you"}

    ok(people("log", "Dana", "--kind", "message", "--direction", "outbound", "--note", "Thanks!"))
    rules = {f["rule"] for f in json.loads(ok(people("followup", "list", "--json")))}
    assert rules == {"act_on_favour"}

    assert "Next: tell Dana Whitfield" in ok(people("favour", "acted", fid))
    rules = {f["rule"] for f in json.loads(ok(people("followup", "list", "--json")))}
    assert rules == {"report_back"}
    assert "Loop closed" in ok(people("favour", "reported", fid, "--kind", "coffee"))
    assert json.loads(ok(people("followup", "list", "--json"))) == []
    timeline = json.loads(ok(people("timeline", "Dana", "--json")))
    told = [t for t in timeline if t["kind"] == "coffee"]
    assert len(told) == 1 and told[0]["direction"] == "outbound"
    assert "Put my name forward" in told[0]["notes"]
    done = json.loads(ok(people("favour", "list", "--json")))[0]
    assert done["state"] == "reported_back" and done["next_step"] is None
    again = people("favour", "reported", fid)
    assert again.exit_code == 1 and "already reported back" in again.stderr


def test_favour_reported_without_logging(people: CliInvoke) -> None:
    ok(people("favour", "add", "Dana", "An intro", "--acted", "today"))
    fid = str(json.loads(ok(people("favour", "list", "--json")))[0]["id"])
    ok(people("favour", "reported", fid, "--no-log"))
    assert json.loads(ok(people("timeline", "Dana", "--json"))) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("favour", "add", "Dana", "An intro", "--on", "tomorrow"), "in the future"),
        (("favour", "add", "Dana", "An intro", "--kind", "bribe"), "Unknown favour kind"),
        (("favour", "add", "Dana", "An intro", "--given", "--acted", "today"), "Only a favour"),
        (("favour", "add", "Dana", "An intro", "--on", "-3d", "--acted", "-5d"), "before you"),
        (("favour", "acted", "42"), "No favour with id 42"),
        (("favour", "list", "--direction", "sideways"), "Unknown direction"),
    ],
)
def test_favour_bad_input_writes_nothing(
    people: CliInvoke, args: tuple[str, ...], message: str
) -> None:
    result = people(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(ok(people("favour", "list", "--json"))) == []
    assert json.loads(ok(people("followup", "list", "--all", "--json"))) == []


def test_favour_list_filters_and_reciprocity(people: CliInvoke) -> None:
    ok(people("favour", "add", "Dana", "A project", "--on", "-30d"))
    ok(people("favour", "add", "Dana", "A referral", "--kind", "referral", "--on", "-20d"))
    ok(people("favour", "add", "Jo", "Reviewed her doc", "--given"))
    assert len(json.loads(ok(people("favour", "list", "--direction", "given", "--json")))) == 1
    assert len(json.loads(ok(people("favour", "list", "--person", "Dana", "--json")))) == 2
    assert len(json.loads(ok(people("favour", "list", "--open", "--json")))) == 2
    rows = json.loads(ok(people("favour", "reciprocity", "--json")))
    assert rows[0]["name"] == "Dana Whitfield" and rows[0]["taken_much"] is True
    screen = ok(people("favour", "reciprocity"))
    assert "look for a way to help" in screen
    assert "No favours recorded" in ok(
        people("favour", "list", "--person", "Jo", "--direction", "received")
    )


def test_advice_in_a_logged_conversation_opens_a_thank_you(people: CliInvoke) -> None:
    ok(
        people(
            "log", "Dana", "--kind", "coffee", "--advice", "Show impact, not effort", "--no-edit"
        )
    )
    open_now = json.loads(ok(people("followup", "list", "--json")))
    assert [(f["rule"], f["title"]) for f in open_now] == [
        ("thank_you", "Say thank you to Dana Whitfield for the advice")
    ]
    assert open_now[0]["due_on"] == "2026-11-27"
    ok(people("log", "Dana", "--kind", "message", "--direction", "outbound", "--no-edit"))
    assert json.loads(ok(people("followup", "list", "--json"))) == []


def test_favour_captured_with_a_conversation_opens_its_loop(people: CliInvoke) -> None:
    from mentormap.db import Database
    from mentormap.domain.capture import CapturedFavour
    from mentormap.services.conversations.capture import Extras, record_extras
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.resolve import find_person
    from mentormap.services.unit import open_ctx
    from mentormap.settings import Settings

    db = Database.open(Settings.load())
    with open_ctx(db) as ctx:
        dana = find_person(ctx, "Dana")
        call = log_interaction(ctx, [dana], kind="call")
        extras = Extras(favours=[CapturedFavour("received", "introduction", "Intro to Sam", None)])
        record_extras(ctx, call, [dana], extras)
    db.close()
    rules = sorted(f["rule"] for f in json.loads(ok(people("followup", "list", "--json"))))
    assert rules == ["act_on_favour", "thank_you"]
    assert json.loads(ok(people("favour", "list", "--json")))[0]["next_step"] == "Act on it."
