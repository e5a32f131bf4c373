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

from sqlalchemy import Boolean, Date, DateTime, Numeric, Table, func, select, text, update

from mentormap.db import HEAD_REVISION
from mentormap.errors import InvalidInput
from mentormap.models import Base, Owner
from mentormap.services.context import Ctx

FORMAT = "mentormap-backup"
VERSION = 1
BATCH = 5000

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
    yield json.dumps(header, ensure_ascii=False)[:-1] + ',\n"tables": {'
    for n, table in enumerate(owned_tables()):
        columns = [c.name for c in table.c if c.name != "owner_id"]
        yield ("," if n else "") + f'\n{json.dumps(table.name)}: {{"columns": '
        yield json.dumps(columns) + ', "rows": ['
        keys = [table.c[name] for name in columns]
        order = list(table.primary_key.columns)
        result = ctx.session.execute(
            select(*keys).where(table.c.owner_id == ctx.owner_id).order_by(*order),
            execution_options={"yield_per": BATCH},
        )
        first = True
        for rows in result.partitions():
            lines = [json.dumps([_plain(v) for v in row], ensure_ascii=False) for row in rows]
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
    if document.get("schema") != HEAD_REVISION:
        raise InvalidInput(
            f"The backup is of schema {document.get('schema')!r}; this mentormap writes "
            f"{HEAD_REVISION!r}. Restore it with the version that made it."
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
        converters = _typed(table, columns)
        batch: list[dict[str, Any]] = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise InvalidInput(f"{table.name} row {number}: expected {len(columns)} values.")
            record: dict[str, Any] = {"owner_id": ctx.owner_id}
            try:
                for name, convert, value in zip(columns, converters, row, strict=True):
                    record[name] = convert(value) if convert and value is not None else value
            except (TypeError, ValueError, ArithmeticError):
                raise InvalidInput(
                    f"{table.name} row {number}: a value has the wrong type."
                ) from None
            batch.append(record)
            if len(batch) >= BATCH:
                _insert(connection, table, batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, total)
        if batch:
            _insert(connection, table, batch)
            done += len(batch)
            if progress:
                progress(done, total)
        report.rows[table.name] = len(rows)
    owner = document.get("owner") or {}
    if isinstance(owner, dict) and owner.get("name"):
        values: dict[str, Any] = {"name": str(owner["name"])[:200]}
        if owner.get("created_at"):
            values["created_at"] = datetime.fromisoformat(str(owner["created_at"]))
        ctx.session.execute(update(Owner).where(Owner.id == ctx.owner_id).values(**values))
    _reset_sequences(ctx)
    ctx.session.expire_all()
    return report


def _insert(connection: Any, table: Table, batch: list[dict[str, Any]]) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        connection.execute(table.insert(), batch)
    except IntegrityError as exc:
        raise InvalidInput(
            f"{table.name}: the backup's rows do not fit together ({str(exc.orig)[:120]})."
        ) from None


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
