"""The first pass of a restore: read the whole backup and check it, writing nothing.

Each row is checked against its columns (services/backup_schema.py), then against the rest of
the backup: ids and other unique keys appear once, and every reference points at a row listed
before it (a backup lists each table after the tables it points to, as mentormap writes them).
What is kept between rows is one set of keys per table, not the rows themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy import Integer, Table, UniqueConstraint

from mentormap.errors import InvalidInput
from mentormap.services.interop.backup_legacy import upgraded
from mentormap.services.interop.backup_reader import BackupReader
from mentormap.services.interop.backup_schema import (
    LINKS,
    ROW_CHECKS,
    Header,
    TablePlan,
    check_header,
    refusal,
    row_adapter,
    unsafe_link,
)

BATCH = 5000
MAX_WARNINGS = 200


@dataclass
class BackupPlan:
    header: Header
    tables: dict[str, TablePlan] = field(default_factory=dict)  # in the backup's order
    warnings: list[str] = field(default_factory=list)
    unsafe_links: int = 0

    @property
    def total(self) -> int:
        return sum(table.rows - len(table.dropped) for table in self.tables.values())


def batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[tuple[int, list[Any]]]:
    """(number of the first row, rows) in runs of `size`; rows count from 1."""
    source = iter(rows)
    start = 1
    while batch := list(islice(source, size)):
        yield start, batch
        start += len(batch)


def checked_columns(table: Table, columns: Any) -> list[str]:
    name = table.name
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise InvalidInput(f"{name}: the columns must be a list of column names.")
    strange = [c for c in columns if c not in table.c or c == "owner_id"]
    if strange:
        raise InvalidInput(f"{name}: unknown column {strange[0][:60]!r}.")
    if len(set(columns)) != len(columns):
        twice = next(c for c in columns if columns.count(c) > 1)
        raise InvalidInput(f"{name}: the column {twice!r} is listed twice.")
    for column in table.c:
        if column.name in columns or column.name == "owner_id":
            continue
        needed = column.primary_key or (
            not column.nullable and column.default is None and column.server_default is None
        )
        if needed:
            raise InvalidInput(f"{name}: the backup has no {column.name} column.")
    return columns


class _Keys:
    """One unique key of a table (its id, or columns such as person and key) and values seen."""

    def __init__(self, table: Table, names: list[str], columns: list[str]) -> None:
        self.label = ", ".join(names)
        self.at = [columns.index(n) for n in names]
        self.seen: set[Any] = set()
        # Ids are positive 64-bit integers (the schema checks so), so two fit in one integer.
        self.ids = all(
            table.c[n].primary_key or bool(table.c[n].foreign_keys) for n in names
        ) and all(isinstance(table.c[n].type, Integer) for n in names)

    def value(self, row: tuple[Any, ...]) -> Any:
        if len(self.at) == 1:
            return row[self.at[0]]
        parts = tuple(row[i] for i in self.at)
        if None in parts:
            return None
        return parts[0] << 64 | parts[1] if len(parts) == 2 and self.ids else parts

    def shown(self, row: tuple[Any, ...]) -> Any:
        parts = tuple(row[i] for i in self.at)
        return parts[0] if len(parts) == 1 else parts

    def values(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        if len(self.at) == 1:
            at = self.at[0]
            return [row[at] for row in rows]
        if len(self.at) == 2 and self.ids:
            a, b = self.at  # two ids in one integer: a third of the memory of a pair
            return [
                None if row[a] is None or row[b] is None else row[a] << 64 | row[b] for row in rows
            ]
        return [self.value(row) for row in rows]

    def add(self, rows: list[tuple[Any, ...]]) -> int | None:
        """Take the batch's keys; the offset of the first repeated one, if any."""
        values = self.values(rows)
        fresh = set(values)
        present = len(values)
        if None in fresh:
            fresh.discard(None)
            present -= values.count(None)
        if len(fresh) == present and fresh.isdisjoint(self.seen):
            self.seen |= fresh
            return None
        for offset, value in enumerate(values):
            if value is None:
                continue
            if value in self.seen:
                return offset
            self.seen.add(value)
        return None  # pragma: no cover - a repeat was found above


