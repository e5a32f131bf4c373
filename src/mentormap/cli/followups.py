"""`mentormap followup …`: commitments with a due date, yours or theirs."""

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

app = typer.Typer(
    help="Follow-ups: add, list, change, complete, snooze, cancel.", no_args_is_help=True
)


@app.command("add")
def add(
    who: str = typer.Argument(..., help="The person (or peer group) it concerns."),
    title: str = typer.Argument(..., help="What is to be done, e.g. 'send the slides'."),
    due: str | None = typer.Option(None, "--due", help="Due day: YYYY-MM-DD, tomorrow, +3d."),
    theirs: bool = typer.Option(False, "--theirs", help="They owe it to you (you will nudge)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a follow-up for someone."""
    from mentormap.services.clock.followups import add_follow_up, view_of
    from mentormap.services.people.resolve import find_group, find_person, is_group_name

    with session() as ctx:
        if is_group_name(ctx, who):
            item = add_follow_up(
                ctx,
                title,
                group=find_group(ctx, who),
                due_on=parse_day(due, ctx),
                owed_by="them" if theirs else "me",
            )
        else:
            item = add_follow_up(
                ctx,
                title,
                person=find_person(ctx, who),
                due_on=parse_day(due, ctx),
                owed_by="them" if theirs else "me",
            )
        view = view_of(ctx, item)
    if as_json:
        print_json(view)
        return
    say(f"Follow-up #{view.id} for {view.name}, due {fmt_date(view.due_on, 'whenever')}.")


@app.command("list")
def list_(
    who: str | None = typer.Option(None, "--person", "-p", help="Only this person's."),
    show_all: bool = typer.Option(False, "--all", help="Also done and cancelled ones."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List follow-ups (open ones unless --all)."""
    from mentormap.services.clock.followups import list_follow_ups
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        person = find_person(ctx, who) if who else None
        states = ["open", "done", "cancelled"] if show_all else ["open"]
        items = list_follow_ups(ctx, person=person, states=states)
    if as_json:
        print_json(items)
        return
    if not items:
        say("No follow-ups.")
        return
    grid = table("#", "Due", "Who", "What", "Owed by", "State")
    for item in items:
        state = item.state
        if item.snoozed_until and item.state == "open":
            state = f"snoozed to {item.snoozed_until}"
        grid.add_row(
            str(item.id),
            fmt_date(item.due_on),
            escape(item.name or "—"),
            escape(item.title),
            item.owed_by,
            state,
        )
    console.print(grid)


@app.command("edit")
def edit(
    follow_up_id: int = typer.Argument(..., help="Follow-up id (see `followup list`)."),
    title: str | None = typer.Option(None, "--title", help="New wording."),
    due: str | None = typer.Option(None, "--due", help="New due day: YYYY-MM-DD, tomorrow, +3d."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Reword an open follow-up or move its due date."""
    from mentormap.services.clock.followups import edit_follow_up, get_follow_up, view_of

    with session() as ctx:
        item = edit_follow_up(
            ctx, get_follow_up(ctx, follow_up_id), title=title, due_on=parse_day(due, ctx)
        )
        view = view_of(ctx, item)
    if as_json:
        print_json(view)
        return
    say(f"Follow-up #{view.id}: {view.title}, due {fmt_date(view.due_on, 'whenever')}.")


@app.command("done")
def done(follow_up_id: int = typer.Argument(..., help="Follow-up id.")) -> None:
    """Mark a follow-up done."""
    from mentormap.services.clock.followups import complete, get_follow_up

    with session() as ctx:
        item = complete(ctx, get_follow_up(ctx, follow_up_id))
        say(f"Done: {item.title}")


@app.command("cancel")
def cancel(follow_up_id: int = typer.Argument(..., help="Follow-up id.")) -> None:
    """Drop a follow-up that no longer applies."""
    from mentormap.services.clock.followups import cancel as cancel_follow_up
    from mentormap.services.clock.followups import get_follow_up

    with session() as ctx:
        item = cancel_follow_up(ctx, get_follow_up(ctx, follow_up_id))
        say(f"Cancelled: {item.title}")


@app.command("snooze")
def snooze(
    follow_up_id: int = typer.Argument(..., help="Follow-up id."),
    until: str = typer.Option(..., "--until", help="Hide it until this day: YYYY-MM-DD or +1w."),
) -> None:
    """Hide a follow-up from `today` until a later day."""
    from mentormap.services.clock.followups import get_follow_up
    from mentormap.services.clock.followups import snooze as snooze_follow_up

    with session() as ctx:
        day = parse_day(until, ctx)
        assert day is not None
        item = snooze_follow_up(ctx, get_follow_up(ctx, follow_up_id), day)
        say(f"Snoozed #{item.id} until {day}.")
