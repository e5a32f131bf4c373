"""`prospect add/list/move/edit/drop`: found and cultivated, and the role addn at the end."""

from __future__ import annotations

import json

from mentormap.services.context import Ctx
from mentormap.services.people.people import add_person
from tests.conftest import CliInvoke


def test_add_a_new_name_and_an_existing_person(cli: CliInvoke, ctx: Ctx) -> None:
    add_person(ctx, "Chiyo Sato", company="Kite")
    ctx.session.commit()
    known = cli("prospect", "add", "chiyo", "--as", "sponsor", "--why", "Runs the guild")
    assert known.exit_code == 0, known.output
    assert "Chiyo Sato: prospect #1, noticed." in known.output
    assert "(new to your network)" not in known.output
    new = cli("prospect", "add", "Ruth Bell", "--as", "role-model")
    assert "Ruth Bell (new to your network)" in new.output
    rows = json.loads(cli("prospect", "list", "--json").output)
    assert {r["name"]: (r["as"], r["stage"]) for r in rows} == {
        "Chiyo Sato": ("sponsor", "noticed"),
        "Ruth Bell": ("role_model", "noticed"),
    }
    assert all(r["next_step"] for r in rows)
    assert cli("people", "show", "Ruth Bell").exit_code == 0


def test_ambiguous_names_list_candidates_and_nothing_is_added(cli: CliInvoke, ctx: Ctx) -> None:
    add_person(ctx, "Ana Lima", company="A")
    add_person(ctx, "Ana Lopes", company="B")
    ctx.session.commit()
    result = cli("prospect", "add", "Ana", "--as", "mentor")
    assert result.exit_code == 1
    assert "Ana Lima" in result.output and "Ana Lopes" in result.output
    assert json.loads(cli("prospect", "list", "--json").output) == []


def test_bad_input_is_one_line(cli: CliInvoke) -> None:
    bad_as = cli("prospect", "add", "Zoe", "--as", "guru")
    assert bad_as.exit_code == 1 and "Unknown prospect kind 'guru'" in bad_as.output
    cli("prospect", "add", "Zoe Park", "--as", "champion")
    twice = cli("prospect", "add", "Zoe Park", "--as", "sponsor")
    assert twice.exit_code == 1 and "already a prospect" in twice.output
    stage = cli("prospect", "move", "Zoe", "best_friends")
    assert stage.exit_code == 1 and "Unknown stage" in stage.output
    nobody = cli("prospect", "move", "Nobody Here", "in_touch")
    assert nobody.exit_code == 1 and "Traceback" not in nobody.output


def test_moving_to_role_given_gives_the_role_clocked_from_first_contact(cli: CliInvoke) -> None:
    cli("prospect", "add", "Chiyo Sato", "--as", "mentor")
    cli("log", "Chiyo Sato", "--kind", "coffee", "--on", "2026-06-02")
    cli("log", "Chiyo Sato", "--kind", "call", "--on", "2026-09-10")
    for stage in ("in_touch", "shared_interest", "asked_advice", "recurring"):
        moved = cli("prospect", "move", "Chiyo", stage)
        assert moved.exit_code == 0, moved.output
        assert "Next:" in moved.output
    given = cli("prospect", "move", "Chiyo", "role_given")
    # A mentor who holds the job you want is the catalogue's role model.
    assert "She is now your role model, since 2026-06-02." in given.output
    person = json.loads(cli("people", "show", "Chiyo Sato", "--json").output)
    assert person["roles"] == ["role_model"]
    assert person["role_details"][0]["since"] == "2026-06-02"
    assert json.loads(cli("prospect", "list", "--json").output)[0]["stage"] == "role_given"


def test_edit_and_drop_keep_the_person_and_her_role(cli: CliInvoke) -> None:
    cli("prospect", "add", "Chiyo Sato", "--as", "sponsor", "--why", "x")
    edited = cli("prospect", "edit", "Chiyo", "--as", "champion", "--why", "Sends CFPs")
    assert "prospect as champion" in edited.output
    row = json.loads(cli("prospect", "list", "--json").output)[0]
    assert (row["as"], row["why"]) == ("champion", "Sends CFPs")
    cli("prospect", "move", "Chiyo", "role_given")
    dropped = cli("prospect", "drop", "Chiyo")
    assert "no longer a prospect" in dropped.output
    assert json.loads(cli("prospect", "list", "--json").output) == []
    person = json.loads(cli("people", "show", "Chiyo Sato", "--json").output)
    assert person["roles"] == ["champion"]
