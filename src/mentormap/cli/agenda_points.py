"""`mentormap agenda …`: points parked for the next conversation with a person or a group."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, console, escape, print_json, say, session, table
from mentormap.services.conversations import agenda_points as agenda_service

app = typer.Typer(
    help="Agenda points: what to raise next time you talk to someone.", no_args_is_help=True
)


@app.command("add")
def add(
    who: str = typer.Argument(..., help="A person or a group."),
    text: str = typer.Argument(..., help="The point, e.g. 'ask how the packet was built'."),
) -> None:
    """Park a point for the next conversation."""
    with session() as ctx:
        target = agenda_service.find_target(ctx, who)
        item = agenda_service.add_point(ctx, target, text)
        say(f"Parked for {target.name} (#{item.id}, point {item.position}).")


@app.command("list")
def list_(
    who: str | None = typer.Argument(None, help="Only this person or group."),
    all_: bool = typer.Option(False, "--all", help="Include discussed and dropped points."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List open agenda points, per person or group, in order."""
    with session() as ctx:
        target = agenda_service.find_target(ctx, who) if who else None
        points = agenda_service.list_points(ctx, target, include_closed=all_)
    if as_json:
        print_json(points)
        return
    if not points:
        say('No agenda points. Park one with `mentormap agenda add NAME "…"`.')
        return
    grid = table("#", "For", "Order", "Point", "State")
    for p in points:
        grid.add_row(str(p.id), p.who, str(p.position) if p.position else "", p.text, p.state)
    console.print(grid)


@app.command("move")
def move(
    point_id: int = typer.Argument(..., help="Agenda point id."),
    position: int = typer.Argument(..., help="New place, 1 = first."),
) -> None:
    """Reorder: move a point to another place in its list."""
    with session() as ctx:
        agenda_service.move_point(ctx, point_id, position)
        say(f"Moved #{point_id} to place {position}.")


@app.command("edit")
def edit(
    point_id: int = typer.Argument(..., help="Agenda point id (see `agenda list`)."),
    text: str | None = typer.Option(None, "--text", help="New wording of the point."),
    place: int | None = typer.Option(None, "--place", help="New place, 1 = first."),
) -> None:
    """Reword an open point, or move it (as `agenda move` does), or both."""
    with session() as ctx:
        item = agenda_service.edit_point(ctx, point_id, text=text, position=place)
        say(f"Changed #{item.id} (point {item.position}): {escape(item.text)}")


@app.command("drop")
def drop(point_id: int = typer.Argument(..., help="Agenda point id.")) -> None:
    """Drop a point you no longer need to raise."""
    with session() as ctx:
        item = agenda_service.drop_point(ctx, point_id)
        say(f"Dropped #{item.id}: {item.text}")
