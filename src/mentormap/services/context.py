"""The context every service call gets: a session in a transaction, the settings, the owner.

`services.unit.open_ctx` opens one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from mentormap.domain.owner import LOCAL_OWNER_ID
from mentormap.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class Ctx:
    session: Session
    settings: Settings
    owner_id: int = LOCAL_OWNER_ID
    # Set by a read that found clock checks worked out for a later day (the clock moved back):
    # the unit then settles them at its end even if it wrote nothing (`services.unit.open_ctx`).
    checks_stale: bool = False
    # Set when a call asked for the time of day: its answer holds for this minute, not for the
    # whole day, so the API does not keep it (`web.response_cache`).
    read_the_clock: bool = False

    def today(self) -> date:
        return self.settings.today()

    def now(self) -> datetime:
        self.read_the_clock = True
        return self.settings.now()
