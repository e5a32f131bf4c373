"""`mentormap prospect …`: sponsors and mentors are found and cultivated, not signed up for."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, PERSON, console, escape, print_json, say, session
from mentormap.domain.practice import ProspectAs, ProspectStage

app = typer.Typer(
    help="Prospects: people you cultivate towards a role, stage by stage, with the next step.",
    no_args_is_help=True,
)
KINDS = "|".join(k.value for k in ProspectAs)
STAGES = " → ".join(s.value for s in ProspectStage)


@app.command("add")
def add(
    name: str = typer.Argument(..., help="Someone in your network, or a new name (added)."),
    as_: str = typer.Option(..., "--as", help=f"What she could become: {KINDS}."),
    why: str | None = typer.Option(None, "--why", help="Why her: what you noticed."),
    stage: str | None = typer.Option(None, "--stage", help=f"Start later than noticed: {STAGES}."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a prospect; a mentor prospect is given the role-model role when the time comes."""
    from mentormap.services.practice.prospects import add_prospect

    with session() as ctx:
        added = add_prospect(ctx, name, as_, why=why, stage=stage)
    if as_json:
        print_json(added.view)
        return
    new = " (new to your network)" if added.created_person else ""
    view = added.view
    say(f"{escape(view.name)}{new}: prospect #{view.id}, {view.stage_label.lower()}.")
    say(f"Next: {escape(view.next_step)}")


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """Your prospects, furthest along first, each with the next step."""
    from mentormap.services.practice.prospects import list_prospects

    with session() as ctx:
        views = list_prospects(ctx)
    if as_json:
        print_json(views)
        return
    if not views:
        say("No prospects yet: `mentormap prospect add NAME --as sponsor --why …`.")
        return
    stage = None
    for view in views:
        if view.stage != stage:
            stage = view.stage
            console.print(f"\n[bold]{view.stage_label}[/bold]")
        why = f" — {escape(view.why)}" if view.why else ""
        console.print(f"  {escape(view.name)} ({view.as_role.replace('_', ' ')}){why}")
        console.print(f"    Next: {escape(view.next_step)}")


@app.command("move")
def move(
    name: str = PERSON,
    stage: str = typer.Argument(..., help=f"The stage she has reached: {STAGES}."),
) -> None:
    """Move a prospect to a stage; role_given gives her the role, clocked from first contact."""
    from mentormap.services.practice.prospects import find_prospect, move_prospect

    with session() as ctx:
        moved = move_prospect(ctx, find_prospect(ctx, name), stage)
        role = moved.role
        given = (
            f" She is now your {role.key.replace('_', ' ')}, since {role.since.isoformat()}."
            if role is not None
            else ""
        )
    view = moved.view
    say(f"{escape(view.name)}: {view.stage_label.lower()}.{given}")
    say(f"Next: {escape(view.next_step)}")


@app.command("edit")
def edit(
    name: str = PERSON,
    as_: str | None = typer.Option(None, "--as", help=f"What she could become: {KINDS}."),
    why: str | None = typer.Option(None, "--why", help="Why her (empty to clear)."),
) -> None:
    """Change what a prospect could become, or why you noticed her."""
    from mentormap.services.practice.prospects import edit_prospect, find_prospect

    with session() as ctx:
        view = edit_prospect(ctx, find_prospect(ctx, name), as_=as_, why=why)
    say(f"{escape(view.name)}: prospect as {view.as_role.replace('_', ' ')}.")


@app.command("drop")
def drop(name: str = PERSON) -> None:
    """Stop cultivating a prospect (she stays in your network, with any role she holds)."""
    from mentormap.services.practice.prospects import drop_prospect, find_prospect

    with session() as ctx:
        gone = drop_prospect(ctx, find_prospect(ctx, name))
    say(f"{escape(gone)} is no longer a prospect.")
