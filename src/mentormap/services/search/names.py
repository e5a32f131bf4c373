"""The folded name key every person carries (domain/folding.py), kept current in bulk."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update

from mentormap.domain.folding import fold
from mentormap.models import Person
from mentormap.services.context import Ctx

BATCH = 5000


def refresh_name_keys(ctx: Ctx) -> int:
    """Work out every person's name key again (after a restore: a backup's keys are not trusted,
    and one from before the key has none); returns how many changed."""
    rows = ctx.session.execute(
        select(Person.id, Person.name, Person.name_key).where(Person.owner_id == ctx.owner_id)
    ).all()
    changed = [
        {"pid": pid, "key": fold(name or "")} for pid, name, key in rows if key != fold(name or "")
    ]
    statement = (
        update(Person.__table__)  # type: ignore[arg-type]
        .where(Person.__table__.c.id == bindparam("pid"))
        .values(name_key=bindparam("key"))
    )
    for start in range(0, len(changed), BATCH):
        ctx.session.execute(statement, changed[start : start + BATCH])
    return len(changed)
