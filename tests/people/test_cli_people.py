"""The people, role, tag and attr commands through the CLI runner."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_make_run_on_an_empty_database_tells_how_to_start(cli: CliInvoke) -> None:
    result = cli("people", "list")
    assert result.exit_code == 0
    assert "Your network is empty" in result.stdout
    assert "mentormap demo" in result.stdout


def test_add_show_edit_archive_delete(cli: CliInvoke) -> None:
    added = cli(
        "people", "add", "Priya Raman", "--email", "Priya@Harbour.example", "--company",
        "Harbour Systems", "--city", "Sydney", "--tz", "Australia/Sydney", "--role", "role-model",
        "--tag", "staff-eng", "--format", "video call", "--link", "linkedin.com/in/priya",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Added Priya Raman (#1) as role_model." in added.stdout
    shown = json.loads(cli("people", "show", "priya@harbour.example", "--json").stdout)
    assert shown["emails"] == ["priya@harbour.example"]
    assert shown["roles"] == ["role_model"]
    assert shown["tags"] == ["staff-eng"]
    assert shown["links"] == [{"kind": "linkedin", "url": "https://linkedin.com/in/priya"}]
    assert shown["interactions"] == []
    edited = cli("people", "edit", "Priya", "--title", "Principal Engineer", "--cadence", "3w")
    assert edited.exit_code == 0 and "Updated Priya Raman." in edited.stdout
    text = cli("people", "show", "Priya").stdout
    assert (
        "Principal Engineer" in text
        and "Every 21 days by her own setting" in text
        and "Sydney" in text
    )
    assert cli("people", "archive", "Priya").exit_code == 0
    assert json.loads(cli("people", "list", "--json").stdout) == []
    archived = json.loads(cli("people", "list", "--archived", "--json").stdout)
    assert archived[0]["archived"] is True
    assert "Restored" in cli("people", "archive", "Priya", "--undo").stdout
    refused = cli("people", "delete", "Priya", input="n\n")
    assert refused.exit_code == 1
    assert "Pass --yes" in refused.stderr  # the runner has no terminal
    assert cli("people", "delete", "Priya", "--yes").exit_code == 0
    assert json.loads(cli("people", "list", "--archived", "--json").stdout) == []


def test_bad_values_are_one_line_errors(cli: CliInvoke) -> None:
    cases = [
        (("people", "add", "X", "--email", "not-an-email"), "is not an email address"),
        (("people", "add", "X", "--tz", "Nowhere/Land"), "Unknown time zone"),
        (("people", "add", "X", "--cadence", "often"), "is not a duration"),
        (("people", "add", "X", "--met-on", "2026-13-01"), "is not a date"),
        (("people", "add", "  "), "A person needs a name."),
        (("people", "list", "--sort", "age"), "Unknown sort 'age'"),
        (("people", "list", "--role", "boss"), "Unknown role 'boss'"),
    ]
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(cli("people", "list", "--json").stdout) == []


def test_list_filters_and_sorts(cli: CliInvoke) -> None:
    cli("people", "add", "Zed Alpha", "--company", "Acme", "--city", "London", "--role", "sponsor")
    cli("people", "add", "Amy Beta", "--company", "Beta Co", "--city", "Berlin", "--tag", "cfp")
    cli("people", "add", "Max Gamma", "--company", "Acme", "--city", "london")

    def names(*args: str) -> list[str]:
        result = cli("people", "list", "--json", *args)
        assert result.exit_code == 0, result.output
        return [p["name"] for p in json.loads(result.stdout)]

    assert names() == ["Amy Beta", "Max Gamma", "Zed Alpha"]
    assert names("--city", "London") == ["Max Gamma", "Zed Alpha"]
    assert names("--company", "acme", "--sort", "added") == ["Max Gamma", "Zed Alpha"]
    assert names("--role", "sponsor") == ["Zed Alpha"]
    assert names("--tag", "cfp") == ["Amy Beta"]
    assert names("--search", "berl") == ["Amy Beta"]
    assert names("--sort", "company", "--limit", "1") == ["Max Gamma"]
    table = cli("people", "list").stdout
    assert "Zed Alpha" in table and "sponsor" in table and "3 people" in table


def test_ambiguous_and_unknown_names(cli: CliInvoke) -> None:
    cli("people", "add", "Sam Patel", "--company", "Lumen")
    cli("people", "add", "Sam Okafor", "--city", "Lagos")
    ambiguous = cli("people", "show", "sam")
    assert ambiguous.exit_code == 1
    assert "'sam' matches 2 people" in ambiguous.stderr
    assert (
        "Sam Okafor (Lagos) #2" in ambiguous.stderr and "Sam Patel (Lumen) #1" in ambiguous.stderr
    )
    unknown = cli("people", "show", "Sam Patell")
    assert unknown.exit_code == 1 and "Did you mean: Sam Patel" in unknown.stderr
    nothing = cli("people", "show", "Zzyzx")
    assert nothing.exit_code == 1 and nothing.stderr.strip() == "Error: No one called 'Zzyzx'."
    assert cli("people", "show", "#2").exit_code == 0
    assert "No person with id #9" in cli("people", "show", "#9").stderr


def test_merge_keeps_both_histories(cli: CliInvoke) -> None:
    cli("people", "add", "Priya Raman", "--email", "priya@a.example", "--role", "role_model")
    cli("people", "add", "P. Raman", "--email", "praman@b.example", "--city", "Sydney")
    cli("log", "Priya Raman", "--kind", "call", "--on", "2026-10-01")
    cli("log", "P. Raman", "--kind", "lunch", "--on", "2026-11-01")
    result = cli("people", "merge", "Priya Raman", "P. Raman", "--yes")
    assert (
        result.exit_code == 0
        and "Merged P. Raman (#" in result.stdout
        and ") into Priya Raman (#" in result.stdout
    )
    merged = json.loads(cli("people", "show", "Priya", "--json").stdout)
    assert merged["emails"] == ["priya@a.example", "praman@b.example"]
    assert merged["city"] == "Sydney"
    assert [i["kind"] for i in merged["interactions"]] == ["lunch", "call"]
    assert merged["last_contact_on"] == "2026-11-01"
    assert len(json.loads(cli("people", "list", "--json").stdout)) == 1
    assert (
        "Cannot merge a person with herself"
        in cli("people", "merge", "Priya", "Priya", "--yes").stderr
    )


def test_roles_give_update_and_take(cli: CliInvoke) -> None:
    cli("people", "add", "Chiara Bellini")
    given = cli("role", "add", "Chiara", "champion", "--cadence", "60d", "--note", "CFPs")
    assert given.exit_code == 0
    assert "Chiara Bellini is your champion since 2026-11-25, every 60 days." in given.stdout
    again = cli("role", "add", "Chiara", "champion", "--cadence", "2w")
    assert "every 14 days" in again.stdout
    detail = json.loads(cli("people", "show", "Chiara", "--json").stdout)
    assert [(r["key"], r["cadence_days"], r["note"]) for r in detail["role_details"]] == [
        ("champion", 14, "CFPs")
    ]
    assert cli("role", "remove", "Chiara", "champion").exit_code == 0
    assert json.loads(cli("people", "show", "Chiara", "--json").stdout)["roles"] == []
    missing = cli("role", "remove", "Chiara", "champion")
    assert missing.exit_code == 1 and "is not your champion" in missing.stderr
    assert "Unknown role 'guru'" in cli("role", "add", "Chiara", "guru").stderr
    future = cli("role", "add", "Chiara", "sponsor", "--since", "2027-01-01")
    assert "cannot start in the future" in future.stderr


def test_tags_and_attributes(cli: CliInvoke) -> None:
    cli("people", "add", "Ana Lima")
    cli("people", "add", "Bo Chen")
    assert cli("tag", "add", "Ana", "Speaking", "cfp").exit_code == 0
    cli("tag", "add", "Bo", "cfp")
    assert json.loads(cli("tag", "list", "--json").stdout) == [
        {"tag": "cfp", "people": 2},
        {"tag": "speaking", "people": 1},
    ]
    assert cli("tag", "remove", "Ana", "cfp").exit_code == 0
    assert "has no tag" in cli("tag", "remove", "Ana", "cfp").stderr
    assert "is not a tag" in cli("tag", "add", "Ana", "!!").stderr
    assert cli("attr", "set", "Ana", "Seniority", "principal").exit_code == 0
    cli("attr", "set", "Bo", "seniority", "senior")
    cli("attr", "set", "Bo", "seniority", "principal")
    assert json.loads(cli("attr", "values", "seniority", "--json").stdout) == [
        {"value": "principal", "people": 2}
    ]
    assert json.loads(cli("people", "show", "Bo", "--json").stdout)["attributes"] == {
        "seniority": "principal"
    }
    assert cli("attr", "unset", "Bo", "seniority").exit_code == 0
    assert "has no attribute" in cli("attr", "unset", "Bo", "seniority").stderr
    assert "tag list" not in cli("tag", "list").stdout  # a table, not an error
