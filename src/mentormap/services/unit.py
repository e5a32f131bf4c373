"""One unit of work: a session in a transaction that commits at the end, or rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mentormap.db import Database
from mentormap.domain.owner import LOCAL_OWNER_ID
from mentormap.services.context import Ctx


@contextmanager
def open_ctx(db: Database, owner_id: int = LOCAL_OWNER_ID, *, settle: bool = True) -> Iterator[Ctx]:
    """Commits at the end, rolls everything back on any error.

    Before it commits, the check days of people whose clocks changed are worked out
    (`services.clock.checks`), so the next due list reads only who it must. A unit that writes
    no input of a clock (a search) may skip that with `settle=False`: it then never loads the
    models, which a command's start-up feels; the next unit that settles does the work.
    """
    with db.session() as session:
        ctx = Ctx(session=session, settings=db.settings, owner_id=owner_id)
        yield ctx
        if settle and session.in_transaction():  # not when the block rolled back on purpose
            from mentormap.services.clock.checks import settle as settle_checks

            settle_checks(ctx)
