"""The `mentormap` command: global options, error handling, and every sub-command."""

from __future__ import annotations

import sys
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


app = typer.Typer(
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


@app.callback()
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


def _register() -> None:
    from mentormap.cli import (
        config,
        demo,
        groups,
        health,
        interactions,
        interop,
        people,
        roles,
        tags,
        trips,
    )

    app.add_typer(people.app, name="people")
    app.add_typer(roles.app, name="role")
    app.add_typer(groups.app, name="group")
    app.add_typer(interactions.app, name="interaction")
    app.add_typer(tags.tag_app, name="tag")
    app.add_typer(tags.attr_app, name="attr")
    app.command("log")(interactions.log)
    app.command("timeline")(interactions.timeline)
    app.command("demo")(demo.demo)
    app.command("where")(demo.where)
    app.add_typer(config.app, name="config")
    app.command("health")(health.health)
    app.add_typer(trips.app, name="trip")
    app.command("when")(trips.when)
    from mentormap.cli import catalogue, favours, followups, today

    app.command("today")(today.today)
    app.command("snooze")(today.snooze)
    app.command("reconnect")(today.reconnect)
    app.command("reply-window")(today.reply_window)
    app.command("roles")(catalogue.roles)
    app.add_typer(followups.app, name="followup")
    app.add_typer(favours.app, name="favour")
    from mentormap.cli import web

    app.command("serve")(web.serve)

    from mentormap.cli import (
        achievements,
        advice,
        agenda_points,
        goals,
        group_sessions,
        highlights,
        prep,
    )

    app.add_typer(agenda_points.app, name="agenda")
    app.add_typer(goals.app, name="goal")
    app.add_typer(achievements.app, name="achievement")
    app.add_typer(advice.app, name="advice")
    app.command("prep")(prep.prep)
    app.command("highlights")(highlights.highlights)
    groups.app.command("session")(group_sessions.session_)
    app.command("import")(interop.import_)
    app.command("export")(interop.export)
    app.command("restore")(interop.restore)
    people.app.command("duplicates")(interop.duplicates)


_register()


def main() -> None:
    app(prog_name="mentormap")
