"""Hostile backups: each is refused in one line naming table, row and column, or restores into a
database that every surface can read. Nothing is written by a refused restore."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from mentormap.db import Database
from mentormap.errors import InvalidInput
from mentormap.services.context import Ctx
from mentormap.services.interop.backup import backup_chunks, restore, row_counts
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY, CliInvoke

Doc = dict[str, Any]


def _settings(path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo("Europe/London"), today_override=TODAY
    )


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo network's backup, made once."""
    from mentormap.services.demo.network import build_demo

    path = tmp_path_factory.mktemp("demo-backup") / "demo.db"
    database = Database.open(_settings(path))
    with open_ctx(database) as ctx:
        build_demo(ctx)
    with open_ctx(database) as ctx:
        document = "".join(backup_chunks(ctx))
    database.close()
    return document


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    Database.open(_settings(path)).close()
    return path


@pytest.fixture
def fresh(empty_template: Path, tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """Opens a new empty database each call."""
    opened: list[Database] = []

    def make() -> Database:
        path = tmp_path / f"db{len(opened)}.db"
        shutil.copy(empty_template, path)
        opened.append(Database.open(_settings(path)))
        return opened[-1]

    yield make
    for database in opened:
        database.close()


def _table(doc: Doc, name: str) -> tuple[list[str], list[list[Any]]]:
    table = doc["tables"][name]
    return table["columns"], table["rows"]


def _set(doc: Doc, name: str, column: str, value: Any, row: int = 0) -> Doc:
    columns, rows = _table(doc, name)
    rows[row][columns.index(column)] = value
    return doc


def _dump(doc: Doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def _edit(demo_backup: str, change: Callable[[Doc], Any]) -> bytes:
    doc = json.loads(demo_backup)
    result = change(doc)
    return result if isinstance(result, bytes) else _dump(doc)


def _nested(demo_backup: str) -> bytes:
    doc = json.loads(demo_backup)
    _set(doc, "people", "notes", "NESTED")
    return _dump(doc).replace(b'"NESTED"', b"[" * 10_000 + b"]" * 10_000)


def _duplicate_person(doc: Doc) -> None:
    _columns, rows = _table(doc, "people")
    rows.append(list(rows[0]))


def _duplicate_attribute(doc: Doc) -> None:
    _columns, rows = _table(doc, "person_attributes")
    rows[:] = [[1, 1, "region", "EU"], [2, 1, "region", "US"]]
    doc["tables"]["person_attributes"]["columns"] = ["id", "person_id", "key", "value"]


def _short_row(doc: Doc) -> None:
    _columns, rows = _table(doc, "people")
    rows[3] = rows[3][:-1]


HOSTILE: list[tuple[str, Callable[[Doc], Any], str]] = [
    ("role boss", lambda d: _set(d, "roles", "key", "boss"), "roles row 1, column key: 'boss'"),
    (
        "cadence inf",
        lambda d: _set(d, "people", "cadence_days", float("inf")),
        "people row 1, column cadence_days: inf should be a whole number",
    ),
    (
        "cadence nan",
        lambda d: _set(d, "roles", "cadence_days", float("nan")),
        "roles row 1, column cadence_days",
    ),
    (
        "cadence past ten years",
        lambda d: _set(d, "people", "cadence_days", 3661),
        "people row 1, column cadence_days: 3661 is out of range",
    ),
    (
        "cadence zero",
        lambda d: _set(d, "groups", "cadence_days", 0),
        "groups row 1, column cadence_days",
    ),
    ("id past 2^63", lambda d: _set(d, "people", "id", 2**63), "people row 1, column id: "),
    (
        # The search index keeps a row's id in 32 bits; a larger one broke its rebuild.
        "advice id past 2^32",
        lambda d: _set(d, "advice", "id", 2**63 - 1),
        "advice row 1, column id: 9223372036854775807 is out of range",
    ),
    (
        "reference past 2^63",
        lambda d: _set(d, "interaction_participants", "person_id", 2**64),
        "interaction_participants row 1, column person_id",
    ),
    ("latitude inf", lambda d: _set(d, "people", "latitude", 1e999), "column latitude: inf"),
    ("latitude 91", lambda d: _set(d, "people", "latitude", 91.0), "people row 1, column latitude"),
    (
        "name a number",
        lambda d: _set(d, "people", "name", 5),
        "people row 1, column name: 5 should be",
    ),
    ("name empty", lambda d: _set(d, "people", "name", ""), "people row 1, column name: is empty"),
    (
        "name huge",
        lambda d: _set(d, "people", "name", "x" * 5_000_000),
        "longer than 200 characters",
    ),
    (
        "notes huge",
        lambda d: _set(d, "people", "notes", "x" * 1_000_001),
        "column notes: is longer",
    ),
    (
        "archived text",
        lambda d: _set(d, "people", "archived", "yes"),
        "column archived: 'yes' should",
    ),
    (
        "archived null",
        lambda d: _set(d, "people", "archived", None),
        "column archived: None should",
    ),
    ("date a number", lambda d: _set(d, "people", "met_on", 20200101), "column met_on: 20200101"),
    (
        "date 30 Feb",
        lambda d: _set(d, "people", "met_on", "2026-02-30"),
        "column met_on: '2026-02-30'",
    ),
    ("date 1850", lambda d: _set(d, "roles", "since", "1850-01-01"), "roles row 1, column since"),
    (
        "date year 9999",
        lambda d: _set(d, "roles", "since", "9999-12-31"),
        "roles row 1, column since",
    ),
    (
        "instant with offset",
        lambda d: _set(d, "interactions", "occurred_at", "2026-01-01T10:00:00+05:00"),
        "interactions row 1, column occurred_at",
    ),
    ("instant a bool", lambda d: _set(d, "people", "created_at", True), "column created_at: True"),
    (
        "amount text",
        lambda d: _set(d, "expenses", "amount", "lots"),
        "expenses row 1, column amount",
    ),
    ("amount list", lambda d: _set(d, "expenses", "amount", [1]), "expenses row 1, column amount"),
    ("amount nan", lambda d: _set(d, "expenses", "amount", "NaN"), "expenses row 1, column amount"),
    (
        "kind unknown",
        lambda d: _set(d, "interactions", "kind", "telepathy"),
        "column kind: 'telepathy'",
    ),
    (
        "direction unknown",
        lambda d: _set(d, "interactions", "direction", "sideways"),
        "interactions row 1, column direction",
    ),
    ("favour state", lambda d: _set(d, "favours", "state", "lost"), "favours row 1, column state"),
    (
        "follow-up state",
        lambda d: _set(d, "follow_ups", "state", "maybe"),
        "follow_ups row 1, column state",
    ),
    (
        "owed by",
        lambda d: _set(d, "follow_ups", "owed_by", "us"),
        "follow_ups row 1, column owed_by",
    ),
    (
        "time zone",
        lambda d: _set(d, "people", "timezone", "Mars/Olympus"),
        "column timezone: 'Mars",
    ),
    ("work hours", lambda d: _set(d, "people", "work_hours", "25:00-26:00"), "column work_hours"),
    (
        "session minutes",
        lambda d: _set(d, "groups", "session_minutes", -5),
        "groups row 1, column session_minutes",
    ),
    (
        "dangling person",
        lambda d: _set(d, "interaction_participants", "person_id", 99_999),
        "interaction_participants row 1, column person_id: no people row with id 99999",
    ),
    (
        "dangling favour",
        lambda d: _set(d, "follow_ups", "favour_id", 99_999),
        "column favour_id: no favours row",
    ),
    ("duplicate id", _duplicate_person, "people row 81, column id: 1 appears twice"),
    (
        "duplicate attribute",
        _duplicate_attribute,
        "person_attributes row 2, column person_id, key: (1, 'region') appears twice",
    ),
    ("short row", _short_row, "people row 4, column updated_at: is missing"),
    ("id null", lambda d: _set(d, "people", "id", None), "people row 1, column id: None should"),
    (
        "row not a list",
        lambda d: d["tables"]["people"]["rows"].__setitem__(2, "x"),
        "people row 3: a row must be a list of values",
    ),
    ("unknown table", lambda d: d["tables"].update(shoes={"columns": [], "rows": []}), "'shoes'"),
    (
        "unknown column",
        lambda d: d["tables"]["people"]["columns"].__setitem__(1, "shoe"),
        "people: unknown column 'shoe'",
    ),
    ("schema a list", lambda d: d.update(schema=["0091"]), "The backup's schema ['0091'] is not"),
    ("schema unknown", lambda d: d.update(schema="9999"), "does not know; restore it"),
    ("version true", lambda d: d.update(version=True), "Backup version True"),
    ("no format", lambda d: d.pop("format"), "no mentormap-backup header"),
    ("owner name a list", lambda d: d.update(owner={"name": [1]}), "header: owner.name"),
    ("tables a list", lambda d: d.update(tables=[]), "tables"),
    ("no tables", lambda d: d.pop("tables"), "The backup has no tables."),
]


@pytest.mark.parametrize(
    ("change", "message"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_backup_is_refused_in_one_line(
    demo_backup: str, fresh: Callable[[], Database], change: Callable[[Doc], Any], message: str
) -> None:
    database = fresh()
    with pytest.raises(InvalidInput) as refused, open_ctx(database) as ctx:
        restore(ctx, _edit(demo_backup, change))
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    with open_ctx(database) as ctx:
        assert not any(row_counts(ctx).values())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda doc: _nested(doc), "people row 1: values are nested too deeply"),
        (lambda doc: doc.encode()[: len(doc) // 2], "This is not a complete mentormap backup"),
        (lambda doc: doc.encode()[:-3], "This is not a complete mentormap backup"),
        (lambda doc: doc.encode() + b"{}", "more text after the document"),
        (lambda doc: b"\xff\xfe" + doc.encode("utf-16-le"), "not UTF-8"),
        (lambda doc: doc.replace('"rows": [', '"rows": [NaN, ', 1).encode(), "a row must be"),
        (lambda doc: b"[1, 2]", "not a JSON object"),
        (lambda doc: b"", "not a JSON object"),
    ],
    ids=[
        "deep nesting",
        "truncated",
        "cut at the end",
        "trailing",
        "utf-16",
        "NaN row",
        "list",
        "empty",
    ],
)
def test_broken_file_is_refused_in_one_line(
    demo_backup: str, fresh: Callable[[], Database], content: Callable[[str], bytes], message: str
) -> None:
    database = fresh()
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")), open_ctx(database) as ctx:
        restore(ctx, content(demo_backup))
    with open_ctx(database) as ctx:
        assert not any(row_counts(ctx).values())


def _every_surface(ctx: Ctx) -> None:
    """The reads that crashed on restored databases before: people list, today, health."""
    from mentormap.services.clock.today import compute_today
    from mentormap.services.health.report import network_health
    from mentormap.services.people.people import list_people, person_detail

    people = list_people(ctx)
    compute_today(ctx, everything=True)
    network_health(ctx)
    from mentormap.models import Person

    for summary in people[:5]:
        person = ctx.session.get(Person, summary.id)
        assert person is not None
        person_detail(ctx, person)


def test_backup_with_a_bom_and_pretty_printing_restores(
    demo_backup: str, fresh: Callable[[], Database]
) -> None:
    pretty = json.dumps(json.loads(demo_backup), indent=2, ensure_ascii=False)
    for content in (b"\xef\xbb\xbf" + demo_backup.encode(), pretty.encode()):
        database = fresh()
        with open_ctx(database) as ctx:
            report = restore(ctx, content)
        with open_ctx(database) as ctx:
            assert report.rows["people"] == 80
            assert "".join(backup_chunks(ctx)).split("\n", 1)[1] == demo_backup.split("\n", 1)[1]
            _every_surface(ctx)


def test_unsafe_links_are_dropped_with_a_warning(
    demo_backup: str, tmp_path: Path, cli: CliInvoke, db_path: Path
) -> None:
    doc = json.loads(demo_backup)
    doc["tables"]["person_links"] = {
        "columns": ["id", "person_id", "kind", "url"],
        "rows": [
            [1, 1, "site", "javascript://x.example/%0Aalert(document.domain)"],
            [2, 1, "site", "data:text/html,<script>alert(1)</script>"],
            [3, 2, "github", "https://github.com/someone"],
        ],
    }
    columns, rows = _table(doc, "opportunities")
    if rows:
        rows[0][columns.index("url")] = "javascript:alert(1)"
    backup = tmp_path / "backup.json"
    backup.write_bytes(_dump(doc))
    result = cli("restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "Warning: person_links row 1: dropped the link 'javascript:" in result.stderr
    assert "Warning: person_links row 2: dropped the link 'data:" in result.stderr
    with Database.open(_settings(db_path)).engine.connect() as connection:
        stored = connection.execute(text("SELECT url FROM person_links")).scalars().all()
        assert stored and all(u.startswith(("https://", "http://", "mailto:")) for u in stored)
        urls = connection.execute(text("SELECT url FROM opportunities")).scalars().all()
        assert not any(u and u.startswith("javascript:") for u in urls)


def test_restore_reads_standard_input(demo_backup: str, tmp_path: Path, cli: CliInvoke) -> None:
    result = cli("restore", "-", input=demo_backup)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Restored ")


def _mutations() -> st.SearchStrategy[tuple[int, int, Any]]:
    """A row, a column and a value to put there: awkward values of every JSON type."""
    values = (
        st.none()
        | st.booleans()
        | st.integers(-(2**64), 2**64)
        | st.sampled_from([0, -1, 1, 3660, 3661, 2**63 - 1, 2**63])
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=30)
        | st.sampled_from(
            [
                "",
                "2026-02-30",
                "2026-11-25",
                "1899-12-31",
                "2026-11-25 09:00:00.000000",
                "2026-11-25T09:00:00Z",
                "javascript:alert(1)",
                "https://example.com",
                "boss",
                "inbound",
                "Europe/London",
                "Not/AZone",
                "25:00-26:00",
                "09:00-17:30",
                "NaN",
                "1e999",
                "12.345",
            ]
        )
        | st.lists(st.integers(), max_size=2)
        | st.dictionaries(st.text(max_size=3), st.integers(), max_size=1)
    )
    return st.tuples(st.integers(0, 10_000), st.integers(0, 100), values)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_mutations(), min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_mutated_backup_is_refused_or_works_everywhere(
    demo_backup: str,
    fresh: Callable[[], Database],
    mutations: list[tuple[int, int, Any]],
    rng: Any,
) -> None:
    doc = json.loads(demo_backup)
    names = sorted(name for name, table in doc["tables"].items() if table["rows"])
    for row, column, value in mutations:
        table = doc["tables"][rng.choice(names)]
        chosen = table["rows"][row % len(table["rows"])]
        chosen[column % len(chosen)] = value
    database = fresh()
    try:
        with open_ctx(database) as ctx:
            restore(ctx, _dump(doc))
    except InvalidInput as refused:
        assert "\n" not in str(refused)
        with open_ctx(database) as ctx:
            assert not any(row_counts(ctx).values())
        return
    with open_ctx(database) as ctx:
        _every_surface(ctx)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_reader_reads_any_layout_across_chunk_boundaries(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    import io

    from mentormap.services.interop import backup_reader

    monkeypatch.setattr(backup_reader, "CHUNK", chunk)  # every value crosses a boundary
    rows = [[1, "a" * 50], [23456, "é\u00e9\U0001f600\\"], [3, None], [2**70, 1.5e10, True]]
    doc = {"format": "f", "version": 1, "tables": {"people": {"columns": ["id"], "rows": rows}}}
    for layout in ({}, {"indent": 3}, {"separators": (",", ":")}, {"ensure_ascii": False}):
        reader = backup_reader.BackupReader(io.BytesIO(json.dumps(doc, **layout).encode()))  # type: ignore[arg-type]
        assert reader.header() == {"format": "f", "version": 1}
        assert [(n, c, list(r)) for n, c, r in reader.tables()] == [("people", ["id"], rows)]
