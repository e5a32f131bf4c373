"""`mentormap group …`: peer mentoring groups."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    console,
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


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """List groups with their members and last session."""
    with session() as ctx:
        groups = group_service.list_groups(ctx)
    if as_json:
        print_json(groups)
        return
    if not groups:
        say("No groups yet. Create one with `mentormap group create NAME --member …`.")
        return
    grid = table("Group", "Every", "Minutes", "Last session", "Members")
    for g in groups:
        grid.add_row(
            g.name,
            f"{g.cadence_days}d",
            str(g.session_minutes),
            fmt_date(g.last_session_on, "never"),
            ", ".join(g.members),
        )
    console.print(grid)
