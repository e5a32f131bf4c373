"""One settings object: environment, then command-line flag, then the OS default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentormap.errors import InvalidInput

APP_NAME = "mentormap"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_url_from(value: str) -> str:
    """Turn a file path or an SQLAlchemy URL into an SQLAlchemy URL."""
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return f"sqlite:///{path.resolve()}"


def local_timezone() -> tzinfo:
    """The user's time zone: $MENTORMAP_TZ, else $TZ, else the system's."""
    name = os.environ.get("MENTORMAP_TZ") or os.environ.get("TZ")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(
                f"Unknown time zone {name!r}; use a name like Europe/London."
            ) from exc
    try:
        link = os.readlink("/etc/localtime")
        return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except (OSError, IndexError, ZoneInfoNotFoundError, ValueError):
        tz = datetime.now().astimezone().tzinfo
        assert tz is not None
        return tz


@dataclass(frozen=True)
class Settings:
    database_url: str
    timezone: tzinfo = field(default_factory=local_timezone)
    # Fixed "today" for tests and reproducible output; None means the real clock.
    today_override: date | None = None
    # Only the default location's folder is created on first use: a mistyped --db path should
    # fail, not quietly start an empty network somewhere else.
    create_folder: bool = False
    # How long a web request waits on another process's write lock before it gives the form
    # back with a "busy" message; commands wait longer (db.py), a person at a page should not.
    web_lock_wait_seconds: float = 2.0

    @classmethod
    def load(cls, db: str | None = None, env: dict[str, str] | None = None) -> Settings:
        """Build settings: --db wins over $MENTORMAP_DB, which wins over the OS data directory."""
        environ = os.environ if env is None else env
        source = db or environ.get("MENTORMAP_DB") or environ.get("MENTORMAP_DATABASE_URL")
        if source:
            url = database_url_from(source)
        else:
            url = database_url_from(str(default_data_dir() / "mentormap.db"))
        today = environ.get("MENTORMAP_TODAY")
        override = None
        if today:
            try:
                override = date.fromisoformat(today)
            except ValueError as exc:
                raise InvalidInput(
                    f"MENTORMAP_TODAY={today!r} is not a date (YYYY-MM-DD)."
                ) from exc
        return cls(database_url=url, today_override=override, create_folder=not source)

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def now(self) -> datetime:
        """Now, in the user's time zone."""
        current = datetime.now(self.timezone)
        if self.today_override is not None:
            current = datetime.combine(self.today_override, current.timetz())
        return current

    def today(self) -> date:
        return self.today_override or datetime.now(self.timezone).date()
