"""`mentormap sync …`: keep contacts in step with a CardDAV address book, and take meetings
in from a CalDAV calendar or an .ics address."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentormap.cli.common import JSON_OPTION, YES_OPTION, confirm, print_json, say, session

if TYPE_CHECKING:
    from mentormap.services.sync.report import SyncReport

app = typer.Typer(
    help=(
        "Sync with the phone: contacts both ways with a CardDAV address book, meetings in from a "
        "CalDAV calendar or an .ics address."
    ),
    no_args_is_help=True,
)

CONFLICTS_SHOWN = 30
SKIPPED_SHOWN = 30


@app.command("add")
def add(
    name: str = typer.Argument(..., help="A short name for the source, e.g. phone."),
    carddav: str | None = typer.Option(
        None, "--carddav", help="An address book (or the server: its first one is found)."
    ),
    caldav: str | None = typer.Option(
        None, "--caldav", help="A calendar (or the server: its first one is found), read."
    ),
    ics: str | None = typer.Option(
        None, "--ics", help="An .ics address to read (a published or shared calendar)."
    ),
    user: str | None = typer.Option(None, "--user", help="The login name."),
    password_command: str | None = typer.Option(
        None,
        "--password-command",
        help="A command that prints the password (e.g. 'pass show dav'); else the keyring.",
    ),
    me: list[str] = typer.Option(
        [],
        "--me",
        help="One of your own addresses, so you are not taken for an attendee (repeatable).",
    ),
    roles_as_categories: bool = typer.Option(
        False, "--roles-as-categories", help="Write each person's roles as the card's CATEGORIES."
    ),
) -> None:
    """Add an address book or calendar; a password goes to the keyring, never the database."""
    from mentormap.errors import InvalidInput
    from mentormap.services.sync.sources import add_source, store_source_password

    given = [(k, u) for k, u in (("carddav", carddav), ("caldav", caldav), ("ics", ics)) if u]
    if len(given) != 1:
        raise InvalidInput("Give exactly one of --carddav URL, --caldav URL or --ics URL.")
    kind, url = given[0]
    with session() as ctx:
        source = add_source(
            ctx,
            name,
            kind=kind,
            url=url,
            user=user,
            password_command=password_command,
            me=me,
            roles_as_categories=roles_as_categories,
        )
        if user and password_command is None:
            password = typer.prompt(f"Password for {user}", hide_input=True)
            store_source_password(source, password)
    say(f"Added {kind} source {source.name} ({source.url}). Run it: `mentormap sync run {name}`.")


def print_report(report: SyncReport) -> None:
    import sys

    say(report.summary())
    for c in report.conflicts[:CONFLICTS_SHOWN]:
        say(
            f"  conflict: {c.name}, {c.field}: kept {c.kept}'s "
            f"{c.mentormap if c.kept == 'mentormap' else c.server!r}"
        )
    if len(report.conflicts) > CONFLICTS_SHOWN:
        say(f"  And {len(report.conflicts) - CONFLICTS_SHOWN} more conflicts (see --json).")
    for line in report.skipped[:SKIPPED_SHOWN]:
        sys.stderr.write(f"  {line}\n")
    if len(report.skipped) > SKIPPED_SHOWN:
        sys.stderr.write(f"  And {len(report.skipped) - SKIPPED_SHOWN} more left alone.\n")


@app.command("run")
def run(
    name: str | None = typer.Argument(None, help="The source; leave out to run them all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sync now: counts of pulled, created, updated, pushed, archived, and every conflict."""
    from mentormap.cli.interop import progress_bar
    from mentormap.services.sync.sources import reports_json, run_sources

    with session() as ctx, progress_bar("Syncing") as advance:
        reports = run_sources(ctx, name, progress=advance)
    if as_json:
        print_json(reports_json(reports))
        return
    for report in reports:
        print_report(report)


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """List your sync sources and what each last run did."""
    from mentormap.services.sync.sources import source_views

    with session() as ctx:
        views = source_views(ctx)
    if as_json:
        print_json(views)
        return
    if not views:
        say("No sync sources yet: `mentormap sync add phone --carddav URL --user U`.")
        return
    for v in views:
        login = f" as {v.username}" if v.username else ""
        counts = ", ".join(f"{n} {k}" for k, n in (v.last_counts or {}).items()) or "never run"
        say(f"{v.name}: {v.kind} {v.url}{login} — {v.linked} linked; last run: {counts}")


@app.command("remove")
def remove(
    name: str = typer.Argument(..., help="The source to remove."),
    yes: bool = YES_OPTION,
) -> None:
    """Remove a source and its links; the people and interactions it brought in stay."""
    from mentormap.services.sync.sources import remove_source

    confirm(f"Remove the sync source {name}? People and interactions stay.", yes)
    with session() as ctx:
        links = remove_source(ctx, name)
    say(f"Removed {name} ({links} links forgotten; people and interactions stay).")
