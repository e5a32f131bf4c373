"""`mentormap group …`: peer mentoring groups."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    console,
    escape,
    fmt_date,
    parse_cadence,
    print_json,
    say,
    session,
    table,
)
from mentormap.services.people import groups as group_service
from mentormap.services.people.resolve import find_group, find_person

app = typer.Typer(help="Peer mentoring groups and their members.", no_args_is_help=True)


@app.command("create")
def create(
    name: str = typer.Argument(..., help="Group name."),
    cadence: str = typer.Option("30d", help="How often it meets, e.g. 30d or 4w."),
    minutes: int = typer.Option(60, help="Length of a session in minutes."),
    member: list[str] = typer.Option([], "--member", "-m", help="A member (repeatable)."),
    note: str | None = typer.Option(None, help="Where it came from, how it runs."),
) -> None:
    """Create a peer group."""
    with session() as ctx:
        group = group_service.create_group(
            ctx, name, cadence_days=parse_cadence(cadence) or 30, session_minutes=minutes, note=note
        )
        for who in member:
            group_service.add_member(ctx, group, find_person(ctx, who))
        say(f"Created {group.name} with {len(member)} member(s).")


@app.command("add")
def add(
    group: str = typer.Argument(..., help="Group name."),
    people: list[str] = typer.Argument(..., help="People to add."),
) -> None:
    """Add members to a group (they become your peers)."""
    with session() as ctx:
        found = find_group(ctx, group)
        for who in people:
            group_service.add_member(ctx, found, find_person(ctx, who))
        say(f"Added {len(people)} to {found.name}.")


@app.command("remove")
def remove(
    group: str = typer.Argument(..., help="Group name."),
    people: list[str] = typer.Argument(..., help="People to remove."),
) -> None:
    """Remove members from a group."""
    with session() as ctx:
        found = find_group(ctx, group)
        for who in people:
            group_service.remove_member(ctx, found, find_person(ctx, who))
        say(f"Removed {len(people)} from {found.name}.")


@app.command("edit")
def edit(
    group: str = typer.Argument(..., help="Group name."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    cadence: str | None = typer.Option(None, help="How often it meets, e.g. 30d or 4w."),
    minutes: int | None = typer.Option(None, help="Length of a session in minutes."),
    note: str | None = typer.Option(None, help="Where it came from, how it runs ('' clears it)."),
    archived: bool | None = typer.Option(
        None,
        "--archive/--restore",
        help="Archive it (out of lists and clocks; its sessions keep its name), or bring it back.",
    ),
) -> None:
    """Change a group: its name, how often and how long it meets, its note; archive it."""
    from mentormap.errors import InvalidInput

    if name is None and cadence is None and minutes is None and note is None and archived is None:
        raise InvalidInput(
            "Nothing to change: pass --name, --cadence, --minutes, --note, --archive or --restore."
        )
    with session() as ctx:
        found = group_service.edit_group(
            ctx,
            find_group(ctx, group),
            name=name,
            cadence_days=parse_cadence(cadence),
            session_minutes=minutes,
            note=note,
            archived=archived,
        )
        state = " (archived)" if found.archived else ""
        say(
            f"Updated {escape(found.name)}{state}: every {found.cadence_days} days, "
            f"{found.session_minutes} minutes."
        )


@app.command("delete")
def delete(group: str = typer.Argument(..., help="Group name.")) -> None:
    """Delete a group. Its past sessions stay in the timelines of those who came; its
    memberships, open agenda points and follow-ups go (`group edit --archive` keeps them)."""
    with session() as ctx:
        gone = group_service.delete_group(ctx, find_group(ctx, group))
    say(
        f"Deleted {escape(gone.name)}: {gone.members} membership(s) ended, "
        f"{gone.agenda_points} open agenda point(s) and {gone.follow_ups} follow-up(s) removed; "
        f"its {gone.sessions} past session(s) kept as conversations."
    )


@app.command("list")
def list_(
    include_archived: bool = typer.Option(False, "--all", help="Include archived groups."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List groups with their members and last session."""
    with session() as ctx:
        groups = group_service.list_groups(ctx, include_archived=include_archived)
    if as_json:
        print_json(groups)
        return
    if not groups:
        say("No groups yet. Create one with `mentormap group create NAME --member …`.")
        return
    grid = table("Group", "Every", "Minutes", "Last session", "Members")
    for g in groups:
        grid.add_row(
            g.name + (" (archived)" if g.archived else ""),
            f"{g.cadence_days}d",
            str(g.session_minutes),
            fmt_date(g.last_session_on, "never"),
            ", ".join(g.members),
        )
    console.print(grid)
