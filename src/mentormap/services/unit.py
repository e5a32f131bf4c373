"""One unit of work: a session in a transaction that commits at the end, or rolls back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from mentormap.db import OWNERS, Database, wrote
from mentormap.domain.owner import LOCAL_OWNER_ID
from mentormap.services.context import Ctx


@contextmanager
def open_ctx(
    db: Database,
    owner_id: int = LOCAL_OWNER_ID,
    *,
    settle: bool = True,
    session: Session | None = None,
) -> Iterator[Ctx]:
    """Commits at the end, rolls everything back on any error.

    `session`: go on in one whose transaction another step began (an API request's token
    check, `web.auth`), instead of a new one; its changes so far commit with the unit's.

    Before a unit that wrote commits, the check days of people whose clocks changed are worked
    out (`services.clock.checks`), so the next due list reads only who it must; so are checks
    a read found worked out for a later day (`Ctx.checks_stale`). A unit that only read skips
    that, and so may one that writes no input of a clock (a search), with `settle=False`: it
    then never loads the models, which a command's start-up feels. The next unit that settles
    does the work.
    """
    with db.session() if session is None else _go_on(session) as session:
        ctx = Ctx(session=session, settings=db.settings, owner_id=owner_id)
        session.info.setdefault(OWNERS, set()).add(owner_id)  # whose data version a write moves
        yield ctx
        # Not when the block rolled back on purpose, nor after reads only.
        if settle and session.in_transaction() and (ctx.checks_stale or wrote(session)):
            from mentormap.services.clock.checks import settle as settle_checks

            settle_checks(ctx)


@contextmanager
def _go_on(session: Session) -> Iterator[Session]:
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()
