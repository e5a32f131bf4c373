"""`mentormap who TOPIC`: who can help with X, ranked by the evidence the network holds.

Declared expertise and tags count most, then her title and company, then conversations and
advice that mention the topic, the recent ones more than the old (a mention `HALF_LIFE_DAYS`
old counts half). Each person comes with her roles, her warmth (from the one
standing, services/clock/standing.py), the evidence in words, and a specific question to ask.

`introductions` turns it round for one person: who else shares her interests, so the user can
make "connections for one another".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text

from mentormap.domain.clock import day_words
from mentormap.errors import InvalidInput
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.search.index import BY_KIND, REF_OF_ROWID, TABLE, band
from mentormap.services.search.query import (
    RANKED,
    match_expression,
    owner_filter,
    plain_snippet,
    snippets,
)

EXPERTISE_POINTS = 10.0  # declared expertise or a tag
WORK_POINTS = 4.0  # title or company
INTEREST_POINTS = 6.0  # her interests, counted for introductions only
MENTION_POINTS = 3.0  # a conversation or advice from today; less as it ages
MENTIONS_CAP = 12.0  # many old mentions never outweigh declared expertise by much
HALF_LIFE_DAYS = 180
MENTIONS_SHOWN = 2
DEFAULT_LIMIT = 10


@dataclass
class Helper:
    id: int
    name: str
    score: float
    roles: list[str]
    warmth: str | None
    why: list[str]
    ask: str
    company: str | None = None
    title: str | None = None
    snippets: list[str] = field(default_factory=list)  # the `why` lines with match markers

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "roles": self.roles,
            "warmth": self.warmth,
            "why": self.why,
            "ask": self.ask,
            "company": self.company,
            "title": self.title,
        }


@dataclass
class WhoResult:
    topic: str
    helpers: list[Helper]
    for_person: str | None = None
    topics: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "for": self.for_person,
            "topics": self.topics,
            "people": [h.as_json() for h in self.helpers],
        }


def _column_match(columns: str, match: str) -> str:
    return f"{{{columns}}} : ({match})"


def who(
    ctx: Ctx,
    topic: str,
    limit: int = DEFAULT_LIMIT,
    exclude: int | None = None,
    match: str | None = None,
    interests: bool = False,
) -> WhoResult:
    """People ranked by evidence that they can help with `topic`, best first."""
    from mentormap.services.search.index import ensure_supported

    engine = ensure_supported(ctx)
    match = match or match_expression(topic)
    if engine != "sqlite":
        from mentormap.services.search import postgres

        ranked = postgres.who_ranked(
            ctx, match, limit=max(1, min(limit, 100)), exclude=exclude, interests=interests,
            points=(EXPERTISE_POINTS, WORK_POINTS, INTEREST_POINTS, MENTION_POINTS,
                    MENTIONS_CAP, HALF_LIFE_DAYS, RANKED),
        )  # fmt: skip
        return WhoResult(topic=topic, helpers=_describe(ctx, topic, match, ranked, engine))
    params: dict[str, Any] = {
        "owner": ctx.owner_id,
        "expertise": _column_match("expertise alt", match),
        "work": _column_match("work", match),
        "interests": _column_match("body", match),
        # The whole entry of a conversation or advice: FTS5 reads a column filter's positions
        # for every entry holding the word, ten times the cost on a common word.
        "mentions": match,
        "today": ctx.today().isoformat(),
        "limit": max(1, min(limit, 100)),
        "exclude": exclude if exclude is not None else -1,
        "ranked": RANKED,
    }
    owner = owner_filter(ctx)
    people = _in_band("person")
    # A mention `HALF_LIFE_DAYS` old counts half as much as one from today.
    weight = (
        f"{MENTION_POINTS} / (1 + max(0, julianday(:today) - julianday(%s)) / {HALF_LIFE_DAYS}.0)"
    )
    shared = (
        f"UNION ALL SELECT {REF_OF_ROWID}, {INTEREST_POINTS} FROM {TABLE} "
        f"WHERE {TABLE} MATCH :interests{people}{owner}"
        if interests
        else ""
    )
    sql = f"""
    WITH declared AS (
        SELECT {REF_OF_ROWID} AS pid, {EXPERTISE_POINTS} AS points FROM {TABLE}
        WHERE {TABLE} MATCH :expertise{people}{owner}
        UNION ALL
        SELECT {REF_OF_ROWID}, {WORK_POINTS} FROM {TABLE}
        WHERE {TABLE} MATCH :work{people}{owner}
        {shared}
    ),
    {_MENTIONED.format(owner=owner, **_mention_bands())},
    mentions AS (
        SELECT ip.person_id AS pid, min({MENTIONS_CAP}, sum({weight % "i.occurred_on"})) AS points
        FROM talks m JOIN interactions i ON i.id = m.ref
        JOIN interaction_participants ip ON ip.interaction_id = i.id
        GROUP BY ip.person_id
        UNION ALL
        SELECT a.person_id, min({MENTIONS_CAP}, sum({weight % "a.given_on"}))
        FROM advised m JOIN advice a ON a.id = m.ref
        GROUP BY a.person_id
    ),
    scored AS (
        SELECT pid, sum(points) AS score FROM (
            SELECT * FROM declared UNION ALL SELECT * FROM mentions
        ) GROUP BY pid
    )
    SELECT s.pid, s.score FROM scored s JOIN people p ON p.id = s.pid
    WHERE p.owner_id = :owner AND NOT p.archived AND p.id <> :exclude
    ORDER BY s.score DESC, p.name_key LIMIT :limit
    """
    from mentormap.services.search import semantic

    model = semantic.active(ctx)  # by meaning too, when the user installed a model
    if model is not None:
        params["limit"] = 100
    ranked = [(int(pid), float(score)) for pid, score in ctx.session.execute(text(sql), params)]
    if model is None:
        return WhoResult(topic=topic, helpers=_describe(ctx, topic, match, ranked, engine))
    from sqlalchemy import select

    near = semantic.people_closest(ctx, model, topic, exclude)
    points = dict(ranked)
    for pid, (similarity, _rid) in near.items():
        points[pid] = points.get(pid, 0.0) + semantic.MEANING_POINTS * similarity
    names = dict(
        ctx.session.execute(
            select(Person.id, Person.name_key).where(Person.id.in_(list(points)))
        ).all()
    )
    ranked = sorted(points.items(), key=lambda item: (-item[1], names.get(item[0]) or ""))
    helpers = _describe(ctx, topic, match, ranked[: max(1, min(limit, 100))], engine)
    quotes = semantic.texts(ctx, [near[h.id][1] for h in helpers if not h.why and h.id in near])
    for helper in helpers:
        if not helper.why and helper.id in near and near[helper.id][1] in quotes:
            line = "close in meaning: '" + semantic.excerpt(quotes[near[helper.id][1]]) + "'"
            helper.why.append(line)
            helper.snippets.append(line)
    return WhoResult(topic=topic, helpers=helpers)


def _in_band(kind: str) -> str:
    low, high = band(BY_KIND[kind].code)
    return f" AND rowid >= {low} AND rowid < {high}"


def _cutoff(kind: str) -> str:
    """The lowest rowid among the newest `RANKED` entries of `kind` matching :mentions."""
    low, _high = band(BY_KIND[kind].code)
    return (
        f"(SELECT coalesce(min(rowid), {low}) FROM (SELECT rowid FROM {TABLE} "
        f"WHERE {TABLE} MATCH :mentions{_in_band(kind)} ORDER BY rowid DESC LIMIT :ranked))"
    )


def _mention_bands() -> dict[str, str]:
    return {
        # Below the band's end only: the cut is its lower bound, and FTS5 uses one of those.
        "talk_band": f" AND rowid < {band(BY_KIND['interaction'].code)[1]}",
        "talk_cut": _cutoff("interaction"),
        "advice_band": f" AND rowid < {band(BY_KIND['advice'].code)[1]}",
        "advice_cut": _cutoff("advice"),
    }


# The conversations and the advice mentioning the topic: the newest `RANKED` of each, for a
# topic in hundreds of thousands of notes (the recent ones count most anyway).
_MENTIONED = (
    "talks AS (SELECT rowid AS rid, "
    + REF_OF_ROWID
    + " AS ref FROM "
    + TABLE
    + " WHERE "
    + TABLE
    + " MATCH :mentions{talk_band} AND rowid >= {talk_cut}{owner}),"
    " advised AS (SELECT rowid AS rid, "
    + REF_OF_ROWID
    + " AS ref FROM "
    + TABLE
    + " WHERE "
    + TABLE
    + " MATCH :mentions{advice_band} AND rowid >= {advice_cut}{owner})"
)


def _describe(
    ctx: Ctx, topic: str, match: str, ranked: list[tuple[int, float]], engine: str = "sqlite"
) -> list[Helper]:
    """Names, roles, warmth, evidence and a question for the few people ranked."""
    from sqlalchemy import select

    from mentormap.services.clock.standing import warmth_and_due
    from mentormap.services.people.people import roles_by_person

    if not ranked:
        return []
    ids = [pid for pid, _ in ranked]
    people = {
        p.id: p
        for p in ctx.session.execute(
            select(Person.id, Person.name, Person.company, Person.title).where(Person.id.in_(ids))
        )
    }
    roles = roles_by_person(ctx, ids)
    warmth = warmth_and_due(ctx, ids)
    declared, work, mentions = _evidence(ctx, match, ids, engine)
    helpers = []
    for pid, score in ranked:
        row = people[pid]
        why: list[str] = []
        if pid in declared:
            why.append("expertise: " + declared[pid])
        if pid in work:
            why.append("works as: " + work[pid])
        why.extend(line for line, _on in mentions.get(pid, []))
        latest = mentions.get(pid, [])
        helpers.append(
            Helper(
                id=pid,
                name=row.name,
                score=round(score, 2),
                roles=roles.get(pid, []),
                warmth=warmth.get(pid, (None, None))[0],
                why=[plain_snippet(line) for line in why],
                snippets=why,
                ask=suggested_ask(
                    topic,
                    expert=pid in declared,
                    company=row.company,
                    last_mention=latest[0][1] if latest else None,
                ),
                company=row.company,
                title=row.title,
            )
        )
    return helpers


def _evidence(
    ctx: Ctx, match: str, ids: list[int], engine: str
) -> tuple[dict[int, str], dict[int, str], dict[int, list[tuple[str, date]]]]:
    """Her expertise and her work as snippets, and her latest mentions, for each of `ids`."""
    if engine != "sqlite":
        from mentormap.services.search import postgres

        people = [("person", pid) for pid in ids]
        expert = postgres.headlines(ctx, match, people, part="expertise")
        job = postgres.headlines(ctx, match, people, part="work")
        rows = postgres.who_mentions(ctx, match, ids, MENTIONS_SHOWN, RANKED)
        cut = postgres.headlines(ctx, match, [(kind, ref) for _pid, kind, ref, _l, _d in rows])
        mentions = _mention_lines(
            [(pid, label, day, cut.get((kind, ref), "")) for pid, kind, ref, label, day in rows]
        )
        return (
            {pid: expert[("person", pid)] for pid in ids if ("person", pid) in expert},
            {pid: job[("person", pid)] for pid in ids if ("person", pid) in job},
            mentions,
        )
    base = band(BY_KIND["person"].code)[0]
    rowids = [base + pid for pid in ids]
    declared = snippets(ctx, _column_match("expertise", match), rowids, column=1)
    work = snippets(ctx, _column_match("work", match), rowids, column=2)
    return (
        {pid: declared[base + pid] for pid in ids if base + pid in declared},
        {pid: work[base + pid] for pid in ids if base + pid in work},
        _mentions(ctx, match, ids),
    )


def _mention_lines(rows: list[tuple[int, str, Any, str]]) -> dict[int, list[tuple[str, date]]]:
    found: dict[int, list[tuple[str, date]]] = {}
    for pid, label, day, quote in rows:
        on = date.fromisoformat(str(day)[:10])
        line = f"{str(label).replace('_', ' ')} {day_words(on)}: '{quote}'"
        found.setdefault(int(pid), []).append((line, on))
    for lines in found.values():
        lines.sort(key=lambda item: item[1], reverse=True)
    return found


def _mentions(ctx: Ctx, match: str, ids: list[int]) -> dict[int, list[tuple[str, date]]]:
    """The latest conversations and advice of each of `ids` that mention the topic."""
    marks = ", ".join(str(i) for i in ids)
    sql = f"""
    WITH {_MENTIONED.format(owner=owner_filter(ctx), **_mention_bands())},
    found AS (
        SELECT ip.person_id AS pid, m.rid, i.kind AS label, i.occurred_on AS day
        -- CROSS JOIN keeps this order: from the few conversations found to their people, not
        -- from the people's whole histories to a scan of the conversations found for each.
        FROM talks m CROSS JOIN interactions i CROSS JOIN interaction_participants ip
        WHERE i.id = m.ref AND ip.interaction_id = i.id AND ip.person_id IN ({marks})
        UNION ALL
        SELECT a.person_id, m.rid, 'advice', a.given_on
        FROM advised m JOIN advice a ON a.id = m.ref
        WHERE a.person_id IN ({marks})
    )
    SELECT pid, rid, label, day FROM (
        SELECT *, row_number() OVER (PARTITION BY pid ORDER BY day DESC, rid DESC) AS n
        FROM found
    ) WHERE n <= {MENTIONS_SHOWN}
    """
    rows = ctx.session.execute(
        text(sql),
        {"mentions": match, "owner": ctx.owner_id, "ranked": RANKED},
    ).all()
    cut = snippets(ctx, _column_match("body", match), [int(r[1]) for r in rows], column=3)
    return _mention_lines(
        [(pid, label, day, cut.get(int(rid)) or "") for pid, rid, label, day in rows]
    )


def suggested_ask(
    topic: str, *, expert: bool, company: str | None, last_mention: date | None
) -> str:
    """A specific question in the essay's spirit: one concrete thing, never "be my mentor"."""
    subject = plain_snippet(topic).strip().strip('"*') or topic
    if last_mention is not None:
        return (
            f"When we spoke on {day_words(last_mention)} you mentioned {subject}: "
            f"how did it turn out, and what would you do differently now?"
        )
    if expert:
        return (
            f"Could I ask you 20 minutes on {subject}? One question: what should I get right "
            f"first, and what would you not bother with?"
        )
    if company:
        return f"How does {company} approach {subject}, and what has worked for your team?"
    return f"What is the one thing you wish you had known when you started with {subject}?"


