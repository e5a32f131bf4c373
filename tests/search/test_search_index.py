"""The index's schema (migration 0221): prefix indexes, made again correctly over an old index,
and prefixes too short to be worth merging refused in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mentormap.db import Database, alembic_config
from mentormap.services.search.query import match_expression
from tests.conftest import CliInvoke


def _entries(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT rowid, name, expertise, work, body, alt FROM search_index ORDER BY rowid"
        ).fetchall()


def _schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE name LIKE 'search_index%' "
                "AND sql IS NOT NULL"
            ).fetchall()
        )


def test_the_upgrade_makes_the_index_again_with_prefixes(
    cli: CliInvoke, db: Database, db_path: Path
) -> None:
    from alembic import command

    assert cli("people", "add", "Søren Ørsted", "--expertise", "Kubernetes").exit_code == 0
    assert cli("log", "Søren Ørsted", "-k", "call", "--no-edit", "-n", "Roadmap").exit_code == 0
    made = _entries(db_path)
    head = _schema(db_path)
    assert "prefix = '2 3 4'" in head["search_index"]
    config = alembic_config(db.settings.database_url)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0181")
    old = _schema(db_path)
    assert "prefix" not in old["search_index"] and set(old) == set(head)
    assert _entries(db_path) == made
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert _schema(db_path) == head and _entries(db_path) == made
    # Its triggers are there and work: a write after the upgrade is found, by a prefix too.
    assert cli("people", "edit", "Søren Ørsted", "--title", "Gardener").exit_code == 0
    found = json.loads(cli("search", "gard*", "--json").output)
    assert [(hit["type"], hit["person"]) for hit in found] == [("person", "Søren Ørsted")]
    found = json.loads(cli("search", "roadm*", "--json").output)
    assert [(hit["type"], hit["person"]) for hit in found] == [("interaction", "Søren Ørsted")]


def test_a_one_letter_prefix_is_refused_in_one_line(cli: CliInvoke) -> None:
    with pytest.raises(Exception, match="at least two letters: 'k\\*'"):
        match_expression("k*")
    assert match_expression("ku*") == '"ku"*'
    result = cli("search", "k*")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: A prefix needs at least two letters: 'k*'."
