"""`mentormap backup FILE`: copy the database file safely, even while the web app runs."""

from __future__ import annotations

from pathlib import Path

import typer

from mentormap.cli.common import say, state
from mentormap.errors import UserError


def backup(
    file: Path = typer.Argument(..., help="Where to write the copy (a new .db file)."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
) -> None:
    """Write a consistent copy of the whole database to FILE (private to you, mode 0600).

    The copy is a complete SQLite file that mentormap opens with --db FILE. Unlike copying the
    database by hand, it is safe while another mentormap command or the web app is writing.
    For a portable text backup, see `mentormap export --format json`.
    """
    from mentormap.cli.interop import progress_bar
    from mentormap.services.interop.snapshot import copy_database

    if state().user_option is not None:
        raise UserError(
            "`backup` copies every user's network; for one user's, use "
            "`mentormap --user EMAIL export --format json`."
        )

    with progress_bar("Backing up") as advance:
        snapshot = copy_database(state().database(), file, overwrite=force, progress=advance)
    say(f"Backed up the database to {snapshot.path} ({_size(snapshot.bytes)}).")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