# --- introductions ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[,;/\n•·|]+|\band\b", re.IGNORECASE)


def interest_topics(person: Any) -> list[str]:
    """Her interests (and expertise) as separate topics: "Go, climbing; jazz" → three."""
    topics: list[str] = []
    for value in (person.interests, person.expertise):
        for part in _SEPARATORS.split(value or ""):
            cleaned = " ".join(part.split()).strip(" .")
            if cleaned and cleaned.lower() not in {t.lower() for t in topics}:
                topics.append(cleaned)
    return topics[:12]


def introductions(ctx: Ctx, person: Person, limit: int = DEFAULT_LIMIT) -> WhoResult:
    """Who in the network shares her interests or knows what she is into: introductions."""
    topics = interest_topics(person)
    if not topics:
        raise InvalidInput(
            f"{person.name} has no interests or expertise yet; add some with "
            f"`mentormap people edit {person.name!r} --interests …`."
        )
    merged: dict[int, Helper] = {}
    for topic in topics:
        try:
            match = match_expression(topic)
        except InvalidInput:
            continue
        found = who(ctx, topic, limit=limit, exclude=person.id, match=match, interests=True)
        for helper in found.helpers:
            shared = f"shares {person.name}'s interest: {topic}"
            if helper.id in merged:
                kept = merged[helper.id]
                kept.score = round(kept.score + helper.score, 2)
                kept.why.insert(0, shared)
                kept.snippets.insert(0, shared)
            else:
                helper.why.insert(0, shared)
                helper.snippets.insert(0, shared)
                helper.ask = (
                    f"Would you like to meet {person.name}? You both care about {topic}; "
                    f"I think you would enjoy comparing notes."
                )
                merged[helper.id] = helper
    ranked = sorted(merged.values(), key=lambda h: (-h.score, h.name))[:limit]
    return WhoResult(topic=", ".join(topics), helpers=ranked, for_person=person.name, topics=topics)
