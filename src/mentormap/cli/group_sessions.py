"""`mentormap group session`: plan a peer-group session's time boxes, and log it."""

from __future__ import annotations

from datetime import datetime

import typer

from mentormap.cli.common import JSON_OPTION, console, print_json, say, session, table
from mentormap.domain.capture import split_name
from mentormap.domain.vocab import FavourDirection
from mentormap.errors import InvalidInput
from mentormap.models import Group
from mentormap.services.context import Ctx
from mentormap.services.conversations import group_sessions as session_service
from mentormap.services.people.resolve import find_group


def _start(ctx: Ctx, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        clock = datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise InvalidInput(f"{value!r} is not a time; write HH:MM.") from None
    return datetime.combine(ctx.today(), clock, tzinfo=ctx.settings.timezone)


def _connections(
    ctx: Ctx, group: Group, values: list[str], direction: FavourDirection
) -> list[session_service.Connection]:
    found = []
    for value in values:
        name, text = split_name(value)
        if name is None:
            raise InvalidInput(f"Write a connection as 'Name: what', not {value!r}.")
        person = session_service.find_member(ctx, group, name)
        found.append(session_service.Connection(person, direction, text))
    return found


def session_(
    group: str = typer.Argument(..., help="The group."),
    minutes: int | None = typer.Option(None, help="Session length (default: the group's)."),
    present: list[str] = typer.Option(
        [],
        "--present",
        "-p",
        help="A member present (repeatable; default: everyone); 'me' gives you a share too.",
    ),
    pressing: list[str] = typer.Option(
        [],
        "--pressing",
        help="A member bringing a pressing problem: a double share; 'me' means you.",
    ),
    start: str | None = typer.Option(None, help="Start time HH:MM (default: now, rounded up)."),
    log: bool = typer.Option(False, "--log", help="Log the session as it was planned."),
    note: str | None = typer.Option(None, "--note", "-n", help="Notes for the log (Markdown)."),
    gave: list[str] = typer.Option(
        [], "--gave", help="'Name: connection you made for her' (repeatable, with --log)."
    ),
    got: list[str] = typer.Option(
        [], "--got", help="'Name: connection she made for you' (repeatable, with --log)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Plan fair time boxes for a peer-group session; with --log, record it and its favours."""
    if (gave or got or note) and not log:
        raise InvalidInput("--note, --gave and --got are recorded with --log.")
    with session() as ctx:
        found = find_group(ctx, group)
        is_me = session_service.is_me
        people = [
            session_service.find_member(ctx, found, p, members_only=True)
            for p in present
            if not is_me(p)
        ]
        plan = session_service.plan(
            ctx,
            found,
            minutes=minutes,
            present=people,
            pressing=[
                session_service.find_member(ctx, found, p, members_only=True)
                for p in pressing
                if not is_me(p)
            ],
            start=_start(ctx, start),
            with_me=any(is_me(p) for p in present),
            me_pressing=any(is_me(p) for p in pressing),
        )
        if log:
            connections = _connections(ctx, found, gave, FavourDirection.GIVEN)
            connections += _connections(ctx, found, got, FavourDirection.RECEIVED)
            session_service.log_session(
                ctx, found, plan, people, notes=note, connections=connections
            )
    if as_json:
        print_json(plan)
        return
    say(f"{plan.group}, {plan.day}: {plan.minutes} minutes for {len(plan.present)} present.")
    if plan.first_last_time:
        say(f"{plan.first_last_time} went first last time, so the order moves on.")
    grid = table("Start", "End", "Who", "Minutes")
    for slot in plan.slots:
        label = slot.label + (" (pressing problem)" if slot.pressing else "")
        grid.add_row(slot.starts, slot.ends, label, str(slot.minutes))
    console.print(grid)
    if plan.logged_interaction_id is not None:
        say(
            f"Logged the session (#{plan.logged_interaction_id}) with "
            f"{plan.favours_recorded} connection(s) recorded as favours."
        )
