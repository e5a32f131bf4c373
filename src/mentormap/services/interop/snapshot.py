"""`mentormap backup FILE`: a consistent copy of the SQLite database, even while it is in use.

SQLite's online backup API copies the database page by page under its own locking, so the copy
is one moment's state even while the web app writes. The copy is made beside the target, made
private, and renamed into place only once complete.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mentormap.db import PRIVATE_FILE, Database
from mentormap.errors import InvalidInput

PAGES_PER_STEP = 1024

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Snapshot:
    path: Path
    bytes: int


def database_file(db: Database) -> Path:
    """The SQLite file behind `db`, or a one-line refusal for any other engine."""
    url = make_url(db.settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise InvalidInput(
            "`mentormap backup` copies a SQLite database file; for a server database use its "
            "own tools (pg_dump), or `mentormap export --format json` for a portable backup."
        )
    return Path(url.database).resolve()


def copy_database(
    db: Database, target: Path, *, overwrite: bool = False, progress: Progress | None = None
) -> Snapshot:
    """Write a complete, consistent copy of the database to `target` (mode 0600)."""
    source_file = database_file(db)
    target = target.expanduser()
    if target.is_dir():
        raise InvalidInput(f"{str(target)!r} is a folder; name a file to write.")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise InvalidInput(f"No folder {str(folder)!r} to write {target.name!r} into.")
    if target.resolve() == source_file:
        raise InvalidInput("The backup must go to another file than the database itself.")
    if target.exists() and not overwrite:
        raise InvalidInput(f"{str(target)!r} exists; use --force to replace it.")

    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    os.chmod(temp, PRIVATE_FILE)

    def report(_status: int, remaining: int, total: int) -> None:
        if progress:
            progress(total - remaining, total)

    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(temp)
        try:
            source.backup(copy, pages=PAGES_PER_STEP, progress=report)
            # A plain rollback-journal file: one self-contained file, whatever copies it next.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        os.replace(temp, target)
    except sqlite3.Error as exc:
        Path(temp).unlink(missing_ok=True)
        raise InvalidInput(f"The backup could not be made: {exc}.") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    return Snapshot(path=target, bytes=target.stat().st_size)
