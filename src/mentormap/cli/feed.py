"""`mentormap feed …`: the private calendar feed of reminders a phone subscribes to."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, print_json, say, session

app = typer.Typer(
    help="The private calendar feed: catch-ups, follow-ups, replies, visits, birthdays.",
    no_args_is_help=True,
)

BASE_OPTION = typer.Option(
    "http://127.0.0.1:8000",
    "--base",
    help="Where `mentormap serve` is reached from the phone (default: this machine).",
)


@app.command("url")
def url(base: str = BASE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Print the feed's address (made on first use); subscribe to it in the phone's calendar."""
    from mentormap.services.sync.feed import feed_secret

    with session() as ctx:
        secret = feed_secret(ctx)
    address = f"{base.rstrip('/')}/feed/{secret}.ics"
    if as_json:
        print_json({"url": address})
        return
    say(address)


@app.command("rotate")
def rotate(base: str = BASE_OPTION) -> None:
    """Replace the feed's secret: the old address stops working (404)."""
    from mentormap.services.sync.feed import rotate_secret

    with session() as ctx:
        secret = rotate_secret(ctx)
    say(f"New feed address: {base.rstrip('/')}/feed/{secret}.ics (the old one now answers 404).")
