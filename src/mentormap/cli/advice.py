"""`mentormap advice …`: record advice, then review whether it was followed and helped."""

from __future__ import annotations

import typer

from mentormap.cli.capture import stdin_is_terminal
from mentormap.cli.common import (
    JSON_OPTION,
    console,
    escape,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.errors import InvalidInput
from mentormap.services.conversations import advice as advice_service
from mentormap.services.people.resolve import find_person

app = typer.Typer(help="Advice you were given, and how it worked out.", no_args_is_help=True)


@app.command("add")
def add(
    who: str = typer.Argument(..., help="Who gave it."),
    text: str = typer.Argument(..., help="The advice, in a sentence."),
    on: str | None = typer.Option(None, "--on", help="When: YYYY-MM-DD, yesterday, -3d."),
) -> None:
    """Record a piece of advice."""
    with session() as ctx:
        person = find_person(ctx, who)
        item = advice_service.add_advice(ctx, person, text, on=parse_day(on, ctx))
        say(f"Recorded advice #{item.id} from {person.name}.")


def _yes_no(value: str | None, what: str) -> bool | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned in ("y", "yes", "true", "1"):
        return True
    if cleaned in ("n", "no", "false", "0"):
        return False
    raise InvalidInput(f"--{what} takes yes or no, not {value!r}.")


def _scoreboard(scores: list[advice_service.AdviserScore]) -> None:
    if not scores:
        return
    grid = table("From", "Given", "Reviewed", "You followed", "Worked for you", "Share")
    for s in scores:
        rate = f"{s.hit_rate:.0%}" if s.hit_rate is not None else "—"
        grid.add_row(s.person, str(s.given), str(s.reviewed), str(s.followed), str(s.helped), rate)
    console.print(grid)
    say("How well each one's advice fitted your situation so far; no verdict on the adviser.")


def _ask(item: advice_service.AdviceView) -> tuple[bool, bool | None] | None:
    """On a terminal: ask about one piece of advice; None skips it."""
    say(f"\n#{item.id} {item.person}, {item.given_on}: {item.text}")
    answer = typer.prompt("Did you follow it? [y/n/s=skip]", default="s").strip().lower()
    if answer.startswith("s"):
        return None
    followed = answer.startswith("y")
    if not followed:
        return False, None
    helped = typer.confirm("Did it help?", default=True)
    return True, helped


@app.command("review")
def review(
    advice_id: int | None = typer.Argument(None, help="Review this one (else: all pending)."),
    followed: str | None = typer.Option(None, help="Did you follow it? yes or no."),
    helped: str | None = typer.Option(None, help="Did it help? yes or no."),
    note: str | None = typer.Option(None, help="What happened, in a sentence."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Say whether advice was followed and helped; see what worked for you, and from whom.

    With an id and --followed, records the verdict. Without, lists advice waiting for a
    verdict (asking about each one on a terminal) and the adviser scoreboard.
    """
    with session() as ctx:
        if advice_id is not None:
            verdict = _yes_no(followed, "followed")
            if verdict is None:
                raise InvalidInput("Say whether you followed it: --followed yes or --followed no.")
            item = advice_service.review_advice(
                ctx, advice_id, followed=verdict, helped=_yes_no(helped, "helped"), note=note
            )
            say(f"Reviewed #{item.id}: " + _verdict(item))
            if item.followed and item.helped:
                say(f"Next: tell {item.person.split()[0]} it helped (a follow-up is open).")
            return
        pending = advice_service.list_advice(ctx, pending_only=True)
        if not as_json and pending and stdin_is_terminal():
            for item in pending:
                answer = _ask(item)
                if answer is not None:
                    advice_service.review_advice(ctx, item.id, followed=answer[0], helped=answer[1])
            pending = advice_service.list_advice(ctx, pending_only=True)
        scores = advice_service.adviser_scores(ctx)
    if as_json:
        print_json({"pending": pending, "advisers": scores})
        return
    if pending:
        grid = table("#", "From", "Given", "Advice")
        for item in pending:
            grid.add_row(str(item.id), item.person, item.given_on.isoformat(), item.text)
        say("Waiting for a verdict (`mentormap advice review ID --followed yes --helped no`):")
        console.print(grid)
    else:
        say("No advice waiting for a verdict.")
    if scores:
        say("\nWhat worked for you, by whom it came from:")
        _scoreboard(scores)


@app.command("remove")
def remove(
    advice_id: int = typer.Argument(
        ..., help="Advice id (see `advice review`, or `search --type advice WORDS`)."
    ),
) -> None:
    """Forget advice recorded by mistake (the conversation it came up in stays)."""
    with session() as ctx:
        item = advice_service.remove_advice(ctx, advice_service.get_advice(ctx, advice_id))
    say(f"Removed advice #{item.id} from {escape(item.person)}: {escape(item.text)}")


def _verdict(item: advice_service.AdviceView) -> str:
    if not item.followed:
        return "not followed."
    return "followed, and it helped." if item.helped else "followed; it did not help."
