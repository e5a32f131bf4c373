"""`mentormap demo` and `mentormap where`."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, print_json, say, session, state


def demo(
    size: int = typer.Option(80, "--size", help="How many people (at least 30)."),
    seed: int = typer.Option(7, "--seed", help="Same seed, same network."),
    force: bool = typer.Option(False, "--force", help="Write even if the database has people."),
) -> None:
    """Fill the database with a realistic demo network to explore."""
    from mentormap.services.demo.network import build_demo

    with session() as ctx:
        counts = build_demo(ctx, size=size, seed=seed, force=force)
    say(
        f"Demo network ready: {counts['people']} people, {counts['interactions']} interactions. "
        "Try `mentormap people list`."
    )


def where(as_json: bool = JSON_OPTION) -> None:
    """Show where your data lives."""
    settings = state().settings()
    if as_json:
        print_json({"database": settings.database_url, "timezone": str(settings.timezone)})
        return
    say(f"Database: {settings.database_url}")
    say(f"Time zone: {settings.timezone}")
