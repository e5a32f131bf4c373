"""`mentormap favour …`: the favours ledger, the loop of a received favour, and reciprocity."""

from __future__ import annotations

import typer
from rich.markup import escape

from mentormap.cli.common import (
    JSON_OPTION,
    console,
    fmt_date,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.domain.vocab import FavourKind

app = typer.Typer(
    help="Favours given and received: act on them, tell the giver, keep it mutual.",
    no_args_is_help=True,
)
KINDS = ", ".join(k.value for k in FavourKind)


@app.command("add")
def add(
    who: str = typer.Argument(..., help="Who did you the favour (or whom you did it for)."),
    description: str = typer.Argument(..., help="What, e.g. 'introduced me to the CFP chair'."),
    given: bool = typer.Option(
        False, "--given/--received", help="You gave it (default: you received it)."
    ),
    kind: str = typer.Option("other", "--kind", "-k", help=f"One of: {KINDS}."),
    on: str | None = typer.Option(None, "--on", help="When: YYYY-MM-DD, yesterday, -3d."),
    acted: str | None = typer.Option(None, "--acted", help="Already acted on, on this day."),
    reported: str | None = typer.Option(
        None, "--reported", help="Already reported back, on this day."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record a favour. A received one opens its loop: thank, act on it, tell the giver."""
    from mentormap.services.clock.favours import add_favour, view_of
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        person = find_person(ctx, who)
        favour = add_favour(
            ctx,
            person,
            description,
            direction="given" if given else "received",
            kind=kind,
            on=parse_day(on, ctx),
            acted_on=parse_day(acted, ctx),
            reported_on=parse_day(reported, ctx),
        )
        view = view_of(ctx, favour)
    if as_json:
        print_json(view)
        return
    way = "to" if given else "from"
    step = f" Next: {view.next_step}" if view.next_step else ""
    say(f"Favour #{view.id} {way} {view.name} recorded.{step}")


@app.command("list")
def list_(
    who: str | None = typer.Option(None, "--person", "-p", help="Only this person's."),
    direction: str | None = typer.Option(None, "--direction", help="given or received."),
    open_only: bool = typer.Option(False, "--open", help="Only received ones with the loop open."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The ledger, newest first."""
    from mentormap.services.clock.favours import list_favours
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        person = find_person(ctx, who) if who else None
        items = list_favours(ctx, person=person, direction=direction, open_only=open_only)
    if as_json:
        print_json(items)
        return
    if not items:
        say("No favours recorded.")
        return
    grid = table("#", "On", "Who", "Way", "Kind", "What", "State", "Next")
    for item in items:
        grid.add_row(
            str(item.id),
            fmt_date(item.occurred_on),
            escape(item.name),
            item.direction,
            item.kind.replace("_", " "),
            escape(item.description),
            item.state.replace("_", " "),
            escape(item.next_step or ""),
        )
    console.print(grid)


@app.command("acted")
def acted(
    favour_id: int = typer.Argument(..., help="Favour id (see `favour list`)."),
    on: str | None = typer.Option(None, "--on", help="When you acted on it (default today)."),
) -> None:
    """You followed up on a favour: next, tell the giver."""
    from mentormap.services.clock.favours import get_favour, mark_acted

    with session() as ctx:
        favour = mark_acted(ctx, get_favour(ctx, favour_id), parse_day(on, ctx))
        say(f"Acted on favour #{favour.id}. Next: tell {favour.person.name} what came of it.")


@app.command("reported")
def reported(
    favour_id: int = typer.Argument(..., help="Favour id."),
    on: str | None = typer.Option(None, "--on", help="When you told them (default today)."),
    kind: str = typer.Option("message", "--kind", "-k", help="How you told them (logged)."),
    no_log: bool = typer.Option(
        False, "--no-log", help="Do not log the telling as an interaction."
    ),
    note: str | None = typer.Option(
        None, "--note", "-n", help="What came of it, kept in the logged telling's notes."
    ),
) -> None:
    """You told the giver what came of the favour: the loop is closed."""
    from mentormap.services.clock.favours import get_favour, mark_reported

    with session() as ctx:
        favour, logged = mark_reported(
            ctx,
            get_favour(ctx, favour_id),
            parse_day(on, ctx),
            None if no_log else kind,
            note=note,
        )
        extra = f" Logged as interaction #{logged.id}." if logged else ""
        say(f"Loop closed on favour #{favour.id} with {favour.person.name}.{extra}")


@app.command("remove")
def remove(favour_id: int = typer.Argument(..., help="Favour id (see `favour list`).")) -> None:
    """Forget a favour recorded by mistake, and the follow-ups its loop opened."""
    from mentormap.services.clock.favours import get_favour, remove_favour

    with session() as ctx:
        view = remove_favour(ctx, get_favour(ctx, favour_id))
    way = "to" if view.direction == "given" else "from"
    say(f"Removed favour #{view.id} {way} {escape(view.name)}: {escape(view.description)}")


@app.command("reciprocity")
def reciprocity(as_json: bool = JSON_OPTION) -> None:
    """Favours received and given per person: where you have taken much and given little."""
    from mentormap.services.clock.favours import reciprocity as reciprocity_rows

    with session() as ctx:
        rows = reciprocity_rows(ctx)
    if as_json:
        print_json(rows)
        return
    if not rows:
        say("No favours recorded yet.")
        return
    grid = table("Who", "Received", "Given", "Open loops")
    for row in rows:
        flag = " [bold red]![/]" if row.taken_much else ""
        grid.add_row(
            escape(row.name) + flag, str(row.received), str(row.given), str(row.open_loops)
        )
    console.print(grid)
    prompts = [row.prompt for row in rows if row.prompt and row.taken_much]
    for prompt in prompts:
        console.print(f"\n{escape(prompt)}")
