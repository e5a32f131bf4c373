"""`mentormap goal …`: your own career goals and current top challenges."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    console,
    escape,
    fmt_date,
    print_json,
    say,
    session,
    table,
)
from mentormap.services.conversations import goals as goal_service

app = typer.Typer(help="Your career goals and current challenges.", no_args_is_help=True)


@app.command("add")
def add(
    title: str = typer.Argument(..., help="The goal or challenge."),
    challenge: bool = typer.Option(
        False, "--challenge", help="A challenge you face now, rather than a goal."
    ),
    top: bool = typer.Option(
        False, "--top", help="One of your top challenges: prep brings it to role models."
    ),
    note: str | None = typer.Option(None, help="Context in a sentence."),
) -> None:
    """Add a goal (or, with --challenge, a current challenge)."""
    with session() as ctx:
        goal = goal_service.add_goal(
            ctx, title, kind="challenge" if challenge else "goal", top=top, note=note
        )
        flag = " (top)" if goal.top else ""
        say(f"Added {goal.kind} #{goal.id}{flag}: {goal.title}")


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", help="Include finished and dropped ones."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List goals and challenges, top challenges first."""
    with session() as ctx:
        goals = goal_service.list_goals(ctx, include_closed=all_)
    if as_json:
        print_json(goals)
        return
    if not goals:
        say('No goals yet. Add one with `mentormap goal add "Reach Staff Engineer"`.')
        return
    grid = table("#", "Kind", "Top", "Title", "State", "Since", "Done")
    for g in goals:
        grid.add_row(
            str(g.id),
            g.kind,
            "★" if g.top else "",
            g.title,
            g.state,
            fmt_date(g.created_on),
            fmt_date(g.done_on, ""),
        )
    console.print(grid)


@app.command("edit")
def edit(
    goal_id: int = typer.Argument(..., help="Goal id (see `goal list`)."),
    title: str | None = typer.Option(None, "--title", help="New wording."),
    kind: str | None = typer.Option(None, "--kind", help="goal or challenge."),
    top: bool | None = typer.Option(
        None, "--top/--not-top", help="Whether it is one of your top challenges."
    ),
    note: str | None = typer.Option(None, "--note", help="New context ('' clears it)."),
) -> None:
    """Change a goal or challenge."""
    from mentormap.errors import InvalidInput

    if title is None and kind is None and top is None and note is None:
        raise InvalidInput("Nothing to change: pass --title, --kind, --top or --note.")
    with session() as ctx:
        goal = goal_service.edit_goal(ctx, goal_id, title=title, kind=kind, top=top, note=note)
        flag = " (top)" if goal.top else ""
        say(f"Updated {goal.kind} #{goal.id}{flag}: {goal.title}")


@app.command("done")
def done(
    goal_id: int = typer.Argument(..., help="Goal id (see `goal list`)."),
    dropped: bool = typer.Option(False, "--dropped", help="Dropped rather than achieved."),
) -> None:
    """Mark a goal reached or a challenge overcome (or --dropped)."""
    with session() as ctx:
        goal = goal_service.finish_goal(ctx, goal_id, "dropped" if dropped else "done")
        say(f"{goal.title}: {goal.state}.")


@app.command("remove")
def remove(goal_id: int = typer.Argument(..., help="Goal id (see `goal list --all`).")) -> None:
    """Forget a goal or challenge added by mistake (`goal done` keeps one you reached)."""
    with session() as ctx:
        goal = goal_service.remove_goal(ctx, goal_id)
    say(f"Removed {goal.kind} #{goal.id}: {escape(goal.title)}")
