"""Search and `who` on PostgreSQL, the server engine: its own text search with unaccent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from mentormap.db import Database
from mentormap.services.context import Ctx
from mentormap.services.search.query import MARK_START, SearchFilter, search
from mentormap.services.search.who import introductions, who
from mentormap.settings import Settings

pytestmark = pytest.mark.postgres


@contextmanager
def unit(db: Database) -> Iterator[Ctx]:
    with db.session() as session:
        yield Ctx(session=session, settings=db.settings)


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Database]:
    from mentormap.services.clock.favours import add_favour
    from mentormap.services.conversations.advice import add_advice
    from mentormap.services.conversations.goals import add_goal
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.people import add_person
    from mentormap.services.people.roles import give_role
    from mentormap.services.people.tags import set_attribute, tag_person

    settings = Settings(
        database_url=postgres_url,
        timezone=ZoneInfo("Europe/London"),
        today_override=date(2026, 11, 25),
    )
    db = Database.open(settings)
    with unit(db) as ctx:
        zoe = add_person(ctx, "Zoë Ó Briain", expertise="Kubernetes", company="Initech",
                         city="Dublin", interests="bouldering")  # fmt: skip
        give_role(ctx, zoe, "sponsor")
        soren = add_person(ctx, "Søren Ørsted", city="Copenhagen", title="Platform lead")
        tag_person(ctx, soren, ["gardening"])
        chloe = add_person(ctx, "Chloé Martin", interests="bouldering, jazz")
        set_attribute(ctx, chloe, "speaks", "Portuguese")
        lunch = "Moved the batch jobs onto the platform team; hired two SREs."
        log_interaction(ctx, [zoe], kind="lunch", on=date(2026, 11, 2), notes=lunch)
        call = "Talked about the reorg and Chloé's café."
        log_interaction(ctx, [soren], kind="call", on=date(2025, 1, 10), notes=call)
        log_interaction(ctx, [soren], kind="call", notes="A confidential clash", private=True)
        add_advice(ctx, zoe, "Write the design doc before the prototype.")
        add_favour(ctx, soren, "Introduced me to the compost co-op", kind="introduction")
        add_goal(ctx, "Speak at a conference about observability")
    yield db
    db.close()


def found(db: Database, query: str, f: SearchFilter | None = None) -> set[tuple[str, str | None]]:
    with unit(db) as ctx:
        return {(hit.type, hit.person) for hit in search(ctx, query, f).hits}


def test_each_type_stems_and_accents(pg: Database) -> None:
    assert found(pg, "initech") == {("person", "Zoë Ó Briain")}
    assert found(pg, "gardening") == {("person", "Søren Ørsted")}
    assert found(pg, "portuguese") == {("person", "Chloé Martin")}
    assert found(pg, "hiring") == {("interaction", "Zoë Ó Briain")}  # "hired"
    assert found(pg, "prototype") == {("advice", "Zoë Ó Briain")}
    assert found(pg, "compost") == {("favour", "Søren Ørsted")}
    assert found(pg, "observability") == {("goal", None)}
    assert found(pg, "cafe") == {("interaction", "Søren Ørsted")}
    assert found(pg, "soren") == {("person", "Søren Ørsted")}
    assert ("person", "Zoë Ó Briain") in found(pg, "ZOE")
    assert found(pg, "confidential") == set()


def test_phrases_prefixes_filters_and_snippets(pg: Database) -> None:
    assert found(pg, '"platform team"') == {("interaction", "Zoë Ó Briain")}
    assert found(pg, '"team platform"') == set()
    assert ("person", "Zoë Ó Briain") in found(pg, "kube*")
    assert found(pg, "platform", SearchFilter(types=("person",))) == {("person", "Søren Ørsted")}
    assert found(pg, "platform", SearchFilter(role="sponsor")) == {("interaction", "Zoë Ó Briain")}
    assert found(pg, "reorg", SearchFilter(city="copenhagen")) == {("interaction", "Søren Ørsted")}
    assert found(pg, "reorg", SearchFilter(since=date(2026, 1, 1))) == set()
    with unit(pg) as ctx:
        hit = search(ctx, "reorg").hits[0]
        assert f"{MARK_START}reorg" in hit.snippet
        assert set(hit.as_json()) >= {"type", "id", "person", "snippet", "score"}


def test_who_ranks_on_postgres(pg: Database) -> None:
    with unit(pg) as ctx:
        helpers = who(ctx, "kubernetes").helpers
        assert [h.name for h in helpers] == ["Zoë Ó Briain"]
        assert helpers[0].why == ["expertise: Kubernetes"]
        assert helpers[0].roles == ["sponsor"]
        platform = who(ctx, "platform").helpers
        assert [h.name for h in platform] == ["Søren Ørsted", "Zoë Ó Briain"]
        assert platform[1].why[0].startswith("lunch 2 Nov 2026: '")
        from mentormap.services.people.resolve import find_person

        intro = introductions(ctx, find_person(ctx, "chloe"))
        assert [h.name for h in intro.helpers] == ["Zoë Ó Briain"]


def test_conversations_are_searched_through_their_index(pg: Database) -> None:
    with unit(pg) as ctx:
        ctx.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            row[0]
            for row in ctx.session.execute(
                text(
                    "EXPLAIN SELECT id FROM interactions s WHERE to_tsvector('english'::regconfig, "
                    "mentormap_unaccent((coalesce(s.kind, '') || ' ' || coalesce(s.location, '') "
                    "|| ' ' || CASE WHEN s.private THEN '' ELSE coalesce(s.notes, '') END))) "
                    "@@ plainto_tsquery('english', 'reorg')"
                )
            )
        )
        assert "ix_interactions_search" in plan


def test_prefixes_are_served_by_the_conversations_index(pg: Database) -> None:
    """`platf*` on PostgreSQL: found, and through the GIN index (no prefix index is needed
    there, unlike FTS5's), not by reading every conversation."""
    from mentormap.services.search import postgres
    from mentormap.services.search.query import match_expression

    with unit(pg) as ctx:
        found = search(ctx, "platf*")
        assert {hit.type for hit in found.hits} >= {"interaction", "person"}
        params: dict[str, object] = {}
        query = postgres.tsquery(match_expression("platf*"), params)
        ctx.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table otherwise
        plan = "\n".join(
            ctx.session.scalars(
                text(
                    "EXPLAIN SELECT s.id FROM interactions s WHERE "
                    f"{postgres.vector(postgres.INTERACTION_TEXT)} @@ {query}"
                ),
                params,
            )
        )
        assert "ix_interactions_search" in plan, plan
