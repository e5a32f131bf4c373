"""`mentormap search`: every searchable type, stemming, accents, phrases, prefixes, filters,
ranking, and an index that follows every write (edit, delete, merge, restore, reindex)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from mentormap.db import Database
from mentormap.models import Opportunity
from mentormap.services.context import Ctx
from mentormap.services.search.index import SOURCES, entries, rebuild, sqlite_schema
from mentormap.services.search.query import (
    MARK_END,
    MARK_START,
    SearchFilter,
    match_expression,
    search,
)
from tests.conftest import CliInvoke


@contextmanager
def open_ctx(db: Database) -> Iterator[Ctx]:
    """One unit of work on the test's database, committed at the end."""
    with db.session() as session:
        yield Ctx(session=session, settings=db.settings)


def run(cli: CliInvoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def hits(cli: CliInvoke, *args: str) -> list[dict[str, object]]:
    return list(json.loads(run(cli, "search", *args, "--json")))


def found(cli: CliInvoke, *args: str) -> set[tuple[object, object]]:
    return {(hit["type"], hit["person"]) for hit in hits(cli, *args)}


@pytest.fixture
def network(cli: CliInvoke) -> CliInvoke:
    run(
        cli,
        "people",
        "add",
        "Zoë Ó Briain",
        "--company",
        "Initech",
        "--title",
        "Staff Engineer",
        "--city",
        "Dublin",
        "--expertise",
        "Kubernetes, batch scheduling",
        "--interests",
        "bouldering, jazz",
        "--role",
        "role_model",
        "--notes",
        "Knows everyone in the Dublin meetup scene.",
    )
    run(cli, "people", "add", "Søren Ørsted", "--company", "Hooli", "--city", "Copenhagen")
    run(cli, "people", "add", "Chloé Martin", "--title", "Designer", "--city", "Paris")
    run(cli, "tag", "add", "Søren Ørsted", "gardening")
    run(cli, "attr", "set", "Chloé Martin", "speaks", "Portuguese")
    run(
        cli,
        "log",
        "Zoë",
        "-k",
        "lunch",
        "--on",
        "2026-11-02",
        "--no-edit",
        "-n",
        "She moved the batch jobs onto the platform team's cluster; they hired two SREs.",
    )
    run(
        cli,
        "log",
        "Søren",
        "-k",
        "call",
        "--on",
        "2025-01-10",
        "--no-edit",
        "-n",
        "Talked about the reorg and Chloé's café in Montréal.",
    )
    run(cli, "advice", "add", "Zoë", "Write the design doc before the prototype.", "--on", "-3d")
    run(cli, "achievement", "add", "Shipped the billing migration", "--impact", "halved churn")
    run(cli, "agenda", "add", "Chloé", "Ask about the accessibility audit")
    run(cli, "favour", "add", "Søren", "Introduced me to the compost co-op", "-k", "introduction")
    run(cli, "goal", "add", "Speak at a conference about observability")
    return cli


def test_each_type_is_found(network: CliInvoke, db: Database) -> None:
    with open_ctx(db) as ctx:
        ctx.session.add(Opportunity(kind="cfp", title="KubeCon CFP", created_on=date(2026, 11, 1)))
    expected = {
        "Initech": ("person", "Zoë Ó Briain"),  # company
        "staff": ("person", "Zoë Ó Briain"),  # title
        "Copenhagen": ("person", "Søren Ørsted"),  # city
        "bouldering": ("person", "Zoë Ó Briain"),  # interests
        "scheduling": ("person", "Zoë Ó Briain"),  # expertise
        "gardening": ("person", "Søren Ørsted"),  # a tag
        "Portuguese": ("person", "Chloé Martin"),  # an attribute
        "meetup": ("person", "Zoë Ó Briain"),  # her notes
        "cluster": ("interaction", "Zoë Ó Briain"),
        "prototype": ("advice", "Zoë Ó Briain"),
        "churn": ("achievement", None),
        "accessibility": ("agenda", "Chloé Martin"),
        "compost": ("favour", "Søren Ørsted"),
        "observability": ("goal", None),
        "kubecon": ("opportunity", None),
    }
    for word, hit in expected.items():
        assert found(network, word) == {hit}, word


def test_stems_accents_and_spelt_out_letters(network: CliInvoke) -> None:
    assert ("interaction", "Zoë Ó Briain") in found(network, "hiring")  # "hired"
    assert found(network, "montreal") == {("interaction", "Søren Ørsted")}
    assert found(network, "CAFE") == {("interaction", "Søren Ørsted")}
    assert found(network, "soren") == {("person", "Søren Ørsted")}
    assert found(network, "orsted") == {("person", "Søren Ørsted")}
    assert found(network, "Ørsted") == {("person", "Søren Ørsted")}
    assert ("person", "Zoë Ó Briain") in found(network, "zoe")


def test_phrases_and_prefixes(network: CliInvoke) -> None:
    assert found(network, '"platform team"') == {("interaction", "Zoë Ó Briain")}
    assert found(network, '"team platform"') == set()
    assert ("person", "Zoë Ó Briain") in found(network, "kube*")
    assert found(network, "kube") == set()  # a word is a whole word unless it ends in *
    assert found(network, "batch", "jobs") == {("interaction", "Zoë Ó Briain")}  # all words


def test_filters(network: CliInvoke) -> None:
    assert found(network, "batch", "--type", "person") == {("person", "Zoë Ó Briain")}
    assert found(network, "batch", "--type", "interactions") == {("interaction", "Zoë Ó Briain")}
    assert found(network, "reorg", "--role", "role_model") == set()
    assert found(network, "batch", "--role", "role_model") == {
        ("person", "Zoë Ó Briain"),
        ("interaction", "Zoë Ó Briain"),
    }
    assert found(network, "reorg", "--city", "copenhagen") == {("interaction", "Søren Ørsted")}
    assert found(network, "reorg", "--city", "Dublin") == set()
    assert found(network, "reorg", "--since", "2026-01-01") == set()
    assert found(network, "batch", "--since", "2026-11-01", "--type", "interaction") == {
        ("interaction", "Zoë Ó Briain")
    }
    result = network("search", "x", "--type", "emails")
    assert result.exit_code == 1
    assert "Unknown type 'emails'" in result.output


def test_ranking_and_json_shape(network: CliInvoke) -> None:
    # Her expertise names it; a conversation only mentions it: the person ranks first.
    ranked = hits(network, "batch")
    assert [(h["type"], h["person"]) for h in ranked][:2] == [
        ("person", "Zoë Ó Briain"),
        ("interaction", "Zoë Ó Briain"),
    ]
    first = ranked[0]
    assert set(first) >= {"type", "id", "person", "snippet", "score"}
    assert isinstance(first["score"], float) and first["score"] > ranked[1]["score"]  # type: ignore[operator]
    assert "batch" in str(ranked[1]["snippet"]) and MARK_START not in str(ranked[1]["snippet"])


def test_text_output_and_odd_queries(network: CliInvoke) -> None:
    out = run(network, "search", "reorg")
    assert "interaction" in out and "Søren Ørsted" in out and "reorg" in out
    for odd in ('"', "*", "AND (", "NEAR(a b)", "col:umn", "^", "'", "a\x00b"):
        result = network("search", odd)
        assert result.exit_code in (0, 1), odd
        assert "Traceback" not in result.output
    nothing = network("search")
    assert nothing.exit_code == 1 and "Say what to search for" in nothing.output


def test_snippet_marks_the_match(network: CliInvoke, db: Database) -> None:
    with open_ctx(db) as ctx:
        result = search(ctx, "reorg")
    assert f"{MARK_START}reorg{MARK_END}" in result.hits[0].snippet


def test_index_follows_edit_delete_and_merge(network: CliInvoke) -> None:
    interaction = hits(network, "reorg")[0]["id"]
    run(network, "interaction", "edit", str(interaction), "-n", "Talked about the offsite.")
    assert found(network, "reorg") == set()
    assert found(network, "offsite") == {("interaction", "Søren Ørsted")}
    run(network, "people", "edit", "Chloé", "--company", "Globex")
    assert found(network, "globex") == {("person", "Chloé Martin")}
    run(network, "tag", "add", "Chloé", "ceramics")
    assert found(network, "ceramics") == {("person", "Chloé Martin")}
    # Søren merges into Chloé: his tag and his conversation are hers now, his entry is gone.
    run(network, "people", "merge", "Chloé", "Søren", "--yes")
    assert found(network, "gardening") == {("person", "Chloé Martin")}
    assert found(network, "offsite") == {("interaction", "Chloé Martin")}
    assert found(network, "copenhagen") == set() or found(network, "copenhagen") == {
        ("person", "Chloé Martin")
    }
    assert found(network, "soren") == set()
    run(network, "people", "delete", "Chloé", "--yes")
    assert found(network, "gardening") == set()
    assert found(network, "portuguese") == set()


def test_private_notes_stay_out(ctx: Ctx) -> None:
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.people import add_person

    person = add_person(ctx, "Ana Lima")
    log_interaction(ctx, [person], kind="call", notes="A confidential clash", private=True)
    log_interaction(ctx, [person], kind="call", notes="An open clash")
    assert [hit.type for hit in search(ctx, "clash").hits] == ["interaction"]
    assert search(ctx, "confidential").hits == []


def test_restore_and_reindex_rebuild_the_index(
    network: CliInvoke, tmp_path: Path, ctx: Ctx
) -> None:
    backup = tmp_path / "backup.json"
    run(network, "export", "--format", "json", "-o", str(backup))
    assert "search_index" not in json.loads(backup.read_text())["tables"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORMAP_DB", str(tmp_path / "restored.db"))
        run(network, "restore", str(backup))
        assert found(network, "reorg") == {("interaction", "Søren Ørsted")}
        assert found(network, "soren") == {("person", "Søren Ørsted")}
        # The restore filled the index at once, and its triggers keep it current again.
        talk = hits(network, "reorg")[0]["id"]
        run(network, "interaction", "edit", str(talk), "-n", "Talked about the offsite.")
        assert found(network, "offsite") == {("interaction", "Søren Ørsted")}
        assert found(network, "reorg") == set()
        out = run(network, "search", "--reindex")
        assert out.startswith("Search index rebuilt:")
        assert found(network, "gardening") == {("person", "Søren Ørsted")}


def _index(ctx: Ctx) -> list[tuple[object, ...]]:
    return list(
        ctx.session.execute(
            text(
                "SELECT rowid, name, expertise, work, body, alt, owner_id FROM search_index"
                " ORDER BY rowid"
            )
        ).all()
    )


def test_rebuild_gives_the_index_the_triggers_keep(network: CliInvoke, db: Database) -> None:
    with open_ctx(db) as ctx:
        kept = _index(ctx)
        assert len(kept) == 10  # three people, two conversations and one of each other type
        assert rebuild(ctx) == len(kept)
        assert _index(ctx) == kept


def test_the_migration_creates_the_index_the_code_describes() -> None:
    from mentormap.migrations.search_0221 import POPULATE, STATEMENTS

    # A change to what the index holds needs a migration that installs it again.
    assert sqlite_schema() == STATEMENTS
    assert [entries(source, "1 = 1") for source in SOURCES] == POPULATE


def test_match_expression_quotes_everything() -> None:
    assert match_expression('platform "team lead" kube* NEAR(') == (
        '"platform" "team lead" "kube"* "NEAR"'
    )
    assert match_expression("Søren") == '"Soren"'
    with pytest.raises(Exception, match="at least one word"):
        match_expression('"" * ()')


def test_search_limit(network: CliInvoke, db: Database) -> None:
    with open_ctx(db) as ctx:
        assert len(search(ctx, "batch", SearchFilter(limit=1)).hits) == 1


def test_every_trigger_of_the_index_is_there_at_head(ctx: Ctx) -> None:
    from mentormap.services.search.index import sqlite_triggers

    present = set(
        ctx.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    )
    assert set(sqlite_triggers()) <= present


def test_a_very_common_word_is_ranked_among_its_newest_entries(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.people import add_person
    from mentormap.services.search import query

    person = add_person(ctx, "Rosa Diaz", expertise="roadmap planning")
    talks = [
        log_interaction(ctx, [person], kind="call", notes=f"Roadmap talk {n}").id for n in range(5)
    ]
    monkeypatch.setattr(query, "RANKED", 3)
    found = search(ctx, "roadmap")
    # Every other type ranks ahead of conversations in that cut; conversations newest first.
    assert [(h.type, h.id) for h in found.hits if h.type == "person"] == [("person", person.id)]
    assert sorted(h.id for h in found.hits if h.type == "interaction") == sorted(talks[-2:])
    monkeypatch.setattr(query, "RANKED", 1000)
    assert len(search(ctx, "roadmap").hits) == 6


def test_a_large_import_gets_its_entries_at_the_end(ctx: Ctx) -> None:
    from mentormap.services.interop.imports import import_file
    from mentormap.services.search.index import PAUSED_FROM, sqlite_triggers

    cards = "".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Åsa Nørgaard {n}\nORG:Fjord{n} AS\nEND:VCARD\n"
        for n in range(PAUSED_FROM + 5)
    )
    import_file(ctx, cards.encode(), fmt="vcard")
    assert [h.person for h in search(ctx, "fjord7").hits] == ["Åsa Nørgaard 7"]
    assert len(search(ctx, "norgaard", SearchFilter(limit=200)).hits) == 200
    present = set(
        ctx.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    )
    assert set(sqlite_triggers()) <= present
    kept = _index(ctx)
    rebuild(ctx)
    assert _index(ctx) == kept  # the same entries the triggers would have made


def test_one_type_with_nothing_found_finds_nothing_else(network: CliInvoke) -> None:
    assert found(network, "reorg", "--type", "advice") == set()
    assert found(network, "reorg", "--type", "interaction") == {("interaction", "Søren Ørsted")}
