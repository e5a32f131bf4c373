"""The `mentormap` command: global options, error handling, and every sub-command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import typer
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from mentormap import __version__
from mentormap.errors import UserError


class MentormapGroup(TyperGroup):
    """Turns any error the user caused into one line on stderr and exit status 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            sys.stderr.write(f"Error: {exc}\n")
            raise typer.Exit(1) from None
        except OperationalError as exc:
            # Locked or unreadable database files: the user's environment, not a bug.
            reason = " ".join(str(exc.orig).split())
            sys.stderr.write(f"Error: the database could not be used: {reason}\n")
            raise typer.Exit(1) from None


_root = typer.Typer(
    cls=MentormapGroup,
    help="mentormap: keep your career network warm — who is due, what you owe, what to bring.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentormap {__version__}")
        raise typer.Exit()


@_root.callback()
def root(
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="PATH_OR_URL",
        help="Database file or SQLAlchemy URL (default: $MENTORMAP_DB, else your data folder).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Global options apply to every command."""
    from mentormap.cli.common import begin

    begin(db)


# Each loader imports one area's command module and registers its commands on the root.
# `main()` runs only the loader of the command being invoked, so a command does not pay for
# importing every other one; help, completion and tests load them all.
Loader = Callable[[], None]
_LOADERS: dict[str, Loader] = {}
_loaded: set[Loader] = set()


def _loader(*names: str) -> Callable[[Loader], Loader]:
    def remember(function: Loader) -> Loader:
        for name in names:
            _LOADERS[name] = function
        return function

    return remember


@_loader("people")
def _people() -> None:
    from mentormap.cli import interop, people

    people.app.command("duplicates")(interop.duplicates)
    _root.add_typer(people.app, name="people")


@_loader("role", "roles")
def _roles() -> None:
    from mentormap.cli import catalogue, roles

    _root.add_typer(roles.app, name="role")
    _root.command("roles")(catalogue.roles)


@_loader("group")
def _groups() -> None:
    from mentormap.cli import group_sessions, groups

    groups.app.command("session")(group_sessions.session_)
    _root.add_typer(groups.app, name="group")


@_loader("log", "timeline", "interaction")
def _interactions() -> None:
    from mentormap.cli import interactions

    _root.command("log")(interactions.log)
    _root.command("timeline")(interactions.timeline)
    _root.add_typer(interactions.app, name="interaction")


@_loader("tag", "attr")
def _tags() -> None:
    from mentormap.cli import tags

    _root.add_typer(tags.tag_app, name="tag")
    _root.add_typer(tags.attr_app, name="attr")


@_loader("today", "snooze", "reconnect", "reply-window")
def _today() -> None:
    from mentormap.cli import today

    _root.command("today")(today.today)
    _root.command("snooze")(today.snooze)
    _root.command("reconnect")(today.reconnect)
    _root.command("reply-window")(today.reply_window)


@_loader("followup", "favour")
def _loops() -> None:
    from mentormap.cli import favours, followups

    _root.add_typer(followups.app, name="followup")
    _root.add_typer(favours.app, name="favour")


@_loader("prep", "highlights", "agenda", "goal", "achievement", "advice")
def _prep() -> None:
    from mentormap.cli import achievements, advice, agenda_points, goals, highlights, prep

    _root.command("prep")(prep.prep)
    _root.command("highlights")(highlights.highlights)
    _root.add_typer(agenda_points.app, name="agenda")
    _root.add_typer(goals.app, name="goal")
    _root.add_typer(achievements.app, name="achievement")
    _root.add_typer(advice.app, name="advice")


@_loader("health", "trip", "when", "config")
def _health() -> None:
    from mentormap.cli import config, health, trips

    _root.command("health")(health.health)
    _root.add_typer(trips.app, name="trip")
    _root.command("when")(trips.when)
    _root.add_typer(config.app, name="config")


@_loader("import", "export", "restore")
def _interop() -> None:
    from mentormap.cli import interop

    _root.command("import")(interop.import_)
    _root.command("export")(interop.export)
    _root.command("restore")(interop.restore)


@_loader("backup")
def _backup() -> None:
    from mentormap.cli import backup

    _root.command("backup")(backup.backup)


@_loader("serve")
def _web() -> None:
    from mentormap.cli import web

    _root.command("serve")(web.serve)


@_loader("demo", "where")
def _demo() -> None:
    from mentormap.cli import demo

    _root.command("demo")(demo.demo)
    _root.command("where")(demo.where)


def load(names: list[str] | None = None) -> typer.Typer:
    """Register the commands called `names` (all when None) on the root app, once each."""
    wanted = (
        list(dict.fromkeys(_LOADERS.values()))
        if names is None
        else [_LOADERS[n] for n in names if n in _LOADERS]
    )
    for function in wanted:
        if function not in _loaded:
            _loaded.add(function)
            function()
    return _root


def command_name(argv: list[str]) -> str | None:
    """The sub-command in `argv`, skipping the global options (and --db's value)."""
    rest = iter(argv)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif not arg.startswith("-"):
            return arg
    return None


def __getattr__(name: str) -> Any:
    """`mentormap.cli.app.app` is the root with every command (for tests and tools)."""
    if name == "app":
        return load()
    raise AttributeError(name)


def _close_database() -> None:
    """Close the database a command opened, so SQLite folds its write-ahead log into the file.

    Without this the fast exit below leaves every change in `-wal`: the `.db` alone would look
    empty to anyone who copies just that file.
    """
    common = sys.modules.get("mentormap.cli.common")  # not imported by --help and --version
    if common is None:
        return
    opened = common.state()._db
    if opened is not None:
        try:
            opened.close()
        except Exception as exc:  # the command's result stands; the log is folded in next time
            sys.stderr.write(f"Warning: the database was not closed cleanly: {exc}\n")


def main() -> None:
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    name = None if completing else command_name(sys.argv[1:])
    load([name] if name in _LOADERS else None)
    try:
        _root(prog_name="mentormap")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
    _close_database()
    # Every transaction is committed and the database closed by now. Skipping the interpreter's
    # teardown (freeing the thousands of objects SQLAlchemy and the models create) saves about
    # 0.1 s per command.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `mentormap … | head` closed the pipe early: not an error
        pass
    os._exit(code)
