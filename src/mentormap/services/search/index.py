"""The full-text index: what each searchable row contributes, and how the index is kept.

On SQLite the index is one FTS5 table, `search_index`, derived from the rows: triggers on the
source tables keep it current on every write, whoever writes (a service, an import, a restore,
the sqlite3 shell), and `rebuild` makes it again from scratch. Each entry's rowid is its type's
code in the high bits and the source row's id in the low 32, so an entry is found and replaced
by its rowid, and each type is one range of rowids. Conversations, by far the most numerous,
have the lowest code: the entries of every other type come first in descending rowid order,
then conversations newest first, which is the order a search narrows a very common word by.

Columns, weighted by `bm25` in that order: `name` (a person's name, a goal's or an
achievement's title), `expertise` (her declared expertise and her tags), `work` (title,
company, city; the kind of a conversation or favour), `body` (notes, advice, descriptions),
and `alt`: the same words with the letters that carry no separable accent spelt out
(ø → o, þ → th), filled only where there are any, so "soren" finds Søren in any text.
The tokenizer (`porter` over `unicode61 remove_diacritics 2`) folds case and accents and
stems English ("hiring" finds "hired").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text

from mentormap.domain.folding import SPELLED_OUT_CASED
from mentormap.services.context import Ctx

TABLE = "search_index"
COLUMNS = ("name", "expertise", "work", "body", "alt")
WEIGHTS = (8.0, 5.0, 2.5, 1.0, 1.0)
TOKENIZE = "porter unicode61 remove_diacritics 2"
# Prefix indexes: `kube*` reads one list instead of merging the lists of every word it starts
# (200 ms on a common word of 20,000 people's notes); longer prefixes match fewer words.
PREFIX = "2 3 4"
MARK_START, MARK_END = "\x02", "\x03"  # around matched words in a snippet; never in stored text
ELLIPSIS = "…"
SNIPPET_TOKENS = 12
BITS = 32  # rowid = (the type's code << BITS) + the source row's id
KIND_OF_ROWID = f"(rowid >> {BITS})"
REF_OF_ROWID = f"(rowid & {(1 << BITS) - 1})"


def rowid_of(code: int, id_expression: str) -> str:
    return f"(({id_expression}) + {code << BITS})"


def band(code: int) -> tuple[int, int]:
    """The rowids of one type's entries: from the first, up to but not including the second."""
    return code << BITS, (code + 1) << BITS


@dataclass(frozen=True)
class Source:
    """One searchable type: its source table and the SQL of each column over `s`."""

    kind: str
    code: int
    table: str
    name: str = "''"
    expertise: str = "''"
    work: str = "''"
    body: str = "''"
    # Columns whose change changes the entry (the UPDATE trigger fires on these only).
    watched: tuple[str, ...] = ()
    # Which rows have an entry at all (SQL over `s`); every row when None.
    kept: str | None = None


def _join(*parts: str) -> str:
    return "trim(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


_TAGS = (
    "(SELECT group_concat(t.name, ' ') FROM person_tags pt JOIN tags t ON t.id = pt.tag_id"
    " WHERE pt.person_id = s.id)"
)
_ATTRIBUTES = (
    "(SELECT group_concat(a.key || ' ' || a.value, ' ') FROM person_attributes a"
    " WHERE a.person_id = s.id)"
)

SOURCES = (
    Source(
        "person",
        8,
        "people",
        name="s.name",
        expertise=_join("s.expertise", _TAGS),
        work=_join("s.title", "s.company", "s.city", "s.country"),
        body=_join("s.interests", "s.notes", "s.how_met", _ATTRIBUTES),
        watched=(
            "name",
            "expertise",
            "title",
            "company",
            "city",
            "country",
            "interests",
            "notes",
            "how_met",
        ),
    ),
    Source(
        "interaction",
        1,
        "interactions",
        work=_join("s.kind", "s.location"),
        # A private conversation's notes stay out of the index.
        body="CASE WHEN s.private THEN '' ELSE coalesce(s.notes, '') END",
        watched=("kind", "location", "notes", "private"),
        # Only conversations with words of their own: most are logged without notes, and an
        # entry saying only "call" finds nothing the timeline does not (and costs every write).
        kept="(coalesce(s.notes, '') <> '' AND NOT s.private) OR coalesce(s.location, '') <> ''",
    ),
    Source("advice", 3, "advice", body=_join("s.text", "s.note"), watched=("text", "note")),
    Source(
        "achievement",
        5,
        "achievements",
        name="s.title",
        body="s.impact",
        watched=("title", "impact"),
    ),
    Source("agenda", 2, "agenda_items", body="s.text", watched=("text",)),
    Source(
        "favour",
        4,
        "favours",
        work="s.kind",
        body="s.description",
        watched=("kind", "description"),
    ),
    Source(
        "goal",
        6,
        "goals",
        name="s.title",
        work="s.kind",
        body="s.note",
        watched=("title", "kind", "note"),
    ),
    Source(
        "opportunity",
        7,
        "opportunities",
        name="s.title",
        work="s.kind",
        body="s.note",
        watched=("title", "kind", "note"),
    ),
)
BY_KIND = {source.kind: source for source in SOURCES}
BY_CODE = {source.code: source for source in SOURCES}
KINDS = tuple(BY_KIND)


