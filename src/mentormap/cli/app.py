"""The `mentormap` command: global options, error handling, and every sub-command."""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any

import typer
from typer._click import Command as ClickCommand
from typer._click.exceptions import UsageError
from typer._click.shell_completion import CompletionItem
from typer._click.utils import make_default_short_help
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import TyperGroup, _TyperParameter

from mentormap import __version__
from mentormap.errors import UserError


def _is_database_failure(exc: Exception) -> bool:
    """A locked or unreadable database file (SQLAlchemy's OperationalError).

    Looked up only once SQLAlchemy is loaded, so `--help` and `--version` never import it: an
    error from a command that never loaded it cannot be one.
    """
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_errors is not None and isinstance(exc, sqlalchemy_errors.OperationalError)


class _PlainValue(RuntimeParam):
    """Passes flags, text, whole numbers and lists of text through as Typer's pydantic
    coercion would.

    Typer coerces every option and argument through a pydantic TypeAdapter, and importing
    pydantic costs a command about 45 ms, more than Typer itself. Anything else (other types,
    a value that needs converting, a number out of range) still goes the pydantic way, with
    its error messages.
    """

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation = self.annotation
        if annotation is bool and isinstance(value, bool):
            return value
        if annotation is str and isinstance(value, str):
            return value
        if annotation is int:
            number = _whole_number(value)
            low, high = self.parameter_info.min, self.parameter_info.max
            if (
                number is not None
                and (low is None or low <= number)
                and (high is None or number <= high)
            ):
                return number
        if (
            annotation == list[str]
            and isinstance(value, list | tuple)
            and all(isinstance(item, str) for item in value)
        ):
            return list(value)
        full = build_runtime_param(
            TypeDescriptor(annotation, self.parameter_info, file_annotation=None)
        )
        return full._coerce_value(value, param=param, ctx=ctx)


def _whole_number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return None


_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")
_PLAIN = (bool, str, int, list[str])
_typer_runtime_param = _TyperParameter.get_runtime_param


def _runtime_param(self: _TyperParameter) -> RuntimeParam:
    descriptor = self.type_descriptor
    info = descriptor.parameter_info
    if (
        self._runtime_param is None
        and descriptor.annotation in _PLAIN
        and descriptor.file_annotation is None
        and info.parser is None
        and not getattr(info, "clamp", False)
    ):
        self._runtime_param = _PlainValue(info, descriptor.annotation)
    return _typer_runtime_param(self)


_TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]


# Each loader imports one area's command modules and registers their commands on the root. The
# root lists every command from SUMMARIES, so `mentormap --help` and completing a command name
# import no command module; a command's module is imported only when it is run, asked for its
# own help or completed into (tests/test_cli_lazy.py keeps SUMMARIES equal to the commands).
Loader = Callable[[], None]
_LOADERS: dict[str, Loader] = {}
SUMMARIES: dict[str, str] = {}
_loaded: set[Loader] = set()


def _loader(summaries: dict[str, str]) -> Callable[[Loader], Loader]:
    def remember(function: Loader) -> Loader:
        for name, summary in summaries.items():
            _LOADERS[name] = function
            SUMMARIES[name] = summary
        return function

    return remember


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


