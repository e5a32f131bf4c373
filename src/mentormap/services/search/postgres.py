"""Search on PostgreSQL, the server engine: its own full-text search, over the tables themselves.

Each type's text is one expression over its row (`DOCUMENTS`), read through
`to_tsvector('english', mentormap_unaccent(...))`: English stemming, and `unaccent` for the
accents (ø, þ and ß included). Migration 0136 creates `mentormap_unaccent` (an immutable wrapper,
so it can be indexed; without the unaccent extension it returns its text unchanged) and a GIN
index on conversations, the one table large enough to need one. Ranking is `ts_rank`, snippets
`ts_headline` with the same markers as on SQLite.

This module builds SQL only; `query.py` and `who.py` call it on PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from mentormap.services.context import Ctx
from mentormap.services.search.index import ELLIPSIS, MARK_END, MARK_START, SNIPPET_TOKENS

CONFIG = "'english'::regconfig"
_QUOTED = re.compile(r'"([^"]*)"(\*?)')

# Each type: (code, table, expression of its text over `s`). The codes are the SQLite index's.
_TAGS = (
    "(SELECT string_agg(t.name, ' ') FROM person_tags pt JOIN tags t ON t.id = pt.tag_id"
    " WHERE pt.person_id = s.id)"
)
_ATTRIBUTES = (
    "(SELECT string_agg(a.key || ' ' || a.value, ' ') FROM person_attributes a"
    " WHERE a.person_id = s.id)"
)


def _join(*parts: str) -> str:
    return "(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


PERSON_PARTS = {
    "name": "s.name",
    "expertise": _join("s.expertise", _TAGS),
    "work": _join("s.title", "s.company", "s.city", "s.country"),
    "body": _join("s.interests", "s.notes", "s.how_met", _ATTRIBUTES),
}
# Conversations: the very expression migration 0136 indexes.
INTERACTION_TEXT = (
    "(coalesce(s.kind, '') || ' ' || coalesce(s.location, '') || ' ' || "
    "CASE WHEN s.private THEN '' ELSE coalesce(s.notes, '') END)"
)
# As on SQLite, only conversations with words of their own are searched.
INTERACTION_KEPT = (
    "((coalesce(s.notes, '') <> '' AND NOT s.private) OR coalesce(s.location, '') <> '')"
)
DOCUMENTS: dict[str, tuple[int, str, str]] = {
    "person": (8, "people", _join(*PERSON_PARTS.values())),
    "interaction": (1, "interactions", INTERACTION_TEXT),
    "advice": (3, "advice", _join("s.text", "s.note")),
    "achievement": (5, "achievements", _join("s.title", "s.impact")),
    "agenda": (2, "agenda_items", _join("s.text")),
    "favour": (4, "favours", _join("s.kind", "s.description")),
    "goal": (6, "goals", _join("s.title", "s.kind", "s.note")),
    "opportunity": (7, "opportunities", _join("s.title", "s.kind", "s.note")),
}
# A person's parts weigh as her FTS5 columns do: name, expertise, work, then the rest.
_PERSON_VECTOR = " || ".join(
    f"setweight(to_tsvector({CONFIG}, mentormap_unaccent({expr})), '{weight}')"
    for expr, weight in zip(PERSON_PARTS.values(), "ABCD", strict=True)
)


def vector(expression: str) -> str:
    return f"to_tsvector({CONFIG}, mentormap_unaccent({expression}))"


def tsquery(match: str, params: dict[str, Any], prefix: str = "q") -> str:
    """The tsquery of a match expression as `query.match_expression` writes it."""
    parts = []
    for n, (words, star) in enumerate(_QUOTED.findall(match)):
        name = f"{prefix}{n}"
        if star:
            # Only word characters reach here: each word a prefix, all of them in a row.
            params[name] = " <-> ".join(f"{w}:*" for w in words.split())
            parts.append(f"to_tsquery({CONFIG}, mentormap_unaccent(:{name}))")
        elif " " in words:
            params[name] = words
            parts.append(f"phraseto_tsquery({CONFIG}, mentormap_unaccent(:{name}))")
        else:
            params[name] = words
            parts.append(f"plainto_tsquery({CONFIG}, mentormap_unaccent(:{name}))")
    return "(" + " && ".join(parts) + ")"


def ranked_rows(
    ctx: Ctx, match: str, kinds: tuple[str, ...], where: list[str], params: dict[str, Any]
) -> list[Any]:
    """(rid, kind code, ref, score) of the best hits, as the SQLite index gives them."""
    params = {**params}
    query = tsquery(match, params)
    arms = []
    for kind, (code, table, expression) in DOCUMENTS.items():
        if kinds and kind not in kinds:
            continue
        vec = _PERSON_VECTOR if kind == "person" else vector(expression)
        arms.append(
            f"SELECT (s.id + {code << 32}) AS rid, {code} AS kind, s.id AS ref, "
            f"ts_rank({vec}, q.query) AS score FROM {table} s, q "
            f"WHERE s.owner_id = :owner AND {vector(expression)} @@ q.query"
            + (f" AND {INTERACTION_KEPT}" if kind == "interaction" else "")
        )
    sql = (
        f"WITH q AS (SELECT {query} AS query) SELECT h.rid, h.kind, h.ref, h.score FROM ("
        + " UNION ALL ".join(arms)
        + ") AS h"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY h.score DESC, h.rid DESC LIMIT :limit"
    )
    return list(ctx.session.execute(text(sql), params).all())


def headlines(
    ctx: Ctx, match: str, hits: list[tuple[str, int]], part: str | None = None
) -> dict[tuple[str, int], str]:
    """The snippet of each (kind, id) for `match`, matched words between the SQLite markers."""
    found: dict[tuple[str, int], str] = {}
    params: dict[str, Any] = {}
    query = tsquery(match, params)
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_TOKENS}, "
        f"MinWords={SNIPPET_TOKENS // 2}, ShortWord=2, FragmentDelimiter={ELLIPSIS}, MaxFragments=1"
    )
    for kind, ref in hits:
        _code, table, expression = DOCUMENTS[kind]
        if kind == "person" and part:
            expression = PERSON_PARTS[part]
        headline = ctx.session.scalar(
            text(
                f"SELECT CASE WHEN {vector(expression)} @@ {query} THEN "
                f"ts_headline({CONFIG}, {expression}, {query}, :options) END "
                f"FROM {table} s WHERE s.id = :ref"
            ),
            {**params, "ref": ref, "options": options},
        )
        if headline:
            found[(kind, ref)] = " ".join(str(headline).split())
    return found


# Conversations and advice, as `who` reads them for mentions.
_ADVICE_TEXT = DOCUMENTS["advice"][2]


def who_ranked(
    ctx: Ctx,
    match: str,
    *,
    limit: int,
    exclude: int | None,
    interests: bool,
    points: tuple[float, float, float, float, float, int, int],
) -> list[tuple[int, float]]:
    """(person id, score) of the people with the most evidence, best first (see who.py)."""
    expertise, work, interest, mention, cap, half_life, ranked = points
    params: dict[str, Any] = {
        "owner": ctx.owner_id,
        "today": ctx.today(),
        "limit": limit,
        "exclude": exclude if exclude is not None else -1,
        "ranked": ranked,
    }
    query = tsquery(match, params)
    shared = (
        f"UNION ALL SELECT s.id, {interest} FROM people s, q WHERE s.owner_id = :owner "
        f"AND {vector(PERSON_PARTS['body'])} @@ q.query"
        if interests
        else ""
    )
    weight = f"{mention} / (1 + greatest(0, :today - %s) / {half_life}.0)"
    sql = f"""
    WITH q AS (SELECT {query} AS query),
    declared AS (
        SELECT s.id AS pid, {expertise} AS points FROM people s, q
        WHERE s.owner_id = :owner AND {vector(PERSON_PARTS["expertise"])} @@ q.query
        UNION ALL
        SELECT s.id, {work} FROM people s, q
        WHERE s.owner_id = :owner AND {vector(PERSON_PARTS["work"])} @@ q.query
        {shared}
    ),
    talks AS (
        SELECT s.id AS ref, s.occurred_on FROM interactions s, q
        WHERE s.owner_id = :owner AND {vector(INTERACTION_TEXT)} @@ q.query
          AND {INTERACTION_KEPT}
        ORDER BY s.id DESC LIMIT :ranked
    ),
    advised AS (
        SELECT s.person_id, s.given_on FROM advice s, q
        WHERE s.owner_id = :owner AND {vector(_ADVICE_TEXT)} @@ q.query
        ORDER BY s.id DESC LIMIT :ranked
    ),
    mentions AS (
        SELECT ip.person_id AS pid, least({cap}, sum({weight % "t.occurred_on"})) AS points
        FROM talks t JOIN interaction_participants ip ON ip.interaction_id = t.ref
        GROUP BY ip.person_id
        UNION ALL
        SELECT a.person_id, least({cap}, sum({weight % "a.given_on"})) FROM advised a
        GROUP BY a.person_id
    ),
    scored AS (
        SELECT pid, sum(points) AS score FROM (
            SELECT * FROM declared UNION ALL SELECT * FROM mentions
        ) AS evidence GROUP BY pid
    )
    SELECT s.pid, s.score FROM scored s JOIN people p ON p.id = s.pid
    WHERE p.owner_id = :owner AND NOT p.archived AND p.id <> :exclude
    ORDER BY s.score DESC, p.name_key LIMIT :limit
    """
    return [(int(pid), float(score)) for pid, score in ctx.session.execute(text(sql), params)]


def who_mentions(
    ctx: Ctx, match: str, ids: list[int], shown: int, ranked: int
) -> list[tuple[int, str, int, str, Any]]:
    """(person id, kind, row id, label, day) of the latest mentions of each of `ids`."""
    if not ids:
        return []
    params: dict[str, Any] = {"owner": ctx.owner_id, "ids": ids, "ranked": ranked}
    query = tsquery(match, params)
    sql = f"""
    WITH q AS (SELECT {query} AS query),
    talks AS (
        SELECT s.id, s.kind, s.occurred_on FROM interactions s, q
        WHERE s.owner_id = :owner AND {vector(INTERACTION_TEXT)} @@ q.query
          AND {INTERACTION_KEPT}
        ORDER BY s.id DESC LIMIT :ranked
    ),
    found AS (
        SELECT ip.person_id AS pid, 'interaction' AS kind, t.id AS ref, t.kind AS label,
               t.occurred_on AS day
        FROM talks t JOIN interaction_participants ip ON ip.interaction_id = t.id
        WHERE ip.person_id = ANY(:ids)
        UNION ALL
        SELECT s.person_id, 'advice', s.id, 'advice', s.given_on FROM advice s, q
        WHERE s.owner_id = :owner AND s.person_id = ANY(:ids)
          AND {vector(_ADVICE_TEXT)} @@ q.query
    )
    SELECT pid, kind, ref, label, day FROM (
        SELECT *, row_number() OVER (PARTITION BY pid ORDER BY day DESC, ref DESC) AS n
        FROM found
    ) AS latest WHERE n <= {shown}
    """
    return [
        (int(pid), str(kind), int(ref), str(label), day)
        for pid, kind, ref, label, day in ctx.session.execute(text(sql), params)
    ]


# --- schema (migration 0136) ---------------------------------------------------------------------

UNACCENT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION mentormap_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT {body} $$"
)


INTERACTIONS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_interactions_search ON interactions USING gin "
    f"({vector(INTERACTION_TEXT).replace('s.', '')})"
)
