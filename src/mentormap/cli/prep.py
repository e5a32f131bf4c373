"""`mentormap prep NAME`: a brief for the next conversation with a person or a group."""

from __future__ import annotations

import sys

import typer

from mentormap.cli.common import JSON_OPTION, print_json, session
from mentormap.render.prep_text import render_brief
from mentormap.services.conversations import prep as prep_service
from mentormap.services.conversations.agenda_points import find_target


def prep(
    who: str = typer.Argument(..., help="A person or a group."),
    md: bool = typer.Option(False, "--md", help="Print Markdown (for notes or sharing)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Brief yourself: who she is, what happened, what is open, and what to bring."""
    with session() as ctx:
        target = find_target(ctx, who)
        if target.group is not None:
            brief = prep_service.group_brief(ctx, target.group)
        else:
            assert target.person is not None
            brief = prep_service.person_brief(ctx, target.person)
    if as_json:
        print_json(brief)
        return
    sys.stdout.write(render_brief(brief, markdown=md))