_LETTERS = list(SPELLED_OUT_CASED.items())
_LAYER = 13  # replace() calls per nesting level: SQLite's parser allows only so many
_HAS_LETTERS = "'*[" + "".join(SPELLED_OUT_CASED) + "]*'"
# Any letter outside ASCII: one comparison a character, where the class above costs one per
# letter in it; most text is ASCII, so the second test (two thirds of a write's cost) is skipped.
_NOT_ASCII = "'*[^' || char(1) || '-' || char(127) || ']*'"


def _replaced(expression: str, letters: list[tuple[str, str]]) -> str:
    for letter, spelled in letters:
        expression = f"replace({expression}, '{letter}', '{spelled}')"
    return expression


def entries(source: Source, where: str) -> str:
    """INSERT of the index entries of `source`'s rows matching `where` (over alias `s`).

    `alt` is spelt out in layers of subqueries (SQLite flattens them into one expression), and
    only for the entries that hold such a letter at all (looked for only in text that is not
    all ASCII).
    """
    layer = (
        f"SELECT {rowid_of(source.code, 's.id')} AS rid, coalesce({source.name}, '') AS name, "
        f"coalesce({source.expertise}, '') AS expertise, coalesce({source.work}, '') AS work, "
        f"coalesce({source.body}, '') AS body, s.owner_id AS owner_id "
        f"FROM {source.table} AS s WHERE {where}" + (f" AND ({source.kept})" if source.kept else "")
    )
    layer = (
        f"SELECT d.*, d.name || ' ' || d.expertise || ' ' || d.work || ' ' || d.body AS w "
        f"FROM ({layer}) AS d"
    )
    chunks = [_LETTERS[i : i + _LAYER] for i in range(0, len(_LETTERS), _LAYER)]
    for n, chunk in enumerate(chunks[:-1]):
        spelled = _replaced("d.w" if n == 0 else f"d.w{n}", chunk)
        layer = f"SELECT d.*, {spelled} AS w{n + 1} FROM ({layer}) AS d"
    last = _replaced(f"d.w{len(chunks) - 1}" if len(chunks) > 1 else "d.w", chunks[-1])
    return (
        f"INSERT INTO {TABLE} (rowid, name, expertise, work, body, alt, owner_id) "
        f"SELECT d.rid, d.name, d.expertise, d.work, d.body, "
        f"CASE WHEN d.w GLOB {_NOT_ASCII} AND d.w GLOB {_HAS_LETTERS} THEN {last} ELSE '' END, "
        f"d.owner_id "
        f"FROM ({layer}) AS d"
    )


# Meaning search (services/search/semantic.py) embeds each entry once; while it is on, every
# write to the index also notes the entry's rowid here, so the next search embeds just those.
CHANGES = "search_changes"
MEANING_PREFERENCE = "semantic_model"
MEANING_ON = f"EXISTS (SELECT 1 FROM preferences WHERE key = '{MEANING_PREFERENCE}')"


def noted(rowids: str) -> str:
    """The statement noting the rowids SELECTed by `rowids` (a SELECT without WHERE, or with
    one), while meaning search is on."""
    joiner = " AND " if " WHERE " in rowids else " WHERE "
    return f"INSERT OR IGNORE INTO {CHANGES} (rid) {rowids}{joiner}{MEANING_ON}"


def _refresh(source: Source, id_expression: str) -> str:
    rowid = rowid_of(source.code, id_expression)
    return (
        f"DELETE FROM {TABLE} WHERE rowid = {rowid}; "
        + entries(source, f"s.id = {id_expression}")
        + "; "
        + noted(f"SELECT {rowid}")
        + ";"
    )