def _unique_keys(table: Table, columns: list[str]) -> list[_Keys]:
    groups = [[c.name for c in table.primary_key.columns]]
    groups += [
        [c.name for c in constraint.columns if c.name != "owner_id"]
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    return [
        _Keys(table, names, columns) for names in groups if names and set(names) <= set(columns)
    ]


def check_backup(
    stream: IO[bytes],
    tables: dict[str, Table],
    known: Callable[[str], bool],
    head: str,
    ready: Callable[[], None],
) -> BackupPlan:
    """Read and check everything; `ready` runs once the header is known good."""
    reader = BackupReader(stream)
    raw = reader.header()
    plan = BackupPlan(header=check_header(raw, known, head))
    if not reader.has_tables:
        raise InvalidInput("The backup has no tables.")
    ready()
    ids: dict[str, set[Any]] = {}
    for name, columns, rows in upgraded(reader.tables()):
        table = tables.get(name)
        if table is None:
            raise InvalidInput(f"The backup has a table this mentormap does not know: {name!r}.")
        part = TablePlan(name=name, columns=checked_columns(table, columns))
        part.adapter = row_adapter(table, part.columns)
        keys = _unique_keys(table, part.columns)
        references = [
            (part.columns.index(column.name), next(iter(column.foreign_keys)).column.table.name)
            for column in table.c
            if column.foreign_keys and column.name in part.columns
        ]
        for start, batch in batches(rows):
            try:
                valid = part.adapter.validate_python(batch)
            except ValidationError as exc:
                raise refusal(name, start, part.columns, exc) from None
            for key in keys:
                repeated = key.add(valid)
                if repeated is not None:
                    value = key.shown(valid[repeated])
                    raise InvalidInput(
                        f"{name} row {start + repeated}, column {key.label}: "
                        f"{value!r} appears twice."
                    )
            for at, target in references:
                _check_references(name, part.columns[at], start, valid, at, ids.get(target), target)
            _check_rows(plan, part, start, valid)
            part.rows += len(valid)
        plan.tables[name] = part
        if "id" in table.c and table.c.id.primary_key and keys:
            ids[name] = keys[0].seen
    return plan


def _check_references(
    name: str,
    column: str,
    start: int,
    rows: list[tuple[Any, ...]],
    at: int,
    present: set[Any] | None,
    target: str,
) -> None:
    values = {row[at] for row in rows}
    values.discard(None)
    if not values or (present is not None and values <= present):
        return
    for offset, row in enumerate(rows):
        value = row[at]
        if value is not None and (present is None or value not in present):
            raise InvalidInput(
                f"{name} row {start + offset}, column {column}: no {target} row with id "
                f"{value} comes before it in the backup."
            )


def _check_rows(plan: BackupPlan, part: TablePlan, start: int, rows: list[tuple[Any, ...]]) -> None:
    check = ROW_CHECKS.get(part.name)
    link = LINKS.get(part.name)
    if check is None and (link is None or link[0] not in part.columns):
        return
    at = part.columns.index(link[0]) if link and link[0] in part.columns else None
    for offset, row in enumerate(rows):
        number = start + offset
        values = dict(zip(part.columns, row, strict=True))
        problem = check(values) if check else None
        if problem:
            raise InvalidInput(f"{part.name} row {number}, column {problem[0]}: {problem[1]}.")
        if at is not None and link and unsafe_link(row[at]):
            if link[1]:
                part.dropped.add(number)
            else:
                part.blanked[number] = [at]
            plan.unsafe_links += 1
            if len(plan.warnings) < MAX_WARNINGS:
                what = "dropped the link" if link[1] else "left out the link"
                plan.warnings.append(
                    f"{part.name} row {number}: {what} {str(row[at])[:80]!r}; "
                    "only http, https and mailto links are kept."
                )
