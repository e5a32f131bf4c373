"""Backups written before a schema change, read as if written after it.

A restore accepts a backup of any schema this code knows, so a migration that renames a column
or changes its vocabulary says here how older rows read today. Migration 0191 renamed
`opportunities.state` to `status` (open → considering, won → accepted, lost and passed →
declined) and the kind `job` to `role`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

OPPORTUNITY_STATUS_OF = {
    "open": "considering",
    "won": "accepted",
    "lost": "declined",
    "passed": "declined",
}


def _mapped(rows: Iterable[Any], at: int, mapping: dict[str, str]) -> Iterator[Any]:
    for row in rows:
        if isinstance(row, list) and at < len(row) and row[at] in mapping:
            row = [*row[:at], mapping[row[at]], *row[at + 1 :]]
        yield row


def upgraded(tables: Iterable[tuple[str, Any, Any]]) -> Iterator[tuple[str, Any, Any]]:
    """Each (name, columns, rows) of a backup, older columns and values read as today's."""
    for name, columns, rows in tables:
        if (
            name == "opportunities"
            and isinstance(columns, list)
            and "state" in columns
            and "status" not in columns
        ):
            at = columns.index("state")
            columns = [*columns[:at], "status", *columns[at + 1 :]]
            rows = _mapped(rows, at, OPPORTUNITY_STATUS_OF)
            if "kind" in columns:
                rows = _mapped(rows, columns.index("kind"), {"job": "role"})
        yield name, columns, rows
