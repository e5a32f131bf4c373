"""`mentormap log`, `mentormap timeline` and `mentormap interaction …`."""

from __future__ import annotations

import sys
from datetime import time

import typer

from mentormap.cli import capture
from mentormap.cli.common import (
    JSON_OPTION,
    PERSON,
    YES_OPTION,
    confirm,
    console,
    edit_text,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.domain.vocab import Direction, InteractionKind
from mentormap.errors import InvalidInput
from mentormap.models import Group, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations import capture as capture_service
from mentormap.services.conversations import interactions as interaction_service
from mentormap.services.people.resolve import find_group, find_person, is_group_name

app = typer.Typer(help="Change or remove a logged interaction.", no_args_is_help=True)
KINDS = ", ".join(k.value for k in InteractionKind)
DIRECTIONS = ", ".join(d.value for d in Direction)


def _parse_time(value: str | None) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a time; write HH:MM.") from None


def _resolve_many(
    ctx: Ctx, names: list[str], group: str | None
) -> tuple[list[Person], Group | None]:
    people: list[Person] = []
    found_group = find_group(ctx, group) if group else None
    for name in names:
        if found_group is None and is_group_name(ctx, name):
            found_group = find_group(ctx, name)
        else:
            people.append(find_person(ctx, name))
    return people, found_group


def absent_members(ctx: Ctx, group: Group | None, names: list[str]) -> list[Person]:
    """Resolve `--absent` names among the group's members (a group is needed for them)."""
    if not names:
        return []
    if group is None:
        raise InvalidInput("--absent names members who missed a group session; name the group.")
    from mentormap.services.conversations.group_sessions import find_member

    return [find_member(ctx, group, name, members_only=True) for name in names]


def _read_note(note: str | None, edit: bool) -> str | None:
    if note == "-":
        return sys.stdin.read()
    if edit:
        edited = edit_text(note or "")
        return edited if edited is not None else note
    return note


def log(
    names: list[str] = typer.Argument(None, help="People and/or a group you met."),
    kind: str = typer.Option("message", "--kind", "-k", help=f"One of: {KINDS}."),
    on: str | None = typer.Option(
        None, "--on", help="When it happened: YYYY-MM-DD, yesterday, -3d."
    ),
    at: str | None = typer.Option(None, "--at", help="Local time it happened, HH:MM."),
    direction: str = typer.Option("mutual", help=f"One of: {DIRECTIONS}."),
    note: str | None = typer.Option(
        None, "--note", "-n", help="Notes (Markdown); '-' reads stdin."
    ),
    edit: bool | None = typer.Option(
        None,
        "--edit/--no-edit",
        help="Fill in the capture template in $EDITOR (default: on a terminal without --note).",
    ),
    location: str | None = typer.Option(None, help="Where."),
    group: str | None = typer.Option(
        None,
        help="The group this was a session of: all its members took part, with any others named.",
    ),
    absent: list[str] = typer.Option(
        [], "--absent", help="A group member who missed the session (repeatable)."
    ),
    needs_reply: bool = typer.Option(False, "--needs-reply", help="Inbound, and you owe a reply."),
    advice: list[str] = capture.ADVICE_OPTION,
    action: list[str] = capture.ACTION_OPTION,
    their_action: list[str] = capture.THEIR_ACTION_OPTION,
    by: str | None = capture.BY_OPTION,
    covered: list[str] = capture.COVERED_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Log an interaction that happened (today unless --on says otherwise).

    On a terminal without --note, $EDITOR opens a template for notes, advice, favours,
    follow-ups and the agenda points covered.
    """
    names = names or []
    extras = capture.extras_from_options(advice, action, covered, their_action)
    if note != "-" and capture.wants_editor(note, edit):
        capture.log_with_editor(
            names,
            kind=kind,
            on=on,
            location=location,
            group=group,
            absent=absent,
            note=note,
            direction=direction,
            needs_reply=needs_reply,
            extras=extras,
            as_json=as_json,
            by=by,
        )
        return
    with session() as ctx:
        people, found_group = _resolve_many(ctx, names, group)
        missing = absent_members(ctx, found_group, absent)
        if found_group is not None and kind == "message":
            kind = InteractionKind.GROUP_SESSION.value
        if needs_reply and direction == "mutual":
            direction = Direction.INBOUND.value
        item = interaction_service.log_interaction(
            ctx,
            people,
            kind=kind,
            on=parse_day(on, ctx),
            at=_parse_time(at),
            direction=direction,
            notes=_read_note(note, False),
            location=location,
            group=found_group,
            absent=missing,
            needs_reply=needs_reply,
        )
        extras.due_by = parse_day(by, ctx)
        recorded = capture_service.record_extras(
            ctx, item, [p.person for p in item.participants], extras
        )
        view = interaction_service.views_of(ctx, [item])[0]
    if as_json:
        print_json(view)
    else:
        who = view.group or ", ".join(view.people)
        say(f"Logged {view.kind.replace('_', ' ')} with {who} on {view.occurred_on} (#{view.id}).")
        capture.report_extras(recorded)


def timeline(
    who: str = PERSON,
    limit: int | None = typer.Option(None, help="Show at most this many."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Everything you logged with one person, newest first."""
    with session() as ctx:
        person = find_person(ctx, who)
        items = interaction_service.timeline(ctx, person, limit=limit)
        name = person.name
    if as_json:
        print_json(items)
        return
    if not items:
        say(f"Nothing logged with {name} yet.")
        return
    grid = table("#", "Date", "Kind", "Dir", "With", "Notes")
    for item in items:
        others = [n for n in item.people if n != name]
        grid.add_row(
            str(item.id),
            item.occurred_on.isoformat(),
            item.kind.replace("_", " "),
            item.direction,
            item.group or ", ".join(others),
            (item.notes or "").replace("\n", " ")[:80],
        )
    console.print(grid)


@app.command("show")
def show(
    interaction_id: int = typer.Argument(..., help="Interaction id."), as_json: bool = JSON_OPTION
) -> None:
    """Show one interaction in full."""
    with session() as ctx:
        view = interaction_service.views_of(
            ctx, [interaction_service.get_interaction(ctx, interaction_id)]
        )[0]
    if as_json:
        print_json(view)
        return
    console.print(
        f"[bold]{view.kind.replace('_', ' ')}[/bold] on {view.occurred_on} ({view.direction})"
    )
    console.print("With: " + (view.group + ": " if view.group else "") + ", ".join(view.people))
    if view.location:
        console.print(f"Where: {view.location}")
    if view.notes:
        console.print("\n" + view.notes)


@app.command("edit")
def edit_(
    interaction_id: int = typer.Argument(..., help="Interaction id (see `timeline`)."),
    kind: str | None = typer.Option(None, "--kind", "-k", help=f"One of: {KINDS}."),
    on: str | None = typer.Option(None, "--on", help="When it happened."),
    direction: str | None = typer.Option(None, help=f"One of: {DIRECTIONS}."),
    note: str | None = typer.Option(None, "--note", "-n", help="Replace the notes."),
    edit: bool = typer.Option(False, "--edit", help="Edit the notes in $EDITOR."),
    location: str | None = typer.Option(None, help="Where."),
    people: list[str] = typer.Option([], "--person", "-p", help="Replace the people (repeatable)."),
) -> None:
    """Change a logged interaction."""
    with session() as ctx:
        item = interaction_service.get_interaction(ctx, interaction_id)
        changes: dict[str, object] = {}
        if kind:
            changes["kind"] = kind
        if direction:
            changes["direction"] = direction
        if on:
            changes["on"] = parse_day(on, ctx)
        if edit:
            note = _read_note(item.notes if note is None else note, True)
        if note is not None:
            changes["notes"] = note.strip() or None
        if location is not None:
            changes["location"] = location
        who = [find_person(ctx, p) for p in people] if people else None
        if not changes and who is None:
            raise InvalidInput("Nothing to change: pass --kind, --on, --note, --person and so on.")
        interaction_service.edit_interaction(ctx, item, who, **changes)
        say(f"Updated interaction #{interaction_id}.")


@app.command("delete")
def delete(
    interaction_id: int = typer.Argument(..., help="Interaction id."), yes: bool = YES_OPTION
) -> None:
    """Delete a logged interaction."""
    with session() as ctx:
        item = interaction_service.get_interaction(ctx, interaction_id)
        confirm(f"Delete the {item.kind.replace('_', ' ')} of {item.occurred_on}?", yes)
        interaction_service.delete_interaction(ctx, item)
        say(f"Deleted interaction #{interaction_id}.")
