"""The context every service call gets: a session in a transaction, the settings, the owner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from mentormap.db import Database
from mentormap.models import LOCAL_OWNER_ID
from mentormap.settings import Settings


@dataclass
class Ctx:
    session: Session
    settings: Settings
    owner_id: int = LOCAL_OWNER_ID

    def today(self) -> date:
        return self.settings.today()

    def now(self) -> datetime:
        return self.settings.now()


@contextmanager
def open_ctx(db: Database, owner_id: int = LOCAL_OWNER_ID) -> Iterator[Ctx]:
    """One unit of work: commits at the end, rolls everything back on any error."""
    with db.session() as session:
        yield Ctx(session=session, settings=db.settings, owner_id=owner_id)
