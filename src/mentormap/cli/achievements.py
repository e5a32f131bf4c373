"""`mentormap achievement …`: the brag document."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    console,
    escape,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.services.conversations import achievements as achievement_service

app = typer.Typer(help="Your achievements log, and who you shared each with.", no_args_is_help=True)


@app.command("add")
def add(
    title: str = typer.Argument(..., help="What you achieved."),
    on: str | None = typer.Option(None, "--on", help="When: YYYY-MM-DD, yesterday, -3d."),
    impact: str | None = typer.Option(None, help="The measurable effect, in a phrase."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="A tag (repeatable)."),
) -> None:
    """Add an achievement to the log."""
    with session() as ctx:
        item = achievement_service.add_achievement(
            ctx, title, on=parse_day(on, ctx), impact=impact, tags=tag
        )
        say(f"Logged achievement #{item.id} on {item.occurred_on}: {item.title}")


@app.command("edit")
def edit(
    achievement_id: int = typer.Argument(..., help="Achievement id (see `achievement list`)."),
    title: str | None = typer.Option(None, help="New title."),
    on: str | None = typer.Option(None, "--on", help="New date."),
    impact: str | None = typer.Option(None, help="New impact ('' clears it)."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Replace the tags (repeatable)."),
) -> None:
    """Change an achievement."""
    with session() as ctx:
        item = achievement_service.get_achievement(ctx, achievement_id)
        achievement_service.edit_achievement(
            ctx, item, title=title, on=parse_day(on, ctx), impact=impact, tags=tag or None
        )
        say(f"Updated achievement #{achievement_id}.")


@app.command("shared")
def shared(
    achievement_id: int = typer.Argument(..., help="Achievement id (see `achievement list`)."),
    with_: str = typer.Option(..., "--with", help="Whom you told, in person or otherwise."),
    on: str | None = typer.Option(None, "--on", help="When you told her (default today)."),
) -> None:
    """You shared an achievement yourself: prep and highlights stop offering it to her."""
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        item = achievement_service.get_achievement(ctx, achievement_id)
        person = find_person(ctx, with_)
        day = achievement_service.share_in_person(ctx, item, person, parse_day(on, ctx))
        say(f"Achievement #{item.id} shared with {person.name} on {day.isoformat()}.")


@app.command("unshare")
def unshare(
    achievement_id: int = typer.Argument(..., help="Achievement id (see `achievement list`)."),
    with_: str = typer.Option(..., "--with", help="Whom it was marked shared with."),
) -> None:
    """Take back a share marked by mistake: prep and highlights offer it to her again."""
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        item = achievement_service.get_achievement(ctx, achievement_id)
        person = find_person(ctx, with_)
        day = achievement_service.unshare(ctx, item, person)
    say(
        f"Achievement #{item.id} is no longer marked shared with {escape(person.name)} (was {day})."
    )


@app.command("remove")
def remove(
    achievement_id: int = typer.Argument(..., help="Achievement id (see `achievement list`)."),
) -> None:
    """Forget an achievement logged by mistake, with whom it was shared."""
    with session() as ctx:
        view = achievement_service.remove_achievement(
            ctx, achievement_service.get_achievement(ctx, achievement_id)
        )
    say(f"Removed achievement #{view.id}: {escape(view.title)}")


@app.command("list")
def list_(
    tag: str | None = typer.Option(None, help="Only those with this tag."),
    since: str | None = typer.Option(None, help="Only since this date."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The log, newest first, with who heard about each."""
    with session() as ctx:
        items = achievement_service.list_achievements(ctx, tag=tag, since=parse_day(since, ctx))
    if as_json:
        print_json(items)
        return
    if not items:
        say('Your achievements log is empty. Start it with `mentormap achievement add "…"`.')
        return
    grid = table("#", "Date", "Achievement", "Impact", "Tags", "Shared with")
    for a in items:
        grid.add_row(
            str(a.id),
            a.occurred_on.isoformat(),
            a.title,
            a.impact or "",
            ", ".join(a.tags),
            ", ".join(f"{s.person} ({s.shared_on.isoformat()})" for s in a.shared_with),
        )
    console.print(grid)
