"""`mentormap mentee …`, `office-hours …` and `story …`: the user's side as a mentor."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    PERSON,
    console,
    escape,
    fmt_date,
    parse_day,
    print_json,
    say,
    session,
)

mentee_app = typer.Typer(
    help="Your side as a mentor: a mentee's goals and achievements, and what you passed on.",
    no_args_is_help=True,
)
office_hours_app = typer.Typer(
    help="Your weekly office hours for mentees: add, list, print, remove.", no_args_is_help=True
)
story_app = typer.Typer(
    help="Your private list of failure stories worth sharing with a mentee.", no_args_is_help=True
)


@mentee_app.command("show")
def show(name: str = PERSON, as_json: bool = JSON_OPTION) -> None:
    """Her goals, achievements to praise and showcase, what you passed on, your office hours."""
    from mentormap.services.people.resolve import find_person
    from mentormap.services.practice.mentoring import mentee_view

    with session() as ctx:
        view = mentee_view(ctx, find_person(ctx, name))
    if as_json:
        print_json(view)
        return
    console.print(f"[bold]{escape(view.name)}[/bold]")
    if not view.is_mentee:
        say("Not your mentee (yet): `mentormap role add NAME mentee`.")
    sections = (("Goals", view.goals), ("Achievements to praise and showcase", view.achievements))
    for title, notes in sections:
        console.print(f"\n[bold]{title}[/bold]")
        for note in notes:
            console.print(f"  #{note.id} {fmt_date(note.noted_on)} {escape(note.text)}")
        if not notes:
            say("  None noted.")
    console.print("\n[bold]Opportunities you passed on[/bold]")
    for passed in view.passed_on:
        extra = f" — {escape(passed.note)}" if passed.note else ""
        console.print(
            f"  #{passed.opportunity_id} {escape(passed.title)} ({passed.status}), "
            f"passed {fmt_date(passed.passed_on)}{extra}"
        )
    if not view.passed_on:
        say("  None yet: sponsor when you can (`opportunity pass ID --to NAME`).")
    if view.office_hours:
        hours = "; ".join(h.label for h in view.office_hours)
        console.print(f"\nYour office hours: {escape(hours)}")


def _note(kind: str, name: str, text: str, on: str | None) -> None:
    from mentormap.services.people.resolve import find_person
    from mentormap.services.practice.mentoring import add_mentee_note

    with session() as ctx:
        person = find_person(ctx, name)
        note = add_mentee_note(ctx, person, kind, text, parse_day(on, ctx))
        say(f"Noted {kind} #{note.id} for {escape(person.name)}: {escape(note.text)}")


@mentee_app.command("goal")
def goal(
    name: str = PERSON,
    text: str = typer.Argument(..., help="Her goal, e.g. 'speak at a conference this year'."),
    on: str | None = typer.Option(None, "--on", help="When she told you (default today)."),
) -> None:
    """Note a mentee's goal, so you can point her at what serves it."""
    _note("goal", name, text, on)


@mentee_app.command("achievement")
def achievement(
    name: str = PERSON,
    text: str = typer.Argument(..., help="What she achieved."),
    on: str | None = typer.Option(None, "--on", help="When (default today)."),
) -> None:
    """Note a mentee's achievement, to praise it and showcase her work to others."""
    _note("achievement", name, text, on)


@mentee_app.command("edit")
def edit(
    note_id: int = typer.Argument(..., help="Goal or achievement id (see `mentee show`)."),
    text: str | None = typer.Option(None, "--text", help="New wording."),
    on: str | None = typer.Option(None, "--on", help="New date."),
) -> None:
    """Change a mentee's goal or achievement."""
    from mentormap.services.practice.mentoring import edit_mentee_note, get_mentee_note

    with session() as ctx:
        note = get_mentee_note(ctx, note_id)
        edit_mentee_note(ctx, note, text=text, on=parse_day(on, ctx))
        say(f"{note.kind.capitalize()} #{note.id}: {escape(note.text)}")


@mentee_app.command("remove")
def remove(note_id: int = typer.Argument(..., help="Goal or achievement id.")) -> None:
    """Remove a mentee's goal or achievement."""
    from mentormap.services.practice.mentoring import get_mentee_note, remove_mentee_note

    with session() as ctx:
        remove_mentee_note(ctx, get_mentee_note(ctx, note_id))
    say(f"Removed #{note_id}.")


# --- office hours ------------------------------------------------------------------------------