class MentormapGroup(TyperGroup):
    """The root: loads a command's module on first use, and turns any error the user caused
    into one line on stderr and exit status 1."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*SUMMARIES, *(name for name in self.commands if name not in SUMMARIES)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in _LOADERS:
            load([cmd_name])
            built = typer.main.get_group(_root).commands
            for name, command in built.items():
                self.commands.setdefault(name, command)
        return self.commands.get(cmd_name)

    def _summary(self, name: str, limit: int) -> str | None:
        """The command's one-line help, None when it is hidden, without loading its module."""
        command = self.commands.get(name)
        if command is not None:
            return None if command.hidden else command.get_short_help_str(limit)
        return make_default_short_help(SUMMARIES[name], limit)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, text) for name in names if (text := self._summary(name, limit)) is not None]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        results = [
            CompletionItem(name, help=text)
            for name in self.list_commands(ctx)
            if name.startswith(incomplete) and (text := self._summary(name, 45)) is not None
        ]
        # The options, as any command completes them (skipping TyperGroup's, which loads all).
        results.extend(ClickCommand.shell_complete(self, ctx, incomplete))
        return results

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            sys.stderr.write(f"Error: {exc}\n")
            raise typer.Exit(1) from None
        except Exception as exc:
            if not _is_database_failure(exc):
                raise
            # Locked or unreadable database files: the user's environment, not a bug.
            reason = " ".join(str(getattr(exc, "orig", exc)).split())
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
    user: str | None = typer.Option(
        None,
        "--user",
        metavar="EMAIL",
        help="Work on this server user's network instead of the local one (see `user list`).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Global options apply to every command."""
    from mentormap.cli.common import begin

    begin(db, user)


@_loader(
    {
        "people": "Add, find, change and tidy the people in your network.",
    }
)
def _people() -> None:
    from mentormap.cli import interop, people

    people.app.command("duplicates")(interop.duplicates)
    _root.add_typer(people.app, name="people")


@_loader(
    {
        "role": "Give someone a role, or end one.",
        "roles": (
            "The role catalogue: the different people a career needs, and how to keep each one."
        ),
    }
)
def _roles() -> None:
    from mentormap.cli import catalogue, roles

    _root.add_typer(roles.app, name="role")
    _root.command("roles")(catalogue.roles)


@_loader(
    {
        "group": "Peer mentoring groups and their members.",
    }
)
def _groups() -> None:
    from mentormap.cli import group_sessions, groups

    groups.app.command("session")(group_sessions.session_)
    _root.add_typer(groups.app, name="group")


@_loader(
    {
        "log": "Log an interaction that happened (today unless --on says otherwise).",
        "timeline": "Everything you logged with one person, newest first.",
        "interaction": "Change or remove a logged interaction.",
    }
)
def _interactions() -> None:
    from mentormap.cli import interactions

    _root.command("log")(interactions.log)
    _root.command("timeline")(interactions.timeline)
    _root.add_typer(interactions.app, name="interaction")


@_loader(
    {
        "tag": "Tag people.",
        "attr": "Your own attributes on people, such as perspective dimensions; never guessed.",
    }
)
def _tags() -> None:
    from mentormap.cli import tags

    _root.add_typer(tags.tag_app, name="tag")
    _root.add_typer(tags.attr_app, name="attr")


@_loader(
    {
        "today": "What to do today: replies owed, follow-ups, people due by warmth, visitors.",
        "snooze": (
            "Snooze someone: she stays out of `today` until the date (owed replies still show)."
        ),
        "reconnect": (
            "Dormant ties worth reviving (silent for over four cadences), ranked for novelty."
        ),
        "reply-window": (
            "Show or set how soon an inbound message needing a reply should be answered."
        ),
    }
)
def _today() -> None:
    from mentormap.cli import today

    _root.command("today")(today.today)
    _root.command("snooze")(today.snooze)
    _root.command("reconnect")(today.reconnect)
    _root.command("reply-window")(today.reply_window)


@_loader(
    {
        "followup": "Follow-ups: add, list, change, complete, snooze, cancel.",
        "favour": "Favours given and received: act on them, tell the giver, keep it mutual.",
    }
)
def _loops() -> None:
    from mentormap.cli import favours, followups

    _root.add_typer(followups.app, name="followup")
    _root.add_typer(favours.app, name="favour")


@_loader(
    {
        "prep": "Brief yourself: who she is, what happened, what is open, and what to bring.",
        "highlights": "Draft a short highlights email of achievements she has not heard about yet.",
        "agenda": "Agenda points: what to raise next time you talk to someone.",
        "goal": "Your career goals and current challenges.",
        "achievement": "Your achievements log, and who you shared each with.",
        "advice": "Advice you were given, and how it worked out.",
    }
)
def _prep() -> None:
    from mentormap.cli import achievements, advice, agenda_points, goals, highlights, prep

    _root.command("prep")(prep.prep)
    _root.command("highlights")(highlights.highlights)
    _root.add_typer(agenda_points.app, name="agenda")
    _root.add_typer(goals.app, name="goal")
    _root.add_typer(achievements.app, name="achievement")
    _root.add_typer(advice.app, name="advice")


@_loader(
    {
        "health": "Score your network by area and say where it is thin and what to do about it.",
        "trip": "Trips: yours, and contacts' visits to your city.",
        "when": (
            "The coming week's times when both your working hours overlap, in both local times."
        ),
        "config": "Your own settings: employer, home city, budget, hours.",
    }
)
def _health() -> None:
    from mentormap.cli import config, health, trips

    _root.command("health")(health.health)
    _root.add_typer(trips.app, name="trip")
    _root.command("when")(trips.when)
    _root.add_typer(config.app, name="config")


@_loader(
    {
        "life-event": "News in their lives: a new job, a move, a baby.",
    }
)
def _lives() -> None:
    from mentormap.cli import lives

    _root.add_typer(lives.app, name="life-event")


@_loader(
    {
        "spend": (
            "Money put into your career: coaches, courses, conferences, against a yearly budget."
        ),
    }
)
def _spend() -> None:
    from mentormap.cli import spend

    _root.add_typer(spend.app, name="spend")


@_loader(
    {
        "prospect": (
            "Prospects: people you cultivate towards a role, stage by stage, with the next step."
        ),
        "opportunity": (
            "Opportunities (CFPs, conferences, programs, projects, roles) and who brought them."
        ),
        "mentee": (
            "Your side as a mentor: a mentee's goals and achievements, and what you passed on."
        ),
        "office-hours": "Your weekly office hours for mentees: add, list, print, remove.",
        "story": "Your private list of failure stories worth sharing with a mentee.",
    }
)
def _practice() -> None:
    from mentormap.cli import mentoring, opportunities, prospects

    _root.add_typer(prospects.app, name="prospect")
    _root.add_typer(opportunities.app, name="opportunity")
    _root.add_typer(mentoring.mentee_app, name="mentee")
    _root.add_typer(mentoring.office_hours_app, name="office-hours")
    _root.add_typer(mentoring.story_app, name="story")


@_loader(
    {
        "import": "Import contacts (vCard, LinkedIn, Google, CSV) or calendar history (.ics).",
        "export": (
            "Export contacts (vCard 4.0, CSV), planned catch-ups (.ics) or a full JSON backup."
        ),
        "restore": "Restore a JSON backup into an empty database, ids and all.",
    }
)
def _interop() -> None:
    from mentormap.cli import interop

    _root.command("import")(interop.import_)
    _root.command("export")(interop.export)
    _root.command("restore")(interop.restore)


@_loader(
    {
        "mail": "Capture from email: mbox, Maildir and IMAP become interactions and owed replies.",
    }
)
def _mail() -> None:
    from mentormap.cli import mail

    _root.add_typer(mail.app, name="mail")


@_loader(
    {
        "sync": (
            "Sync with the phone: contacts both ways with a CardDAV address book, meetings in "
            "from a CalDAV calendar or an .ics address."
        ),
    }
)
def _sync() -> None:
    from mentormap.cli import sync

    _root.add_typer(sync.app, name="sync")


@_loader({"feed": "The private calendar feed: catch-ups, follow-ups, replies, visits, birthdays."})
def _feed() -> None:
    from mentormap.cli import feed

    _root.add_typer(feed.app, name="feed")


@_loader({"digest": "Today's agenda as an email (text and HTML), for a cron job or a timer."})
def _digest() -> None:
    from mentormap.cli import digest

    _root.command("digest")(digest.digest)


@_loader(
    {
        "search": (
            "Search people, conversations, advice, achievements, agenda points, favours and goals."
        ),
        "who": (
            "Who can help me with X: people ranked by expertise, tags, work and past conversations."
        ),
    }
)
def _search() -> None:
    from mentormap.cli import search

    _root.command("search")(search.search)
    _root.command("who")(search.who)


@_loader({"semantic": "Search by meaning too: a model2vec model from a local folder."})
def _semantic() -> None:
    from mentormap.cli import semantic

    _root.add_typer(semantic.app, name="semantic")


@_loader(
    {
        "backup": (
            "Write a consistent copy of the whole database to FILE (private to you, mode 0600)."
        ),
    }
)
def _backup() -> None:
    from mentormap.cli import backup

    _root.command("backup")(backup.backup)


@_loader(
    {
        "serve": "Start the web app (on this machine only, unless --host says otherwise).",
    }
)
def _web() -> None:
    from mentormap.cli import web

    _root.command("serve")(web.serve)


@_loader(
    {
        "user": "Server accounts: add, list, disable and re-password the users who sign in.",
        "token": "Personal access tokens for the JSON API: create, list, revoke.",
    }
)
def _accounts() -> None:
    from mentormap.cli import accounts

    _root.add_typer(accounts.user_app, name="user")
    _root.add_typer(accounts.token_app, name="token")


@_loader(
    {
        "demo": "Fill the database with a realistic demo network to explore.",
        "where": "Show where your data lives.",
    }
)
def _demo() -> None:
    from mentormap.cli import demo

    _root.command("demo")(demo.demo)
    _root.command("where")(demo.where)


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
    # A command makes tens of thousands of objects (rows, ORM instances, views) and drops them
    # all at exit. The collector's passes over them cost `people list` on 20,000 people 0.45 s
    # of 1.6; frozen imports and rarer passes keep the cost small, and memory still bounded.
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
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
