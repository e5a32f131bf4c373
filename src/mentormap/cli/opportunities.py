"""`mentormap opportunity …`: CFPs, conferences, programs, projects and roles, and who brought
each; accepting one opens a thank-you to her; passing one on sponsors a mentee."""

from __future__ import annotations

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    escape,
    fmt_date,
    parse_day,
    plain_table,
    print_json,
    say,
    session,
)
from mentormap.domain.practice import OpportunityKind, OpportunityStatus

app = typer.Typer(
    help="Opportunities (CFPs, conferences, programs, projects, roles) and who brought them.",
    no_args_is_help=True,
)
KINDS = "|".join(k.value for k in OpportunityKind)
STATUSES = "|".join(s.value for s in OpportunityStatus)


@app.command("add")
def add(
    title: str = typer.Argument(..., help="What it is, e.g. 'Platform Days CFP'."),
    from_: str | None = typer.Option(None, "--from", help="Who brought it to you."),
    deadline: str | None = typer.Option(None, "--deadline", help="Deadline: YYYY-MM-DD, +2w."),
    kind: str = typer.Option("cfp", "--kind", "-k", help=f"One of: {KINDS}."),
    status: str = typer.Option("considering", "--status", help=f"One of: {STATUSES}."),
    url: str | None = typer.Option(None, "--url", help="Its web page (http or https)."),
    note: str | None = typer.Option(None, "--note", help="Anything worth keeping."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record an opportunity; its deadline shows in `today` from two weeks ahead."""
    from mentormap.services.people.resolve import find_person
    from mentormap.services.practice.opportunities import add_opportunity, view_of

    with session() as ctx:
        person = find_person(ctx, from_) if from_ else None
        added = add_opportunity(
            ctx,
            title,
            kind=kind,
            brought_by=person,
            deadline=parse_day(deadline, ctx),
            status=status,
            url=url,
            note=note,
        )
        view = view_of(ctx, added)
    if as_json:
        print_json(view)
        return
    by = f" from {escape(view.from_name)}" if view.from_name else ""
    due = f", deadline {view.deadline.isoformat()}" if view.deadline else ""
    say(f"Opportunity #{view.id}: {escape(view.title)} ({view.kind}){by}{due}.")


@app.command("list")
def list_(
    status: str | None = typer.Option(None, "--status", help=f"Only these: {STATUSES}."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Open ones first by deadline, then what came of the others."""
    from mentormap.services.practice.opportunities import list_opportunities

    with session() as ctx:
        views = list_opportunities(ctx, status=status)
    if as_json:
        print_json(views)
        return
    if not views:
        say("No opportunities yet: `mentormap opportunity add TITLE --from NAME --deadline …`.")
        return
    rows = [
        [
            str(v.id),
            v.title,
            v.kind,
            v.from_name or "—",
            fmt_date(v.deadline),
            v.status,
            ", ".join(v.passed_to) or "—",
        ]
        for v in views
    ]
    plain_table(["#", "Title", "Kind", "From", "Deadline", "Status", "Passed to"], rows)


@app.command("update")
def update(
    opportunity_id: int = typer.Argument(..., help="Opportunity id (see `opportunity list`)."),
    status: str | None = typer.Option(None, "--status", help=f"One of: {STATUSES}."),
    title: str | None = typer.Option(None, "--title", help="A new title."),
    deadline: str | None = typer.Option(None, "--deadline", help="A new deadline."),
    no_deadline: bool = typer.Option(False, "--no-deadline", help="Clear the deadline."),
    kind: str | None = typer.Option(None, "--kind", "-k", help=f"One of: {KINDS}."),
    from_: str | None = typer.Option(None, "--from", help="Who brought it."),
    note: str | None = typer.Option(None, "--note", help="A new note (empty to clear)."),
) -> None:
    """Change an opportunity; `--status accepted` opens a thank-you to whoever brought it."""
    from mentormap.services.people.resolve import find_person
    from mentormap.services.practice.opportunities import (
        UNSET,
        get_opportunity,
        update_opportunity,
    )

    with session() as ctx:
        when: object = UNSET
        if no_deadline:
            when = None
        elif deadline:
            when = parse_day(deadline, ctx)
        updated = update_opportunity(
            ctx,
            get_opportunity(ctx, opportunity_id),
            status=status,
            title=title,
            kind=kind,
            deadline=when,
            brought_by=find_person(ctx, from_) if from_ else UNSET,
            note=note,
        )
        thanks = updated.thank_you
    view = updated.view
    say(f"Opportunity #{view.id}: {escape(view.title)}, {view.status}.")
    if thanks is not None:
        say(f"Follow-up #{thanks.id}: {escape(thanks.title)}, due {thanks.due_on}.")
    elif updated.thanks_already_open:
        say(f"A thank-you to {escape(view.from_name or '')} is already open.")


@app.command("remove")
def remove(opportunity_id: int = typer.Argument(..., help="Opportunity id.")) -> None:
    """Forget an opportunity (and to whom you passed it on)."""
    from mentormap.services.practice.opportunities import get_opportunity, remove_opportunity

    with session() as ctx:
        title = remove_opportunity(ctx, get_opportunity(ctx, opportunity_id))
    say(f"Removed opportunity #{opportunity_id}: {escape(title)}.")


@app.command("pass")
def pass_(
    opportunity_id: int = typer.Argument(..., help="Opportunity id."),
    to: str = typer.Option(..., "--to", help="The mentee you point at it."),
    note: str | None = typer.Option(None, "--note", help="What you told her."),
    undo: bool = typer.Option(False, "--undo", help="Take back a pass recorded by mistake."),
) -> None:
    """Point a mentee at an opportunity (sponsor when you can); shown in `mentee show`."""
    from mentormap.services.people.resolve import find_person
    from mentormap.services.practice.opportunities import get_opportunity, pass_on, unpass

    with session() as ctx:
        opportunity = get_opportunity(ctx, opportunity_id)
        mentee = find_person(ctx, to)
        if undo:
            unpass(ctx, opportunity, mentee)
            say(f"No longer passed on to {escape(mentee.name)}: {escape(opportunity.title)}.")
            return
        pass_on(ctx, opportunity, mentee, note)
        say(f"Passed on to {escape(mentee.name)}: {escape(opportunity.title)}.")