@office_hours_app.command("add")
def hours_add(
    day: str = typer.Argument(..., help="Day of the week: mon, tue, … or Monday."),
    span: str = typer.Argument(..., help="Hours in your time zone: HH:MM-HH:MM."),
    note: str | None = typer.Option(None, "--note", help="E.g. 'video call, 20 minutes each'."),
) -> None:
    """Add a weekly slot you keep for mentees."""
    from mentormap.services.practice.mentoring import add_office_hour, hour_view

    with session() as ctx:
        hour = hour_view(add_office_hour(ctx, day, span, note))
    say(f"Office hours #{hour.id}: {hour.label}.")


@office_hours_app.command("list")
def hours_list(
    as_json: bool = JSON_OPTION,
    printable: bool = typer.Option(
        False, "--print", help="Plain text to print or paste into a message to mentees."
    ),
) -> None:
    """Your weekly office hours, Monday first."""
    from mentormap.services.practice.mentoring import list_office_hours, office_hours_text

    with session() as ctx:
        hours = list_office_hours(ctx)
        text = office_hours_text(ctx)
    if as_json:
        print_json(hours)
        return
    if printable:
        import sys

        sys.stdout.write(text + "\n")
        return
    if not hours:
        say("No office hours yet: `mentormap office-hours add tue 16:00-17:00`.")
        return
    for hour in hours:
        extra = f" — {escape(hour.note)}" if hour.note else ""
        console.print(f"  #{hour.id} {hour.label}{extra}")


@office_hours_app.command("edit")
def hours_edit(
    hour_id: int = typer.Argument(..., help="Office hours id (see `office-hours list`)."),
    day: str | None = typer.Option(None, "--day", help="A new day of the week."),
    span: str | None = typer.Option(None, "--hours", help="New hours: HH:MM-HH:MM."),
    note: str | None = typer.Option(None, "--note", help="A new note (empty to clear)."),
) -> None:
    """Move or change a weekly slot."""
    from mentormap.services.practice.mentoring import (
        edit_office_hour,
        get_office_hour,
        hour_view,
    )

    with session() as ctx:
        hour = edit_office_hour(ctx, get_office_hour(ctx, hour_id), day=day, span=span, note=note)
        label = hour_view(hour).label
    say(f"Office hours #{hour_id}: {label}.")


@office_hours_app.command("remove")
def hours_remove(hour_id: int = typer.Argument(..., help="Office hours id.")) -> None:
    """Remove a weekly slot."""
    from mentormap.services.practice.mentoring import get_office_hour, remove_office_hour

    with session() as ctx:
        label = remove_office_hour(ctx, get_office_hour(ctx, hour_id))
    say(f"Removed office hours #{hour_id} ({label}).")


# --- failure stories -----------------------------------------------------------------------------


@story_app.command("add")
def story_add(
    text: str = typer.Argument(..., help="What went wrong, briefly."),
    lesson: str | None = typer.Option(None, "--lesson", help="What you learnt from it."),
) -> None:
    """Keep a failure story to tell a mentee (prep suggests them: be open about failure)."""
    from mentormap.services.practice.mentoring import add_story

    with session() as ctx:
        story = add_story(ctx, text, lesson)
    say(f"Story #{story.id} kept.")


@story_app.command("list")
def story_list(as_json: bool = JSON_OPTION) -> None:
    """Your failure stories, newest first. Private: never exported to anyone."""
    from mentormap.services.practice.mentoring import list_stories

    with session() as ctx:
        stories = list_stories(ctx)
    if as_json:
        print_json(stories)
        return
    if not stories:
        say("No stories yet: `mentormap story add TEXT --lesson TEXT`.")
        return
    for story in stories:
        console.print(f"  #{story.id} {escape(story.text)}")
        if story.lesson:
            console.print(f"     Lesson: {escape(story.lesson)}")


@story_app.command("edit")
def story_edit(
    story_id: int = typer.Argument(..., help="Story id."),
    text: str | None = typer.Option(None, "--text", help="New wording."),
    lesson: str | None = typer.Option(None, "--lesson", help="A new lesson (empty to clear)."),
) -> None:
    """Change a failure story."""
    from mentormap.services.practice.mentoring import edit_story, get_story

    with session() as ctx:
        edit_story(ctx, get_story(ctx, story_id), text=text, lesson=lesson)
    say(f"Story #{story_id} changed.")


@story_app.command("remove")
def story_remove(story_id: int = typer.Argument(..., help="Story id.")) -> None:
    """Remove a failure story."""
    from mentormap.services.practice.mentoring import get_story, remove_story

    with session() as ctx:
        remove_story(ctx, get_story(ctx, story_id))
    say(f"Removed story #{story_id}.")
