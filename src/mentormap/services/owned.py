"""The one lookup of a record by its id: the owner's, or NotFound.

Every command that takes an ID and every route with one in its path goes through it, so no kind
of record can forget to scope the lookup to the signed-in owner.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from mentormap.errors import NotFound
from mentormap.services.context import Ctx

Row = TypeVar("Row")


def get_owned(ctx: Ctx, model: type[Row], row_id: int, missing: str) -> Row:
    """The row of `model` with this id if it is the owner's; else NotFound(`missing`)."""
    table: Any = model
    found = ctx.session.scalar(
        select(table).where(table.id == row_id, table.owner_id == ctx.owner_id)
    )
    if found is None:
        raise NotFound(missing)
    return found
