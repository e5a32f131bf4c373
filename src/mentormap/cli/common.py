"""What every command shares: the open database, JSON output, tables, dates, confirmations."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from mentormap.db import Database
from mentormap.domain.owner import LOCAL_OWNER_ID
from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.unit import open_ctx
from mentormap.services.views import jsonable
from mentormap.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


@dataclass
class AppState:
    db_option: str | None = None
    user_option: str | None = None
    _db: Database | None = field(default=None, repr=False)
    _owner_id: int | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        return Settings.load(db=self.db_option)

    def database(self) -> Database:
        if self._db is None:
            self._db = Database.open(self.settings())
        return self._db

    def owner_id(self) -> int:
        """Whose network commands work on: `--user EMAIL`'s, else local mode's one owner."""
        if self._owner_id is None:
            if self.user_option is None:
                self._owner_id = LOCAL_OWNER_ID
            else:
                from mentormap.services.accounts.users import owner_of

                with self.database().session() as db_session:
                    self._owner_id = owner_of(db_session, self.user_option)
        return self._owner_id


# Set by the root callback for the length of one command invocation.
_current: ContextVar[AppState | None] = ContextVar("mentormap_cli_state", default=None)


def begin(db_option: str | None, user_option: str | None = None) -> AppState:
    current = AppState(db_option=db_option, user_option=user_option)
    _current.set(current)
    return current


def state() -> AppState:
    current = _current.get()
    return current if current is not None else begin(None)


@contextmanager
def session(settle: bool = True) -> Iterator[Ctx]:
    """A unit of work on the user's database; any error rolls it back entirely.

    `settle=False` for a command that writes no input of a clock (see `services.unit.open_ctx`).
    """
    current = state()
    with open_ctx(current.database(), current.owner_id(), settle=settle) as ctx:
        yield ctx


class _LazyConsole:
    """A Rich console made on first use: `--json` output and plain tables never import Rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)

    # Rich's live displays (progress bars) hold the console as a context manager, and Python
    # looks up these two on the class, never through __getattr__.
    def __enter__(self) -> Console:
        return self.__getattr__("__enter__")()

    def __exit__(self, *exc: object) -> None:
        self.__getattr__("__exit__")(*exc)


console: Console = _LazyConsole(highlight=False, soft_wrap=True)  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True, highlight=False)  # type: ignore[assignment]


def escape(text: str) -> str:
    """Rich's markup escape, imported only by output that goes through Rich."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def print_json(data: Any) -> None:
    """Indented JSON, as `json.dumps(indent=2, ensure_ascii=False)` writes it, but by orjson:
    the standard library encodes indented output in pure Python (0.3 s of the 20,000 people of
    `people list --json`)."""
    import orjson

    sys.stdout.write(orjson.dumps(jsonable(data), option=orjson.OPT_INDENT_2).decode() + "\n")


def table(*columns: str) -> Table:
    from rich.table import Table

    grid = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    return grid


def plain_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain text table on stdout: columns padded, two spaces apart, nothing wrapped.

    For long lists (thousands of people) drawing through Rich costs seconds; this costs
    milliseconds, and reads the same on a terminal and in a pipe.
    """
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) > widths[i]:
                widths[i] = len(cell)
    bold, plain = ("\x1b[1m", "\x1b[0m") if console.is_terminal else ("", "")
    head = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    lines = [bold + head + plain]
    lines.extend(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    sys.stdout.write("\n".join(lines) + "\n")


def say(message: str) -> None:
    console.print(message)


def fmt_date(value: date | None, empty: str = "—") -> str:
    return value.isoformat() if value else empty


def confirm(question: str, yes: bool) -> None:
    """Ask before destroying data; without a terminal the user must pass --yes."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UserError(f"{question} Pass --yes to confirm when not on a terminal.")
    if not typer.confirm(question, default=False):
        raise typer.Exit(1)


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
YES_OPTION = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


def parse_day(value: str | None, ctx: Ctx) -> date | None:
    from mentormap.domain.durations import parse_date

    return parse_date(value, ctx.today()) if value else None


def parse_cadence(value: str | None) -> int | None:
    from mentormap.domain.durations import parse_days

    return parse_days(value) if value else None


def edit_text(initial: str, suffix: str = ".md") -> str | None:
    """Open $VISUAL or $EDITOR on `initial`; None when the editor fails or exits non-zero."""
    import os
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "mentormap" + suffix)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(initial)
        try:
            finished = subprocess.run([*shlex.split(editor), path], check=False)
        except OSError as exc:
            raise UserError(f"Cannot start the editor {editor!r}: {exc.strerror}.") from None
        if finished.returncode != 0:
            return None
        with open(path, encoding="utf-8") as handle:
            return handle.read()


def complete_person(incomplete: str) -> list[str]:
    """Shell completion for person names; silent on any problem (completion must never fail)."""
    from mentormap.services.people.people import name_completions

    try:
        database = Database.open(Settings.load())
        with open_ctx(database) as ctx:
            return name_completions(ctx, incomplete)
    except Exception:
        return []


PERSON = typer.Argument(
    ..., help="Full name, a unique part of it, an email, or #id.", autocompletion=complete_person
)
