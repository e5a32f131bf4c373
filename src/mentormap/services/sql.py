"""SQL helpers every capability shares: days as whole numbers (on SQLite and PostgreSQL alike,
so dates subtract and compare), and the type of a select of any columns."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EPOCH = date(1970, 1, 1)


def day_of(on: date) -> int:
    """A day as `day_number` gives it in SQL, worked out in Python for constants."""
    return (on - EPOCH).days


def date_of(number: int) -> date:
    """The day a `day_number` stands for."""
    return EPOCH + timedelta(days=number)


class day_number(FunctionElement[int]):  # named like the SQL function it stands for
    """Whole days since 1970-01-01, so that two days subtract to the days between them."""

    type = Integer()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    # Days are stored as ISO text; julianday() of a bare day is always n.5, so truncation is
    # exact for differences.
    return f"(CAST(julianday({compiler.process(element.clauses, **kw)}) AS INTEGER) - 2440587)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS DATE) - DATE '1970-01-01')"


class least(FunctionElement[int]):  # named like the SQL function it stands for
    """The smallest of its integer arguments: `least` on PostgreSQL, `min` on SQLite."""

    type = Integer()
    inherit_cache = True


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(least, "postgresql")
def _least_postgresql(element: least, compiler: Any, **kw: Any) -> str:
    return f"least({compiler.process(element.clauses, **kw)})"


AnySelect = Select[*tuple[Any, ...]]
"""A select of any columns, for type hints."""


class greatest(FunctionElement[int]):  # named like the SQL function it stands for
    """The largest of its integer arguments: `greatest` on PostgreSQL, `max` on SQLite."""

    type = Integer()
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "postgresql")
def _greatest_postgresql(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"greatest({compiler.process(element.clauses, **kw)})"
