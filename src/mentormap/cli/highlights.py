"""`mentormap highlights NAME`: draft a highlights email; --mark-sent records it."""

from __future__ import annotations

import sys

import typer

from mentormap.cli.common import JSON_OPTION, parse_day, print_json, say, session
from mentormap.services.conversations import highlights as highlights_service
from mentormap.services.people.resolve import find_person


def highlights(
    who: str = typer.Argument(..., help="Who the email is for."),
    md: bool = typer.Option(False, "--md", help="Print Markdown instead of plain text."),
    since: str | None = typer.Option(
        None, help="Cover achievements since this date (default: since you last spoke or wrote)."
    ),
    limit: int = typer.Option(
        highlights_service.MAX_ITEMS, help="At most this many highlights (the newest)."
    ),
    mark_sent: bool = typer.Option(
        False, "--mark-sent", help="Log the email as sent and record what it shared."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Draft a short highlights email of achievements she has not heard about yet."""
    with session() as ctx:
        person = find_person(ctx, who)
        draft, ids = highlights_service.draft_highlights(
            ctx, person, since=parse_day(since, ctx), limit=limit
        )
        if mark_sent:
            highlights_service.mark_sent(ctx, person, draft, ids)
    if as_json:
        print_json(draft)
        return
    sys.stdout.write(draft.markdown if md else draft.text)
    if mark_sent:
        say(
            f"Logged as sent (#{draft.sent_interaction_id}); "
            f"{len(ids)} achievement(s) marked shared with {draft.person}."
        )
