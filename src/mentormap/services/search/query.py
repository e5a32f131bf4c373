"""`mentormap search`: full text over people, conversations, advice and the rest, ranked.

A query is words (all must match), "quoted phrases" and prefixes (`kube*`). Filters narrow
the hits to those of people in a role or a city, to those dated since a day, or to some types.
Each hit has its type, its row's id, the person (or people) it belongs to, a snippet with the
matching words between `MARK_START` and `MARK_END`, and a score (higher is better).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text

from mentormap.domain.folding import spell_out
from mentormap.errors import InvalidInput, UserError
from mentormap.services.context import Ctx
from mentormap.services.search.index import (
    BY_CODE,
    BY_KIND,
    ELLIPSIS,
    KIND_OF_ROWID,
    KINDS,
    MARK_END,
    MARK_START,
    REF_OF_ROWID,
    SNIPPET_TOKENS,
    TABLE,
    WEIGHTS,
    band,
)

MAX_LIMIT = 200
# Ranking a word found in hundreds of thousands of notes would cost hundreds of milliseconds:
# such a word is ranked among its newest entries of each type (every type but conversations
# comes before them in rowid order, and conversations newest first), this many in all.
RANKED = 2000
RANKED_FILTERED = 20000  # with filters that drop most entries, more are looked at

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD_CHARS = re.compile(r"[\w\u0080-\U0010ffff]+")


@dataclass
class SearchFilter:
    role: str | None = None
    city: str | None = None
    since: date | None = None
    types: tuple[str, ...] = ()
    limit: int = 20


@dataclass
class Hit:
    type: str
    id: int
    person: str | None
    person_ids: list[int]
    title: str
    snippet: str
    score: float
    on: date | None = None

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        found["snippet"] = plain_snippet(self.snippet)
        found["on"] = self.on.isoformat() if self.on else None
        return found


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)

    def by_type(self) -> list[tuple[str, list[Hit]]]:
        """The hits grouped by type, types in the order of their best hit."""
        groups: dict[str, list[Hit]] = {}
        for hit in self.hits:
            groups.setdefault(hit.type, []).append(hit)
        return list(groups.items())


def plain_snippet(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


def match_expression(query: str) -> str:
    """The FTS5 MATCH text of what the user typed: every word and phrase quoted, so nothing
    she types is read as FTS syntax; a trailing `*` keeps its meaning of "starts with"."""
    parts: list[str] = []
    for phrase, word in _TOKEN.findall(query.replace("\x00", " ")):
        raw = phrase if phrase else word
        prefix = bool(word) and word.endswith("*")
        words = _WORD_CHARS.findall(spell_out(raw))
        if not words:
            continue
        if prefix and len(words[-1]) < 2:
            # Every word starting with one letter: seconds of merging on a large network.
            raise InvalidInput(f"A prefix needs at least two letters: {word!r}.")
        quoted = '"' + " ".join(words) + '"'
        parts.append(quoted + ("*" if prefix else ""))
    if not parts:
        raise InvalidInput("Search for at least one word.")
    return " ".join(parts)


def parse_types(values: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            key = part.strip().lower()
            if not key:
                continue
            key = key.removesuffix("s") if key not in BY_KIND and key.endswith("s") else key
            if key not in BY_KIND:
                raise InvalidInput(
                    f"Unknown type {part.strip()!r}; choose from {', '.join(KINDS)}."
                )
            found.append(key)
    return tuple(dict.fromkeys(found))


# Who each type of row belongs to: (table, its column naming the row, its column naming her).
_PEOPLE_OF = {
    "interaction": ("interaction_participants", "interaction_id", "person_id"),
    "advice": ("advice", "id", "person_id"),
    "achievement": ("achievement_shares", "achievement_id", "person_id"),
    "agenda": ("agenda_items", "id", "person_id"),
    "favour": ("favours", "id", "person_id"),
    "opportunity": ("opportunities", "id", "brought_by_id"),
}
# The day each type of row is dated by (a person by her last contact).
_DAY_OF = {
    "person": ("people", "last_contact_on"),
    "interaction": ("interactions", "occurred_on"),
    "advice": ("advice", "given_on"),
    "achievement": ("achievements", "occurred_on"),
    "agenda": ("agenda_items", "created_at"),
    "favour": ("favours", "occurred_on"),
    "goal": ("goals", "created_on"),
    "opportunity": ("opportunities", "created_on"),
}


def _person_condition(predicate: str) -> str:
    """Hits (`h.kind`, `h.ref`) with someone for whom `predicate` (over `{pid}`) holds."""
    arms = [f"(h.kind = {BY_KIND['person'].code} AND {predicate.format(pid='h.ref')})"]
    for kind, (table, ref_column, person_column) in _PEOPLE_OF.items():
        arms.append(
            f"(h.kind = {BY_KIND[kind].code} AND EXISTS (SELECT 1 FROM {table} x "
            f"WHERE x.{ref_column} = h.ref AND {predicate.format(pid='x.' + person_column)}))"
        )
    return "(" + " OR ".join(arms) + ")"


def _since_condition() -> str:
    arms = []
    for kind, (table, column) in _DAY_OF.items():
        code = BY_KIND[kind].code
        arms.append(
            f"(h.kind = {code} AND EXISTS (SELECT 1 FROM {table} x WHERE x.id = h.ref "
            f"AND x.{column} >= :since))"
        )
    return "(" + " OR ".join(arms) + ")"


def search(ctx: Ctx, query: str, f: SearchFilter | None = None) -> SearchResult:
    """The best hits for `query`, best first."""
    from mentormap.services.search.index import ensure_supported

    f = f or SearchFilter()
    engine = ensure_supported(ctx)
    match = match_expression(query)
    limit = max(1, min(f.limit, MAX_LIMIT))
    filtered = bool(f.role or f.city or f.since)
    params: dict[str, Any] = {
        "match": match,
        "owner": ctx.owner_id,
        "limit": limit,
        "ranked": RANKED_FILTERED if filtered else RANKED,
    }
    where = []
    scope = upper = ""  # constraints on the rowids FTS5 itself applies
    floor = 0
    if len(f.types) == 1:
        low, high = band(BY_KIND[f.types[0]].code)
        scope = f" AND rowid >= {low} AND rowid < {high}"
        upper = f" AND rowid < {high}"  # the cut, within the band, is the one lower bound
        floor = low
    elif f.types:
        codes = ", ".join(str(BY_KIND[t].code) for t in f.types)
        where.append(f"h.kind IN ({codes})")
    if f.role:
        from mentormap.domain.roles import parse_role

        params["role"] = parse_role(f.role).value
        where.append(
            _person_condition(
                "EXISTS (SELECT 1 FROM roles r WHERE r.person_id = {pid} "
                "AND r.key = :role AND r.until IS NULL)"
            )
        )
    if f.city:
        params["city"] = f.city.strip().lower()
        where.append(
            _person_condition(
                "EXISTS (SELECT 1 FROM people c WHERE c.id = {pid} AND lower(c.city) = :city)"
            )
        )
    if f.since:
        params["since"] = f.since.isoformat() if engine == "sqlite" else f.since
        where.append(_since_condition())
    if engine != "sqlite":
        from mentormap.services.search import postgres

        rows = postgres.ranked_rows(ctx, match, f.types, where, params)
        return SearchResult(query=query, hits=describe(ctx, match, rows, engine))
    weights = ", ".join(str(w) for w in WEIGHTS)
    cutoff = (
        f"(SELECT coalesce(min(rowid), {floor}) FROM (SELECT rowid FROM {TABLE} "
        f"WHERE {TABLE} MATCH :match{scope} ORDER BY rowid DESC LIMIT :ranked))"
    )
    sql = (
        f"SELECT h.rid, h.kind, h.ref, h.score FROM ("
        f"SELECT rowid AS rid, {KIND_OF_ROWID} AS kind, {REF_OF_ROWID} AS ref, "
        f"bm25({TABLE}, {weights}) AS score FROM {TABLE} "
        f"WHERE {TABLE} MATCH :match AND rowid >= {cutoff}{upper}{owner_filter(ctx)}) AS h"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY h.score, h.rid DESC LIMIT :limit"  # equal scores: the newest first
    )
    from sqlalchemy.exc import OperationalError

    try:
        rows = list(ctx.session.execute(text(sql), params).all())
    except OperationalError as exc:
        if f"no such table: {TABLE}" in str(exc.orig):
            raise UserError(
                "The search index is missing; `mentormap search --reindex` builds it."
            ) from None
        raise InvalidInput(f"Cannot search for {query!r}: {exc.orig}.") from None
    from mentormap.services.search import semantic

    model = semantic.active(ctx)  # by meaning too, when the user installed a model
    if model is None:
        return SearchResult(query=query, hits=describe(ctx, match, rows))
    fused = semantic.hybrid_rows(ctx, model, query, rows, f.types, where, params, limit)
    found = describe(ctx, match, fused)
    quotes = semantic.texts(
        ctx, [row[0] for row, hit in zip(fused, found, strict=True) if not hit.snippet]
    )
    for row, hit in zip(fused, found, strict=True):
        if not hit.snippet and row[0] in quotes:
            hit.snippet = semantic.excerpt(quotes[row[0]])
    return SearchResult(query=query, hits=found)


def owner_filter(ctx: Ctx) -> str:
    """The owner condition on index entries: none while the database has one owner only.

    Reading each entry's owner costs as much as ranking it; in local mode every entry is hers.
    """
    owners = ctx.session.scalar(text("SELECT count(*) FROM owners")) or 0
    return " AND owner_id = :owner" if owners > 1 else ""


def snippets(ctx: Ctx, match: str, rowids: list[int], column: int = -1) -> dict[int, str]:
    """The snippet of each of `rowids` for `match` (computed only for these few entries).

    One lookup per entry: FTS5 finds an entry by its rowid at once, while a list of rowids
    would have it walk every entry that matches.
    """
    statement = text(
        f"SELECT snippet({TABLE}, {column}, :start, :end, :dots, {SNIPPET_TOKENS}) "
        f"FROM {TABLE} WHERE {TABLE} MATCH :match AND rowid = :rowid"
    )
    found: dict[int, str] = {}
    for rowid in dict.fromkeys(rowids):
        snippet = ctx.session.scalar(
            statement,
            {"match": match, "rowid": int(rowid), "start": MARK_START, "end": MARK_END,
             "dots": ELLIPSIS},
        )  # fmt: skip
        if snippet is not None:
            found[int(rowid)] = snippet
    return found


def describe(ctx: Ctx, match: str, rows: list[Any], engine: str = "sqlite") -> list[Hit]:
    """Hits for (rowid, kind, ref, score) rows: titles, people, days and snippets, by type.

    A score is bm25's on SQLite (lower is better), ts_rank's on PostgreSQL (higher is better);
    every hit's `score` is higher-is-better.
    """
    if engine == "sqlite":
        cut = snippets(ctx, match, [row[0] for row in rows])
    else:
        from mentormap.services.search import postgres

        lines = postgres.headlines(ctx, match, [(BY_CODE[int(r[1])].kind, int(r[2])) for r in rows])
        cut = {int(r[0]): lines.get((BY_CODE[int(r[1])].kind, int(r[2])), "") for r in rows}
    refs: dict[str, list[int]] = {}
    for _rid, kind, ref, _score in rows:
        refs.setdefault(BY_CODE[int(kind)].kind, []).append(int(ref))
    details: dict[tuple[str, int], tuple[str, date | None]] = {}
    for kind, ids in refs.items():
        details.update(_details(ctx, kind, ids))
    people = _people(ctx, refs)
    hits = []
    for rid, kind, ref, score in rows:
        key = (BY_CODE[int(kind)].kind, int(ref))
        title, on = details.get(key, ("", None))
        names = people.get(key, [])
        hits.append(
            Hit(
                type=key[0],
                id=key[1],
                person=", ".join(name for _pid, name in names) or None,
                person_ids=[pid for pid, _name in names],
                title=title,
                snippet=cut.get(int(rid), ""),
                score=round(-float(score) if engine == "sqlite" else float(score), 4),
                on=on,
            )
        )
    return hits


_TITLES = {
    "person": ("people", "name", "last_contact_on"),
    "interaction": ("interactions", "kind", "occurred_on"),
    "advice": ("advice", "text", "given_on"),
    "achievement": ("achievements", "title", "occurred_on"),
    "agenda": ("agenda_items", "text", "created_at"),
    "favour": ("favours", "kind", "occurred_on"),
    "goal": ("goals", "title", "created_on"),
    "opportunity": ("opportunities", "title", "created_on"),
}


def _details(ctx: Ctx, kind: str, ids: list[int]) -> dict[tuple[str, int], tuple[str, date | None]]:
    table, title, day = _TITLES[kind]
    marks = ", ".join(str(int(i)) for i in ids)
    found = {}
    for ref, label, on in ctx.session.execute(
        text(f"SELECT id, {title}, {day} FROM {table} WHERE id IN ({marks})")
    ):
        found[(kind, int(ref))] = (str(label or "")[:120], _as_day(on))
    return found


def _as_day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    return date.fromisoformat(str(value)[:10])


def _people(ctx: Ctx, refs: dict[str, list[int]]) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """The people each hit belongs to, by name, in one query per type."""
    found: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for kind, ids in refs.items():
        marks = ", ".join(str(int(i)) for i in ids)
        if kind == "person":
            sql = f"SELECT p.id, p.id, p.name FROM people p WHERE p.id IN ({marks})"
        elif kind in _PEOPLE_OF:
            table, ref_column, person_column = _PEOPLE_OF[kind]
            sql = (
                f"SELECT x.{ref_column}, p.id, p.name FROM {table} x JOIN people p "
                f"ON p.id = x.{person_column} WHERE x.{ref_column} IN ({marks}) ORDER BY p.name"
            )
        else:
            continue
        for ref, pid, name in ctx.session.execute(text(sql)):
            found.setdefault((kind, int(ref)), []).append((int(pid), name))
    return found


def index_size(ctx: Ctx) -> int | None:
    """Bytes the index takes on SQLite (its shadow tables), or None where unknown."""
    if ctx.session.get_bind().dialect.name != "sqlite":
        return None
    try:
        return ctx.session.scalar(
            text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE :prefix"),
            {"prefix": f"{TABLE}%"},
        )
    except Exception:  # SQLite built without the dbstat table
        return None
