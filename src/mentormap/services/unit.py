"""One unit of work: a session in a transaction that commits at the end, or rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentormap.db import Database
from mentormap.models import LOCAL_OWNER_ID
from mentormap.services.clock.checks import settle
from mentormap.services.context import Ctx


@contextmanager
def open_ctx(db: Database, owner_id: int = LOCAL_OWNER_ID) -> Iterator[Ctx]:
    """Commits at the end, rolls everything back on any error.

    Before it commits, the check days of people whose clocks changed are worked out
    (`services.clock.checks`), so the next due list reads only who it must.
    """
    with db.session() as session:
        ctx = Ctx(session=session, settings=db.settings, owner_id=owner_id)
        yield ctx
        if session.in_transaction():  # not when the block rolled back on purpose
            settle(ctx)
