"""Names found the way people type them: case- and accent-blind in every script, CJK exact."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import text

from mentormap.domain.folding import fold, spell_out
from mentormap.errors import NotFound
from mentormap.services.context import Ctx
from mentormap.services.people.browse import name_suggestions
from mentormap.services.people.people import (
    PeopleFilter,
    add_person,
    edit_person,
    list_people,
    name_completions,
)
from mentormap.services.people.resolve import find_person
from tests.conftest import CliInvoke

NAMES = [
    "Zoë Ó Briain",
    "Søren Kierkegaard",
    "Ólöf Þórsson",
    "Jürgen Weiß",
    "王小明",
    "Chloé Dubois",
]


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Zoë", "zoe"),
        ("ZOË", "zoe"),
        (nfd("Zoë"), "zoe"),
        ("Søren", "soren"),
        ("SØREN", "soren"),
        ("Þórsson", "thorsson"),
        ("Jürgen", "jurgen"),
        ("Weiß", "weiss"),
        ("Łukasz Đorđević", "lukasz dordevic"),
        ("Æsa Œdipe", "aesa oedipe"),
        ("  Zoë   Ó  Briain ", "zoe o briain"),
        ("王小明", "王小明"),
    ],
)
def test_fold(typed: str, key: str) -> None:
    assert fold(typed) == key


def test_spell_out_keeps_case_and_separable_accents() -> None:
    assert spell_out("Søren Þórsson") == "Soren Thórsson"
    assert spell_out("Ingrid") == "Ingrid"  # plain capitals stay as they are


@pytest.fixture
def people(ctx: Ctx) -> Ctx:
    for name in NAMES:
        add_person(ctx, name)
    ctx.session.flush()
    return ctx


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("zoe o briain", "Zoë Ó Briain"),
        ("ZOË Ó BRIAIN", "Zoë Ó Briain"),
        (nfd("Zoë Ó Briain"), "Zoë Ó Briain"),
        ("Ó Briain", "Zoë Ó Briain"),
        ("o briain", "Zoë Ó Briain"),
        ("soren", "Søren Kierkegaard"),
        ("thorsson", "Ólöf Þórsson"),
        ("olof", "Ólöf Þórsson"),
        ("jurgen weiss", "Jürgen Weiß"),
        ("chloe", "Chloé Dubois"),
        ("王小明", "王小明"),
        ("小明", "王小明"),
    ],
)
def test_find_person_is_case_and_accent_blind(people: Ctx, typed: str, found: str) -> None:
    assert find_person(people, typed).name == found


def test_cjk_is_matched_as_written(people: Ctx) -> None:
    with pytest.raises(NotFound):
        find_person(people, "王大明")


def test_list_search_completion_and_suggestions_use_the_key(people: Ctx) -> None:
    assert [p.name for p in list_people(people, PeopleFilter(search="soren"))] == [
        "Søren Kierkegaard"
    ]
    assert [p.name for p in list_people(people, PeopleFilter(search="CHLOE"))] == ["Chloé Dubois"]
    assert name_completions(people, "jur") == ["Jürgen Weiß"]
    assert name_completions(people, "thor") == ["Ólöf Þórsson"]  # a later word of the name
    assert name_suggestions(people, "briain") == ["Zoë Ó Briain"]
    assert name_suggestions(people, nfd("Zoë")) == ["Zoë Ó Briain"]


def test_the_key_follows_every_rename(people: Ctx) -> None:
    person = find_person(people, "soren")
    edit_person(people, person, name="Søren Ørsted")
    assert find_person(people, "orsted").id == person.id
    with pytest.raises(NotFound):
        find_person(people, "kierkegaard")


def test_the_lookup_is_one_indexed_query(people: Ctx) -> None:
    plan = people.session.execute(
        text("EXPLAIN QUERY PLAN SELECT id FROM people WHERE owner_id = 1 AND name_key = 'soren'")
    ).all()
    assert any("ix_people_owner_name_key" in str(row) for row in plan)


def test_cli_show_and_list(cli: CliInvoke) -> None:
    assert cli("people", "add", "Zoë Ó Briain", "--company", "Acme").exit_code == 0
    assert cli("people", "add", "Søren Ørsted").exit_code == 0
    shown = cli("people", "show", "Ó Briain", "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["name"] == "Zoë Ó Briain"
    listed = cli("people", "list", "-s", "soren", "--json")
    assert [p["name"] for p in json.loads(listed.output)] == ["Søren Ørsted"]


def test_imported_people_get_their_key(ctx: Ctx) -> None:
    from mentormap.services.interop.imports import import_file

    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Åsa Nørgaard\nEND:VCARD\n".encode()
    import_file(ctx, card, fmt="vcard")
    assert find_person(ctx, "asa norgaard").name == "Åsa Nørgaard"


def test_restore_works_the_keys_out_again(
    cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("people", "add", "Søren Ørsted").exit_code == 0
    assert cli("people", "add", "Zoë Ó Briain").exit_code == 0
    backup = tmp_path / "backup.json"
    assert cli("export", "--format", "json", "-o", str(backup)).exit_code == 0
    document = json.loads(backup.read_text())
    people = document["tables"]["people"]
    at = people["columns"].index("name_key")
    # A hostile key on one row, and a backup from before the key on the other.
    people["rows"][0][at] = "someone else"
    backup.write_text(json.dumps(document))
    older = tmp_path / "older.json"
    people["columns"].pop(at)
    for row in people["rows"]:
        row.pop(at)
    older.write_text(json.dumps(document))
    for source in (backup, older):
        monkeypatch.setenv("MENTORMAP_DB", str(tmp_path / f"{source.stem}.db"))
        assert cli("restore", str(source)).exit_code == 0
        assert json.loads(cli("people", "show", "soren", "--json").output)["name"] == "Søren Ørsted"
        assert json.loads(cli("people", "show", "o briain", "--json").output)["id"] == 2
