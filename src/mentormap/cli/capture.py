"""`mentormap log` in $EDITOR: a template to fill in after a conversation, parsed back."""

from __future__ import annotations

import sys

import typer

from mentormap.cli.common import edit_text, parse_day, print_json, say, session
from mentormap.domain.capture import AgendaLine, parse_capture, render_template
from mentormap.errors import InvalidInput
from mentormap.models import Interaction, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations import capture as capture_service
from mentormap.services.conversations.agenda_points import open_points_for
from mentormap.services.conversations.interactions import log_interaction, views_of
from mentormap.services.people.resolve import find_group, find_person, is_group_name


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def wants_editor(note: str | None, edit: bool | None) -> bool:
    """The editor opens when asked, or when no note was given and a person is at the keyboard;
    --no-edit (edit=False) logs at once."""
    if edit is not None:
        return edit
    return note is None and stdin_is_terminal()


def their_action(value: str) -> tuple[str, str]:
    """'NAME:TEXT' from --their-action; the name is checked against the participants later."""
    name, sep, text = value.partition(":")
    if not sep or not name.strip() or not text.strip():
        raise InvalidInput(
            f"--their-action takes NAME:TEXT, e.g. 'Sam: ask for the transfer', not {value!r}."
        )
    return name.strip(), text.strip()


def extras_from_options(
    advice: list[str],
    actions: list[str],
    covered: list[str],
    their_actions: list[str] | None = None,
) -> capture_service.Extras:
    from mentormap.domain.capture import split_name

    ids: list[int] = []
    cover_all = False
    for value in covered:
        for part in value.split(","):
            part = part.strip().lstrip("#")
            if part.lower() == "all":
                cover_all = True
            elif part.isdigit():
                ids.append(int(part))
            elif part:
                raise InvalidInput(f"--covered takes agenda point ids or 'all', not {part!r}.")
    return capture_service.Extras(
        advice=[split_name(a) for a in advice],
        actions=list(actions),
        their_actions=[their_action(v) for v in their_actions or []],
        covered=ids,
        cover_all=cover_all,
    )


def _prefill(
    ctx: Ctx, names: list[str], group: str | None
) -> tuple[list[str], str | None, list[AgendaLine]]:
    people: list[Person] = []
    group_name = None
    group_id = None
    if group:
        found = find_group(ctx, group)
        group_name, group_id = found.name, found.id
    for name in names:
        if group_id is None and is_group_name(ctx, name):
            found = find_group(ctx, name)
            group_name, group_id = found.name, found.id
        else:
            people.append(find_person(ctx, name))
    points = open_points_for(ctx, [p.id for p in people], group_id)
    agenda = [AgendaLine(p.id, p.who, p.text) for p in points]
    return [p.name for p in people], group_name, agenda


def log_with_editor(
    names: list[str],
    *,
    kind: str,
    on: str | None,
    location: str | None,
    group: str | None,
    note: str | None,
    direction: str,
    needs_reply: bool,
    extras: capture_service.Extras,
    as_json: bool,
    absent: list[str] | None = None,
    by: str | None = None,
) -> None:
    """Open the template, parse it back and log it all in one transaction, or log nothing."""
    if needs_reply and direction == "mutual":
        direction = "inbound"
    with session() as ctx:
        people, group_name, agenda = _prefill(ctx, names, group)
        day = parse_day(on, ctx) or ctx.today()
        extras.due_by = parse_day(by, ctx)
    template = render_template(
        on=day,
        people=people,
        group=group_name,
        kind=kind,
        location=location,
        notes=note,
        agenda=agenda,
    )
    edited = edit_text(template)
    if edited is None:
        raise InvalidInput("The editor did not finish cleanly; nothing was logged.")
    if edited.strip() == template.strip():
        raise InvalidInput("The template came back unchanged; nothing was logged.")
    captured = parse_capture(edited)
    if captured.is_empty():
        raise InvalidInput("The template came back empty; nothing was logged.")
    with session() as ctx:
        header = capture_service.resolve_header(ctx, captured)
        from mentormap.cli.interactions import absent_members

        interaction = log_interaction(
            ctx,
            header.people,
            kind=captured.kind or kind,
            on=header.on,
            direction=direction,
            notes=captured.notes or None,
            location=captured.location or None,
            group=header.group,
            absent=absent_members(ctx, header.group, absent or []),
            needs_reply=needs_reply,
        )
        both = capture_service.merge(capture_service.extras_of(captured), extras)
        result = capture_service.record_extras(ctx, interaction, _participants(interaction), both)
        view = views_of(ctx, [interaction])[0]
    if as_json:
        print_json(view)  # the same shape as `log --note … --json`
        return
    say(
        summary_line(
            view.kind, view.group or ", ".join(view.people), str(view.occurred_on), view.id
        )
    )
    report_extras(result)


def _participants(interaction: Interaction) -> list[Person]:
    return [p.person for p in interaction.participants]


def summary_line(kind: str, who: str, on: str, interaction_id: int) -> str:
    return f"Logged {kind.replace('_', ' ')} with {who} on {on} (#{interaction_id})."


def report_extras(result: capture_service.ExtrasResult) -> None:
    parts = [
        (result.advice, "advice"),
        (result.favours, "favour(s)"),
        (result.follow_ups, "follow-up(s)"),
        (result.actions, "positive action(s) as follow-ups"),
        (result.their_actions, "of theirs to ask about"),
        (result.covered, "agenda point(s) discussed"),
    ]
    recorded = [f"{count} {label}" for count, label in parts if count]
    if recorded:
        say("Recorded " + ", ".join(recorded) + ".")


ADVICE_OPTION = typer.Option(
    [], "--advice", help="Advice you were given (repeatable; 'Name: advice' when several)."
)
ACTION_OPTION = typer.Option(
    [],
    "--action",
    help=(
        "The positive action you commit to after a vent; becomes a follow-up "
        "('Name: …' keeps it with one of several people)."
    ),
)
THEIR_ACTION_OPTION = typer.Option(
    [],
    "--their-action",
    metavar="NAME:TEXT",
    help="A positive action someone who was there commits to (repeatable); you will ask about it.",
)
BY_OPTION = typer.Option(
    None,
    "--by",
    help="When this log's follow-ups and actions are due (default: a week after its date).",
)
COVERED_OPTION = typer.Option(
    [], "--covered", help="Agenda point ids covered (repeatable or comma-separated), or 'all'."
)
