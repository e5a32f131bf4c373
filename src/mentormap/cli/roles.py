"""`mentormap role …`: give and take roles."""

from __future__ import annotations

import typer

from mentormap.cli.common import PERSON, parse_cadence, parse_day, say, session
from mentormap.domain.roles import RoleKey
from mentormap.services.people.resolve import find_person
from mentormap.services.people.roles import give_role, take_role

app = typer.Typer(help="Give someone a role, or end one.", no_args_is_help=True)
ROLE_HELP = "One of: " + ", ".join(k.value for k in RoleKey) + "."


@app.command("add")
def add(
    who: str = PERSON,
    role: str = typer.Argument(..., help=ROLE_HELP),
    cadence: str | None = typer.Option(None, help="Cadence for this role, e.g. 60d or 2w."),
    note: str | None = typer.Option(None, help="e.g. a champion's axis: 'CFPs'."),
    since: str | None = typer.Option(
        None,
        help="Since when (YYYY-MM-DD); default: her first logged interaction, else today.",
    ),
) -> None:
    """Give someone a role (or change its cadence or note)."""
    with session() as ctx:
        person = find_person(ctx, who)
        held = give_role(
            ctx,
            person,
            role,
            since=parse_day(since, ctx),
            cadence_days=parse_cadence(cadence),
            note=note,
        )
        extra = f", every {held.cadence_days} days" if held.cadence_days else ""
        say(f"{person.name} is your {held.key.replace('_', ' ')} since {held.since}{extra}.")


@app.command("remove")
def remove(
    who: str = PERSON,
    role: str = typer.Argument(..., help=ROLE_HELP),
) -> None:
    """End a role today; the history stays."""
    with session() as ctx:
        person = find_person(ctx, who)
        ended = take_role(ctx, person, role)
        say(f"{person.name} is no longer your {ended.key.replace('_', ' ')}.")
