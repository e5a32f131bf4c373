"""A lossless JSON backup of everything the owner has, and restoring it into an empty database.

Every table that carries `owner_id` is written whole, row ids included, so every reference
(participants, follow-ups, shares…) survives a restore unchanged. Values are typed back from
the column types on the way in. The document is written one row per line, so a million
interactions stream out without building one huge string.

    {"format": "mentormap-backup", "version": 1, "schema": "0001", "owner": {...},
     "tables": {"people": {"columns": [...], "rows": [[...], ...]}, ...}}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Numeric,
    String,
    Table,
    func,
    select,
    text,
    type_coerce,
    update,
)

from mentormap.db import HEAD_REVISION, known_revisions
from mentormap.errors import InvalidInput
from mentormap.models import Base, Owner
from mentormap.services.context import Ctx

FORMAT = "mentormap-backup"
VERSION = 1
BATCH = 5000
BIG_TABLE = 50_000  # rows above which a restore builds the table's indexes after filling it

Progress = Callable[[int, int], None]


def owned_tables() -> list[Table]:
    """Every user-owned table, parents before children (the order a restore must follow)."""
    return [t for t in Base.metadata.sorted_tables if "owner_id" in t.c]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(table: Table, columns: list[str]) -> list[Callable[[Any], Any] | None]:
    """Per column: how to turn its JSON value back into what the column holds."""
    converters: list[Callable[[Any], Any] | None] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            converters.append(datetime.fromisoformat)
        elif isinstance(kind, Date):
            converters.append(date.fromisoformat)
        elif isinstance(kind, Numeric) and kind.asdecimal:
            converters.append(lambda v: Decimal(str(v)))
        elif isinstance(kind, Boolean):
            converters.append(bool)
        else:
            converters.append(None)
    return converters


def _readers(
    table: Table, columns: list[str], dialect: str
) -> tuple[list[Any], list[tuple[int, Callable[[Any], Any]]]]:
    """What to select for each column, and which values need turning into JSON text.

    SQLite keeps dates as ISO text already: reading that text as is (instead of building a
    date object and formatting it again) halves the time of a large backup.
    """
    keys: list[Any] = []
    fixes: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(columns):
        column = table.c[name]
        if isinstance(column.type, Date | DateTime):
            if dialect == "sqlite":
                keys.append(type_coerce(column, String))
                continue
            fixes.append((i, _plain))
        elif isinstance(column.type, Numeric) and column.type.asdecimal:
            fixes.append((i, str))
        keys.append(column)
    return keys, fixes


def row_counts(ctx: Ctx) -> dict[str, int]:
    return {
        table.name: ctx.session.scalar(
            select(func.count()).select_from(table).where(table.c.owner_id == ctx.owner_id)
        )
        or 0
        for table in owned_tables()
    }


def backup_chunks(ctx: Ctx, progress: Progress | None = None) -> Iterator[str]:
    """The backup document, piece by piece."""
    owner = ctx.session.get(Owner, ctx.owner_id)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema": HEAD_REVISION,
        "exported_at": ctx.now().isoformat(timespec="seconds"),
        "owner": {
            "name": owner.name if owner else None,
            "created_at": _plain(owner.created_at) if owner else None,
        },
    }
    total = sum(row_counts(ctx).values()) if progress else 0
    done = 0
    connection = ctx.session.connection()
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: dumps() makes one a row
    yield json.dumps(header, ensure_ascii=False)[:-1] + ',\n"tables": {'
    for n, table in enumerate(owned_tables()):
        columns = [c.name for c in table.c if c.name != "owner_id"]
        yield ("," if n else "") + f'\n{json.dumps(table.name)}: {{"columns": '
        yield json.dumps(columns) + ', "rows": ['
        keys, fixes = _readers(table, columns, connection.dialect.name)
        order = list(table.primary_key.columns)
        result = connection.execution_options(yield_per=BATCH).execute(
            select(*keys).where(table.c.owner_id == ctx.owner_id).order_by(*order)
        )
        first = True
        for rows in result.partitions():
            lines = []
            for row in rows:
                values = list(row)
                for i, fix in fixes:
                    if values[i] is not None:
                        values[i] = fix(values[i])
                lines.append(encode(values))
            yield ("\n" if first else ",\n") + ",\n".join(lines)
            first = False
            done += len(rows)
            if progress:
                progress(done, total)
        yield "]}"
    yield "\n}}\n"


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def restore(ctx: Ctx, data: bytes, progress: Progress | None = None) -> RestoreReport:
    """Load a backup into an owner who has nothing yet; ids are kept as they were."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"This is not a mentormap backup (not JSON: {exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput("This is not a mentormap backup (no mentormap-backup header).")
    if document.get("version") != VERSION:
        raise InvalidInput(f"Backup version {document.get('version')!r} is not one this reads.")
    # A backup from this or an older schema restores (its columns are checked one by one
    # below); one from a newer mentormap may hold data this one would silently drop.
    schema = document.get("schema")
    if schema != HEAD_REVISION and schema not in known_revisions(ctx.settings.database_url):
        raise InvalidInput(
            f"The backup is of schema {schema!r}, which this mentormap ({HEAD_REVISION!r}) "
            "does not know; restore it with the version that made it, or a newer one."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput("The backup has no tables.")
    known = {table.name: table for table in owned_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise InvalidInput(f"The backup has tables this mentormap does not know: {unknown}.")
    filled = {name: count for name, count in row_counts(ctx).items() if count}
    if filled:
        raise InvalidInput(
            "Restore needs an empty database, and this one has data "
            f"({', '.join(f'{count} {name}' for name, count in sorted(filled.items()))})."
        )
    total = sum(len(t.get("rows", [])) for t in tables.values() if isinstance(t, dict))
    report = RestoreReport()
    done = 0
    connection = ctx.session.connection()
    for table in owned_tables():
        content = tables.get(table.name)
        if content is None:
            continue
        columns, rows = _checked(table, content)
        write, typed = _writer(connection, table, columns)
        # Filling a big table and then building its indexes once beats updating them row by
        # row. SQLite DDL is transactional, so a failed restore takes this back too.
        rebuild = (
            []
            if len(rows) < BIG_TABLE or connection.dialect.name != "sqlite"
            else [index for index in table.indexes if not index.unique]
        )
        for index in rebuild:
            index.drop(connection)
        converters = [(i, c) for i, c in enumerate(typed, start=1) if c]
        batch: list[list[Any]] = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise InvalidInput(f"{table.name} row {number}: expected {len(columns)} values.")
            values = [ctx.owner_id, *row]
            try:
                for i, convert in converters:
                    if values[i] is not None:
                        values[i] = convert(values[i])
            except (TypeError, ValueError, ArithmeticError):
                raise InvalidInput(
                    f"{table.name} row {number}: a value has the wrong type."
                ) from None
            batch.append(values)
            if len(batch) >= BATCH:
                write(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            write(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        for index in rebuild:
            index.create(connection)
        report.rows[table.name] = len(rows)
    owner = document.get("owner") or {}
    if isinstance(owner, dict) and owner.get("name"):
        fields: dict[str, Any] = {"name": str(owner["name"])[:200]}
        if owner.get("created_at"):
            fields["created_at"] = datetime.fromisoformat(str(owner["created_at"]))
        ctx.session.execute(update(Owner).where(Owner.id == ctx.owner_id).values(**fields))
    _reset_sequences(ctx)
    ctx.session.expire_all()
    return report


Converter = Callable[[Any], Any] | None


def _money(process: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        amount = Decimal(str(value))
        return process(amount) if process else amount

    return convert


def _sqlite_typed(table: Table, columns: list[str], dialect: Any) -> list[Converter]:
    """JSON value -> what SQLite stores, checked: dates parse, then go in as SQLAlchemy's text."""
    converters: list[Converter] = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            converters.append(
                lambda v: (
                    datetime.fromisoformat(v).replace(tzinfo=None).isoformat(" ", "microseconds")
                )
            )
        elif isinstance(kind, Date):
            converters.append(lambda v: date.fromisoformat(v).isoformat())
        elif isinstance(kind, Numeric):
            converters.append(_money(kind.dialect_impl(dialect).bind_processor(dialect)))
        elif isinstance(kind, Boolean):
            converters.append(bool)
        else:
            converters.append(None)
    return converters


def _writer(
    connection: Any, table: Table, columns: list[str]
) -> tuple[Callable[[list[list[Any]]], None], list[Converter]]:
    """Insert rows of (owner_id, *columns) values.

    On SQLite the rows go straight to the driver's executemany, through each column's own bind
    processor: the same values SQLAlchemy would store, without its per-row bookkeeping, which
    otherwise costs more than SQLite's own work on a million rows.
    """
    import sqlite3

    from sqlalchemy.exc import DBAPIError, StatementError

    names = ["owner_id", *columns]

    def refuse(problem: object) -> InvalidInput:
        return InvalidInput(
            f"{table.name}: the backup's rows do not fit together ({str(problem)[:120]})."
        )

    if connection.dialect.name == "sqlite":
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
        cursor = connection.connection.driver_connection.cursor()
        # A bigger page cache for this connection: index pages of a million-row table stay in
        # memory while it fills, instead of being read back from disk over and over.
        cursor.execute("PRAGMA cache_size = -262144")

        def write_sqlite(rows: list[list[Any]]) -> None:
            try:
                cursor.executemany(sql, rows)
            except (sqlite3.Error, TypeError, ValueError) as exc:
                raise refuse(exc) from None

        return write_sqlite, _sqlite_typed(table, columns, connection.dialect)

    def write_any(rows: list[list[Any]]) -> None:
        try:
            connection.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        except (DBAPIError, StatementError) as exc:
            raise refuse(getattr(exc, "orig", exc)) from None

    return write_any, _typed(table, columns)


def _checked(table: Table, content: Any) -> tuple[list[str], list[Any]]:
    if not isinstance(content, dict):
        raise InvalidInput(f"{table.name}: expected columns and rows.")
    columns, rows = content.get("columns"), content.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise InvalidInput(f"{table.name}: expected columns and rows.")
    strange = [c for c in columns if not isinstance(c, str) or c not in table.c or c == "owner_id"]
    if strange:
        raise InvalidInput(f"{table.name}: unknown column {strange[0]!r}.")
    return columns, rows


def _reset_sequences(ctx: Ctx) -> None:
    """PostgreSQL hands out ids from sequences that an insert with explicit ids does not move."""
    if ctx.session.get_bind().dialect.name != "postgresql":
        return
    for table in owned_tables():
        if "id" in table.c and table.c.id.primary_key:
            ctx.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table.name}), 1))"
                )
            )