def sqlite_schema() -> list[str]:
    """Every statement that creates the index and its triggers (the migration's, as of now)."""
    columns = ", ".join(COLUMNS)
    statements = [
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5({columns}, owner_id UNINDEXED, "
        f"tokenize = '{TOKENIZE}', prefix = '{PREFIX}')"
    ]
    for source in SOURCES:
        prefix = f"{TABLE}_{source.table}"
        statements += [
            f"CREATE TRIGGER {prefix}_ai AFTER INSERT ON {source.table} BEGIN "
            + entries(source, "s.id = NEW.id")
            + "; "
            + noted(f"SELECT {rowid_of(source.code, 'NEW.id')}")
            + "; END",
            f"CREATE TRIGGER {prefix}_au AFTER UPDATE OF {', '.join(source.watched)} "
            f"ON {source.table} BEGIN " + _refresh(source, "NEW.id") + " END",
            f"CREATE TRIGGER {prefix}_ad AFTER DELETE ON {source.table} BEGIN "
            f"DELETE FROM {TABLE} WHERE rowid = {rowid_of(source.code, 'OLD.id')}; "
            + noted(f"SELECT {rowid_of(source.code, 'OLD.id')}")
            + "; END",
        ]
    person = BY_KIND["person"]
    # Her tags and attributes are part of her entry: any change to them renews it.
    for table in ("person_tags", "person_attributes"):
        prefix = f"{TABLE}_{table}"
        statements += [
            f"CREATE TRIGGER {prefix}_ai AFTER INSERT ON {table} BEGIN "
            + _refresh(person, "NEW.person_id")
            + " END",
            f"CREATE TRIGGER {prefix}_au AFTER UPDATE ON {table} BEGIN "
            + _refresh(person, "OLD.person_id")
            + " "
            + _refresh(person, "NEW.person_id")
            + " END",
            f"CREATE TRIGGER {prefix}_ad AFTER DELETE ON {table} BEGIN "
            + _refresh(person, "OLD.person_id")
            + " END",
        ]
    statements.append(
        f"CREATE TRIGGER {TABLE}_tags_au AFTER UPDATE OF name ON tags BEGIN "
        f"DELETE FROM {TABLE} WHERE rowid IN (SELECT {rowid_of(person.code, 'person_id')} "
        f"FROM person_tags WHERE tag_id = NEW.id); "
        + entries(person, "s.id IN (SELECT person_id FROM person_tags WHERE tag_id = NEW.id)")
        + "; "
        + noted(
            f"SELECT {rowid_of(person.code, 'person_id')} FROM person_tags WHERE tag_id = NEW.id"
        )
        + "; END"
    )
    return statements


def sqlite_triggers() -> list[str]:
    """The names of the index's triggers, in the order `sqlite_schema` creates them."""
    return [statement.split()[2] for statement in sqlite_schema()[1:]]


PAUSED_FROM = 200  # rows from which a bulk write pauses the triggers of their table


@contextmanager
def paused(ctx: Ctx, kind: str, rows: int) -> Iterator[set[int]]:
    """Write many rows of one type at once: their entries are made in one go at the end.

    FTS5 writes its pending entries out at every statement that changes it, so an entry per
    row of an executemany (one statement each) costs ten times what one statement for them
    all does. Yields the set the caller fills with the ids it wrote. Inside the caller's
    transaction: a failure takes back the triggers' drop with everything else.
    """
    written: set[int] = set()
    source = BY_KIND[kind]
    if rows < PAUSED_FROM or ctx.session.get_bind().dialect.name != "sqlite":
        yield written
        return
    mine = [
        (name, statement)
        for name, statement in zip(sqlite_triggers(), sqlite_schema()[1:], strict=True)
        if f" ON {source.table} BEGIN " in statement
    ]
    for name, _statement in mine:
        ctx.session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield written
    for _name, statement in mine:
        ctx.session.execute(text(statement))
    ids = sorted(written)
    for start in range(0, len(ids), 5000):
        chunk = ", ".join(str(int(i)) for i in ids[start : start + 5000])
        ctx.session.execute(
            text(
                f"DELETE FROM {TABLE} WHERE rowid IN "
                f"(SELECT {rowid_of(source.code, 's.id')} FROM {source.table} s "
                f"WHERE s.id IN ({chunk}))"
            )
        )
        ctx.session.execute(text(entries(source, f"s.id IN ({chunk})")))
        ctx.session.execute(
            text(noted(f"SELECT {rowid_of(source.code, 's.id')} FROM {source.table} s "
                       f"WHERE s.id IN ({chunk})"))
        )  # fmt: skip


def suspend(ctx: Ctx) -> bool:
    """Stop keeping the index during a bulk load (a restore), which `rebuild` then makes at once.

    Inside the caller's transaction, as everything here: a failed load takes the drop back.
    Returns whether there was an index to suspend (SQLite).
    """
    if ctx.session.get_bind().dialect.name != "sqlite":
        return False
    for name in sqlite_triggers():
        ctx.session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    return True


def rebuild(ctx: Ctx) -> int:
    """Make the whole index again from the rows (every owner's); returns its entry count.

    The triggers are made again too, and the index itself if it went missing, so a rebuild
    also repairs an index that a hand-made change to the schema broke.
    """
    ensure_supported(ctx)
    session = ctx.session
    statements = sqlite_schema()
    for name in sqlite_triggers():
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    # Made anew rather than emptied: deleting a million entries one by one takes longer.
    session.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))
    for statement in statements:
        session.execute(text(statement))
    for source in SOURCES:
        session.execute(text(entries(source, "1 = 1")))
    session.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')"))
    # The entries may have changed under meaning search (a restore, a repair): each is looked
    # at again, and those whose text is the same keep their embedding.
    session.execute(text(noted(f"SELECT rowid FROM {TABLE}")))
    return session.scalar(text(f"SELECT count(*) FROM {TABLE}")) or 0


def ensure_supported(ctx: Ctx) -> str:
    """The engine's name, or a one-line error where search does not run."""
    from mentormap.errors import UserError

    name = ctx.session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise UserError(f"Search works on SQLite and PostgreSQL, not on {name}.")
    return name
