"""`mentormap search` (full text over everything) and `mentormap who` (who can help with X)."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, complete_person, escape, parse_day, print_json, say
from mentormap.cli.common import session as open_session

TYPES_HELP = "person, interaction, advice, achievement, agenda, favour, goal, opportunity"


def _marked(snippet: str) -> str:
    """A snippet for the terminal: its text escaped for Rich, the matched words in bold."""
    from mentormap.services.search.query import MARK_END, MARK_START

    return escape(snippet).replace(MARK_START, "[bold yellow]").replace(MARK_END, "[/bold yellow]")


def search(
    query: list[str] = typer.Argument(
        None,
        help='Words (all must match), "quoted phrases" and prefixes (two letters or more): kube*.',
        show_default=False,
    ),
    role: str | None = typer.Option(None, "--role", "-r", help="Only hits of people in a role."),
    city: str | None = typer.Option(None, "--city", help="Only hits of people in a city."),
    since: str | None = typer.Option(
        None, "--since", help="Only hits dated on or after a day (a person: her last contact)."
    ),
    kind: list[str] = typer.Option(
        [], "--type", "-t", help=f"Only these types (repeatable or comma-separated): {TYPES_HELP}."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=200, help="How many hits."),
    reindex: bool = typer.Option(
        False, "--reindex", help="Rebuild the search index from your data, then search (if asked)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Search people, conversations, advice, achievements, agenda points, favours and goals."""
    from mentormap.errors import InvalidInput
    from mentormap.services.search.query import SearchFilter, parse_types
    from mentormap.services.search.query import search as run_search

    words = " ".join(query or []).strip()
    # Search writes no clock, so its unit of work need not settle any (nor load the models).
    with open_session(settle=False) as ctx:
        if reindex:
            from time import perf_counter

            from mentormap.services.search.index import rebuild

            started = perf_counter()
            entries = rebuild(ctx)
            from mentormap.services.search import semantic

            model = semantic.active(ctx)
            meant = f", {semantic.rebuild(ctx, model):,} embedded" if model else ""
            if not as_json or not words:
                say(
                    f"Search index rebuilt: {entries:,} entries{meant} "
                    f"in {perf_counter() - started:.1f} s."
                )
            if not words:
                return
        if not words:
            raise InvalidInput('Say what to search for, e.g. `mentormap search "platform team"`.')
        found = run_search(
            ctx,
            words,
            SearchFilter(
                role=role,
                city=city,
                since=parse_day(since, ctx),
                types=parse_types(kind),
                limit=limit,
            ),
        )
    if as_json:
        print_json([hit.as_json() for hit in found.hits])
        return
    if not found.hits:
        say(f"Nothing found for {escape(words)!s}.")
        return
    from mentormap.domain.clock import day_words

    for kind_name, hits in found.by_type():
        say(f"[bold]{kind_name}[/bold]")
        for hit in hits:
            when = f"{day_words(hit.on)} · " if hit.on and hit.type != "person" else ""
            who = f"{escape(hit.person)} · " if hit.person and hit.type != "person" else ""
            head = escape(hit.title) if hit.type in ("person", "goal", "achievement") else ""
            lead = f"{when}{who}{head}".rstrip(" ·")
            say(f"  #{hit.id} {lead}")
            if hit.snippet:
                say(f"      {_marked(hit.snippet)}")


def who(
    topic: list[str] = typer.Argument(
        None,
        help='What you need help with, e.g. kubernetes or "public speaking".',
        show_default=False,
    ),
    for_person: str | None = typer.Option(
        None,
        "--for",
        help="Introductions instead: who shares this person's interests.",
        autocompletion=complete_person,
    ),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=100, help="How many people."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Who can help me with X: people ranked by expertise, tags, work and past conversations."""
    from mentormap.errors import InvalidInput
    from mentormap.services.people.resolve import find_person
    from mentormap.services.search.who import introductions
    from mentormap.services.search.who import who as run_who

    words = " ".join(topic or []).strip()
    with open_session() as ctx:
        if for_person:
            found = introductions(ctx, find_person(ctx, for_person), limit=limit)
        elif words:
            found = run_who(ctx, words, limit=limit)
        else:
            raise InvalidInput("Say what you need help with, e.g. `mentormap who kubernetes`.")
    if as_json:
        print_json(found.as_json())
        return
    if not found.helpers:
        say(f"No one in your network shows {escape(found.topic)} yet.")
        return
    heading = (
        f"Introductions for {escape(found.for_person)}" if found.for_person else escape(found.topic)
    )
    say(f"[bold]{heading}[/bold]")
    for n, helper in enumerate(found.helpers, 1):
        roles = ", ".join(helper.roles) or "contact"
        warmth = f" · {helper.warmth}" if helper.warmth else ""
        say(f"{n:2d}. [bold]{escape(helper.name)}[/bold] ({roles}{warmth}) · {helper.score:g}")
        for line in helper.snippets:
            say(f"      {_marked(line)}")
        say(f"      ask: {escape(helper.ask)}")
