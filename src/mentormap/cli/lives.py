"""`mentormap life-event …`: news in the lives of the people you know, to ask about and mark."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    PERSON,
    YES_OPTION,
    confirm,
    console,
    escape,
    fmt_date,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.domain.lives import KIND_LABELS

app = typer.Typer(
    help="News in their lives: a new job, a move, a baby. Recent news shows in today and prep.",
    no_args_is_help=True,
)
KIND_HELP = f"What kind of news: {KIND_LABELS}."
ON_HELP = "When it happened: YYYY-MM-DD, yesterday, -3d (default today)."


@app.command("add")
def add(
    who: str = PERSON,
    text: str = typer.Argument(..., help="What happened, e.g. 'started as head of platform'."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    kind: str = typer.Option("other", "--kind", "-k", help=KIND_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record news in someone's life. News of the last 14 days shows in `today` and `prep`."""
    from mentormap.services.people.lives import add_life_event
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        view = add_life_event(ctx, find_person(ctx, who), text, on=parse_day(on, ctx), kind=kind)
    if as_json:
        print_json(view)
        return
    say(f"Life event #{view.id} for {view.name} recorded. {view.prompt}")


@app.command("list")
def list_(
    who: str | None = typer.Argument(None, help="Only this person's news."),
    as_json: bool = JSON_OPTION,
) -> None:
    """News recorded, newest first."""
    from mentormap.services.people.lives import list_life_events
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        person = find_person(ctx, who) if who else None
        items = list_life_events(ctx, person=person)
    if as_json:
        print_json(items)
        return
    if not items:
        say("No news recorded yet: `mentormap life-event add NAME TEXT --kind new_job`.")
        return
    grid = table("#", "When", "Who", "Kind", "What")
    for item in items:
        grid.add_row(
            str(item.id),
            fmt_date(item.on, ""),
            escape(item.name),
            item.kind.replace("_", " "),
            escape(item.text),
        )
    console.print(grid)


@app.command("edit")
def edit(
    event_id: int = typer.Argument(..., help="The life event's number (see `life-event list`)."),
    text: str | None = typer.Option(None, "--text", help="What happened, reworded."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    kind: str | None = typer.Option(None, "--kind", "-k", help=KIND_HELP),
) -> None:
    """Change what, when or what kind of news."""
    from mentormap.services.people.lives import edit_life_event, get_life_event

    with session() as ctx:
        view = edit_life_event(
            ctx, get_life_event(ctx, event_id), text=text, on=parse_day(on, ctx), kind=kind
        )
    say(f"Life event #{view.id} for {view.name} updated.")


@app.command("remove")
def remove(
    event_id: int = typer.Argument(..., help="The life event's number (see `life-event list`)."),
    yes: bool = YES_OPTION,
) -> None:
    """Remove a life event recorded by mistake."""
    from mentormap.services.people.lives import get_life_event, remove_life_event

    with session() as ctx:
        event = get_life_event(ctx, event_id)
        confirm(f"Remove life event #{event.id} ({event.text!r})?", yes)
        view = remove_life_event(ctx, event)
    say(f"Removed life event #{view.id} for {view.name}.")
