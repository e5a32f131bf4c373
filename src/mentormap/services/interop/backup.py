"""A lossless JSON backup of everything the owner has, and restoring it into an empty database.

Every table that carries `owner_id` is written whole, row ids included, so every reference
(participants, follow-ups, shares…) survives a restore unchanged. The document is written one
row per line, so a million interactions stream out without building one huge string, and a
restore reads it back as a stream too: first checking all of it against the models
(services/backup_check.py), then writing, all in one transaction.

    {"format": "mentormap-backup", "version": 1, "schema": "0001", "owner": {...},
     "tables": {"people": {"columns": [...], "rows": [[...], ...]}, ...}}
"""

from __future__ import annotations

import gc
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import methodcaller
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy import (
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

from mentormap.db import HEAD_REVISION, known_revisions, refresh_statistics
from mentormap.errors import InvalidInput
from mentormap.models import Base, Owner, utcnow
from mentormap.services.clock.checks import (
    recheck_everything,
    resume_triggers,
    settle,
    suspend_triggers,
)
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import refresh_every_last_contact
from mentormap.services.health.spans import forget as forget_cadence_history
from mentormap.services.interop.backup_check import BATCH, batches, check_backup
from mentormap.services.interop.backup_legacy import upgraded
from mentormap.services.interop.backup_reader import CHUNK, BackupReader
from mentormap.services.interop.backup_schema import FORMAT, VERSION, TablePlan, refusal
from mentormap.services.search.index import rebuild as rebuild_search_index
from mentormap.services.search.index import suspend as suspend_search_index
from mentormap.services.search.names import refresh_name_keys

BIG_TABLE = 50_000  # rows above which a restore builds the table's indexes after filling it

Progress = Callable[[int, int], None]


def owned_tables() -> list[Table]:
    """Every user-owned table, parents before children (the order a restore must follow).

    Accounts (users, sessions, tokens) name an owner too, but are the server's, not the network's;
    derived data (the kept clock history) is made again after a restore.
    """
    return [
        t
        for t in Base.metadata.sorted_tables
        if "owner_id" in t.c and t.info.get("backup", True) and not t.info.get("derived")
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


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


def others_have_rows(ctx: Ctx) -> bool:
    """Whether another owner (a server's other users) has any row the restore could clash with."""
    return any(
        ctx.session.scalar(
            select(table.c.owner_id).where(table.c.owner_id != ctx.owner_id).limit(1)
        )
        is not None
        for table in owned_tables()
    )


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
    warnings: list[str] = field(default_factory=list)
    """Things restored otherwise than they were in the file (links not kept), one line each."""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


Source = bytes | str | os.PathLike[str] | IO[bytes]


@contextmanager
def _opened(source: Source) -> Iterator[IO[bytes]]:
    """A seekable binary stream over the backup (a restore reads it twice)."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as stream:
                yield stream
        except FileNotFoundError:
            raise InvalidInput(f"No file {str(source)!r}.") from None
        except IsADirectoryError:
            raise InvalidInput(f"{str(source)!r} is a folder, not a file.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot read {str(source)!r}: {exc.strerror}.") from None
        return
    if source.seekable():
        source.seek(0)
        yield source
        return
    with tempfile.TemporaryFile() as copy:  # standard input: keep it for the second pass
        shutil.copyfileobj(source, copy, CHUNK)
        copy.seek(0)
        yield copy


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Without the cycle collector for the length of a restore.

    Millions of short-lived rows (lists and tuples, freed by reference counting) would otherwise
    set off full collections over every live object again and again: a third of the restore's
    time, for no garbage, since rows hold no cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def restore(ctx: Ctx, source: Source, progress: Progress | None = None) -> RestoreReport:
    """Load a backup into an owner who has nothing yet; ids are kept as they were.

    The backup (a path, a binary file, or bytes) is read twice: once to check every value,
    reference and key, writing nothing, and once to write. Everything happens in the caller's
    transaction, so a refusal or a crash leaves the database as it was.
    """
    known = {table.name: table for table in owned_tables()}
    revisions: set[str] = set()

    def is_known(schema: str) -> bool:
        if schema == HEAD_REVISION:
            return True
        if not revisions:
            revisions.update(known_revisions(ctx.settings.database_url))
        return schema in revisions

    def must_be_empty() -> None:
        filled = {name: count for name, count in row_counts(ctx).items() if count}
        if filled:
            raise InvalidInput(
                "Restore needs an empty database, and this one has data "
                f"({', '.join(f'{count} {name}' for name, count in sorted(filled.items()))})."
            )
        if others_have_rows(ctx):
            raise InvalidInput(
                "Restore keeps the backup's ids, so it needs a database no other user has data "
                "in; on a shared server, restore into a new database, or import the contacts."
            )

    with _opened(source) as stream, _collector_paused():
        plan = check_backup(stream, known, is_known, HEAD_REVISION, must_be_empty)
        stream.seek(0)
        reader = BackupReader(stream)
        reader.header()
        report = RestoreReport(warnings=list(plan.warnings))
        if plan.unsafe_links > len(plan.warnings):
            report.warnings.append(f"... and {plan.unsafe_links - len(plan.warnings)} more links.")
        done = 0
        connection = ctx.session.connection()
        # The search index is derived: filled once at the end, not entry by entry.
        indexed = suspend_search_index(ctx)
        # So are the clock checks and owed states, marked for a new look at the end.
        marking = suspend_triggers(ctx)
        for name, _columns, rows in upgraded(reader.tables()):
            part = plan.tables[name]
            done = _fill(ctx, connection, known[name], part, rows, done, plan.total, progress)
            report.rows[name] = part.rows - len(part.dropped)
    owner = plan.header.owner
    if owner is not None and owner.name:
        fields: dict[str, Any] = {"name": owner.name}
        if owner.created_at:
            fields["created_at"] = owner.created_at
        ctx.session.execute(update(Owner).where(Owner.id == ctx.owner_id).values(**fields))
    _reset_sequences(ctx)
    # Statistics before the derived columns are worked out from the new rows: without them
    # PostgreSQL takes the tables for empty and the contact dates of L took minutes.
    refresh_statistics(connection)
    # The contact dates kept on each person are derived from the interactions: worked out
    # again here, they are right whatever the backup said (or, from an older schema, lacked).
    refresh_every_last_contact(ctx)
    # Derived for search too: the name keys from the names, the full-text index from the rows.
    refresh_name_keys(ctx)
    if indexed:
        rebuild_search_index(ctx)
    # And what the due list and owed replies may skip: worked out again before the commit.
    resume_triggers(ctx, marking)
    recheck_everything(ctx)
    # Worked out before the statistics are taken: taken first, they described every check as
    # due and every marked message as waiting, and PostgreSQL's planner read Today's owed
    # replies through the wrong index until its next ANALYZE (Today on L: 131 ms, not 60).
    settle(ctx)
    forget_cadence_history(ctx)  # the health report's kept history: worked out at its next look
    refresh_statistics(ctx.session.connection())
    ctx.session.expire_all()
    return report


def _fill(
    ctx: Ctx,
    connection: Any,
    table: Table,
    part: TablePlan,
    rows: Iterator[Any],
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    """Write one table's rows (checked already) and return how many rows are written so far."""
    assert part.adapter is not None
    fills = _fill_ins(ctx, table, part.columns)
    names = ["owner_id", *part.columns, *(name for name, _ in fills)]
    extra = [value for _, value in fills]
    write, formats = _writer(connection, table, names)
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.driver_connection if sqlite else None
    # Filling a big table and then building its indexes once beats updating them row by row.
    # The drop waits for the first insert, which opens the transaction even where the driver
    # only begins one at a write, so the drop and the rebuild are part of it: a crash or an
    # error takes both back, and the indexes are never left missing.
    rebuild = (
        [index for index in table.indexes if not index.unique]
        if sqlite and part.rows >= BIG_TABLE
        else []
    )
    dropped = False
    for start, batch in batches(rows):
        try:
            valid = part.adapter.validate_python(batch)
        except ValidationError as exc:  # the file changed since it was checked
            raise refusal(table.name, start, part.columns, exc) from None
        out: list[list[Any]] = []
        for offset, row in enumerate(valid):
            number = start + offset
            if part.dropped and number in part.dropped:
                continue
            values = [ctx.owner_id, *row, *extra]
            for i, fmt in formats:
                if values[i] is not None:
                    values[i] = fmt(values[i])
            for i in part.blanked.get(number, ()):
                values[i + 1] = None
            out.append(values)
        write(out)
        done += len(out)
        if rebuild and not dropped and driver is not None and driver.in_transaction:
            for index in rebuild:
                index.drop(connection)
            dropped = True
        if progress:
            progress(done, total)
    if dropped:
        for index in rebuild:
            index.create(connection)
    return done


def _fill_ins(ctx: Ctx, table: Table, columns: list[str]) -> list[tuple[str, Any]]:
    """Values for columns an older backup does not have: the models' defaults."""
    fills: list[tuple[str, Any]] = []
    for column in table.c:
        if column.name in columns or column.name == "owner_id" or column.default is None:
            continue
        default = column.default
        if getattr(default, "is_scalar", False):
            fills.append((column.name, default.arg))  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False) and isinstance(column.type, DateTime):
            fills.append((column.name, utcnow()))
        # Other worked-out values (a person's name key) take the column's server default
        # here and are worked out once the rows are in.
    return fills


Format = Callable[[Any], Any]
_INSTANT_TEXT: Format = methodcaller("isoformat", " ", "microseconds")


def _writer(
    connection: Any, table: Table, names: list[str]
) -> tuple[Callable[[list[list[Any]]], None], list[tuple[int, Format]]]:
    """Insert rows of values for `names`, and how each checked value is turned for the driver.

    On SQLite the rows go straight to the driver's executemany, with dates as the text
    SQLAlchemy stores: the same values SQLAlchemy would write, without its per-row bookkeeping,
    which otherwise costs more than SQLite's own work on a million rows.
    """
    import sqlite3

    from sqlalchemy.exc import DBAPIError, StatementError

    def refuse(problem: object) -> InvalidInput:
        return InvalidInput(
            f"{table.name}: the backup's rows do not fit together ({str(problem)[:120]})."
        )

    if connection.dialect.name != "sqlite":

        def write_any(rows: list[list[Any]]) -> None:
            if not rows:
                return
            try:
                connection.execute(
                    table.insert(), [dict(zip(names, row, strict=True)) for row in rows]
                )
            except (DBAPIError, StatementError) as exc:
                raise refuse(getattr(exc, "orig", exc)) from None

        return write_any, []

    formats: list[tuple[int, Format]] = []
    for i, name in enumerate(names):
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            formats.append((i, _INSTANT_TEXT))
        elif isinstance(kind, Date):
            formats.append((i, date.isoformat))
        elif isinstance(kind, Numeric):
            process = kind.dialect_impl(connection.dialect).bind_processor(connection.dialect)
            formats.append((i, process or str))
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    cursor = connection.connection.driver_connection.cursor()
    # A bigger page cache (256 MB) for this connection: index pages of a million-row table stay in
    # memory while it fills, instead of being read back from disk over and over.
    cursor.execute("PRAGMA cache_size = -262144")

    def write_sqlite(rows: list[list[Any]]) -> None:
        try:
            cursor.executemany(sql, rows)
        except (sqlite3.Error, TypeError, ValueError) as exc:
            raise refuse(exc) from None

    return write_sqlite, formats


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
