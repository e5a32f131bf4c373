"""Search on PostgreSQL, the server engine."""

from __future__ import annotations

from typing import Any

from mentormap.errors import UserError
from mentormap.services.context import Ctx

NOT_YET = "Search and `who` run on SQLite only for now; PostgreSQL support is not built yet."


def search_postgres(ctx: Ctx, query: str, match: str, f: Any) -> Any:
    raise UserError(NOT_YET)


def who_postgres(ctx: Ctx, topic: str, limit: int, exclude: int | None) -> Any:
    raise UserError(NOT_YET)
