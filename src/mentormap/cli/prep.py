"""`mentormap prep NAME`: a brief for the next conversation with a person or a group."""

from __future__ import annotations

import sys

import typer

from mentormap.cli.common import JSON_OPTION, print_json, session
from mentormap.services import prep as prep_service
from mentormap.services.prep_text import render_brief
from mentormap.services.resolve import find_group, find_person, is_group_name


def prep(
    who: str = typer.Argument(..., help="A person or a group."),
    md: bool = typer.Option(False, "--md", help="Print Markdown (for notes or sharing)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Brief yourself: who she is, what happened, what is open, and what to bring."""
    with session() as ctx:
        if is_group_name(ctx, who):
            brief = prep_service.group_brief(ctx, find_group(ctx, who))
        else:
            brief = prep_service.person_brief(ctx, find_person(ctx, who))
    if as_json:
        print_json(brief)
        return
    sys.stdout.write(render_brief(brief, markdown=md))
