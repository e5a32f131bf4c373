"""`mentormap semantic`: search and `who` by meaning too, with a model2vec model from a folder."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, escape, print_json, say
from mentormap.cli.common import session as open_session

app = typer.Typer(
    help="Search by meaning too: a model2vec model from a local folder.",
    no_args_is_help=True,
)


@app.command("install")
def install(
    path: str = typer.Argument(
        ...,
        help="The folder of a model2vec model (from save_pretrained); nothing is downloaded.",
        show_default=False,
    ),
) -> None:
    """Check the model in PATH, remember it and embed every searchable entry."""
    from time import perf_counter

    from mentormap.services.search.semantic import install as run_install

    started = perf_counter()
    with open_session() as ctx:
        model, embedded = run_install(ctx, path)
    say(
        f"Meaning search on with the model in {escape(model.path)}: {embedded:,} entries "
        f"embedded in {perf_counter() - started:.1f} s."
    )


@app.command("status")
def status(as_json: bool = JSON_OPTION) -> None:
    """Which model search ranks by meaning with, and how many entries are embedded."""
    from mentormap.services.search.semantic import status as run_status

    with open_session() as ctx:
        found = run_status(ctx)
    if as_json:
        print_json(found.as_json())
        return
    if found.model is None:
        say("Meaning search is off; `mentormap semantic install PATH` turns it on.")
        return
    rest = " (the rest at the next search)" if found.embedded < found.entries else ""
    say(
        f"Meaning search uses the model in {escape(found.model)}: {found.embedded:,} of "
        f"{found.entries:,} entries embedded{rest}."
    )


@app.command("remove")
def remove() -> None:
    """Turn meaning search off and forget the embeddings (the model folder is left alone)."""
    from mentormap.services.search.semantic import remove as run_remove

    with open_session() as ctx:
        was_on = run_remove(ctx)
    say("Meaning search is off." if was_on else "Meaning search was not on.")
