"""`mentormap today`, `snooze`, `reconnect` and `reply-window`: the daily keep-in-touch screen."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import typer

from mentormap.cli.common import JSON_OPTION, console, escape, parse_day, print_json, say, session
from mentormap.errors import InvalidInput

if TYPE_CHECKING:
    from mentormap.services.travel.trips import Away

WARMTH_STYLE = {"warm": "green", "cooling": "yellow", "cold": "cyan", "dormant": "magenta"}


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} ago"
    return f"in {-days} day{'s' if days != -1 else ''}"


def _roles(keys: list[str]) -> str:
    return ", ".join(k.replace("_", " ") for k in keys) or "no role"


def _print_away(away: Away) -> None:
    """On a trip: who to see while there leads the day."""
    trip = away.trip
    console.print(
        f"\n[bold]You are in {escape(trip.city)}[/bold] until {trip.end_on:%a %d %b}: "
        "who to see there"
    )
    if not away.people:
        console.print("  Nobody you know lives nearby; a meetup is a way to meet new people.")
    for entry in away.people:
        band = f", {entry.warmth}" if entry.warmth else ""
        console.print(
            f"  {escape(entry.name)} ({_roles(entry.roles)}{band}, {entry.distance_km:g} km): "
            f"propose {escape(entry.propose)}"
        )
    console.print(f"  [dim]`mentormap trip plan '#{trip.id}'` lists everyone nearby.[/dim]")


def today(
    show_all: bool = typer.Option(False, "--all", help="Show everything due, not a short list."),
    limit: int = typer.Option(
        8, "--limit", min=1, help="How many due people the short list shows."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """What to do today: replies owed, follow-ups, people due by warmth, visitors."""
    from mentormap.services.clock.today import compute_today

    with session() as ctx:
        agenda = compute_today(ctx, everything=show_all, limit=limit)
    if as_json:
        print_json(agenda)
        return
    console.print(f"[bold]Today, {agenda.today:%A %d %B %Y}[/bold]")
    quiet = True
    if agenda.away is not None:
        quiet = False
        _print_away(agenda.away)
    if agenda.owed_replies:
        quiet = False
        console.print(f"\n[bold]Replies you owe[/bold] ({len(agenda.owed_replies)})")
        for owed in agenda.owed_replies:
            late = "overdue" if owed.days_overdue > 0 else "reply by"
            console.print(
                f"  {escape(owed.name)} ({_roles(owed.roles)}): {owed.kind} of "
                f"{owed.received_on}, {late} {owed.due_on} ({_ago(owed.days_overdue)}) "
                f"[dim]#{owed.interaction_id}[/dim]"
            )
            if owed.excerpt:
                console.print(f"    [dim]{escape(owed.excerpt)}[/dim]")
            if owed.question:
                console.print(f"    Asked: {escape(owed.question)}")
    if agenda.follow_ups:
        quiet = False
        console.print(f"\n[bold]Follow-ups[/bold] ({len(agenda.follow_ups)})")
        for item in agenda.follow_ups:
            when = "no date"
            if item.due_on is not None and item.days_overdue is not None:
                when = f"due {item.due_on} ({_ago(item.days_overdue)})"
            who = f" — {escape(item.name)}" if item.name else ""
            theirs = "waiting on them: " if item.owed_by == "them" else ""
            console.print(f"  #{item.id} {theirs}{escape(item.title)}{who}, {when}")
    if agenda.deadlines:
        quiet = False
        console.print("\n[bold]Deadlines[/bold] (next two weeks)")
        for chance in agenda.deadlines:
            by = f", from {escape(chance.from_name)}" if chance.from_name else ""
            console.print(
                f"  #{chance.id} {escape(chance.title)} ({chance.kind}, {chance.status}{by}): "
                f"{chance.deadline} ({_ago(-(chance.days_left or 0))})"
            )
    if agenda.visiting:
        quiet = False
        console.print("\n[bold]Visiting soon[/bold]")
        for visit in agenda.visiting:
            console.print(
                f"  {escape(visit.name)}: {visit.start_on} to {visit.end_on}. "
                f"{escape(visit.suggestion)}"
            )
    quiet = _their_lives(agenda) and quiet
    if agenda.due:
        quiet = False
        console.print(f"\n[bold]Due[/bold] ({len(agenda.due)})")
        band = None
        for entry in agenda.due:
            if entry.warmth != band:
                band = entry.warmth
                console.print(f"  [{WARMTH_STYLE[band]}]{band.value.capitalize()}[/]")
            group = " (group)" if entry.kind == "group" else ""
            console.print(
                f"    {escape(entry.name)}{group} · {_roles(entry.roles)} · due {entry.due_on} "
                f"({_ago(entry.days_overdue)})"
            )
            if entry.members:
                console.print(f"      Due with it: {escape(', '.join(entry.members))}.")
            console.print(f"      {escape(entry.suggestion)}")
    if agenda.reconnect:
        quiet = False
        console.print("\n[bold]Reconnect[/bold] (dormant ties worth reviving)")
        for entry in agenda.reconnect:
            last = (
                f"last in touch {entry.last_contact_on}"
                if entry.last_contact_on
                else "no contact logged"
            )
            console.print(f"    {escape(entry.name)} · {_roles(entry.roles)} · {last}")
            console.print(f"      {escape(entry.suggestion)}")
    hidden = agenda.hidden
    more = []
    if hidden.due:
        more.append(f"{hidden.due} more due")
    if hidden.dormant:
        more.append(f"{hidden.dormant} more dormant")
    if hidden.owed_replies:
        more.append(f"{hidden.owed_replies} more replies owed")
    if hidden.follow_ups:
        more.append(f"{hidden.follow_ups} later or snoozed follow-ups")
    if quiet:
        say("\nNothing due: every tie is warm and nothing is owed.")
    if more:
        say(f"\n{', '.join(more)}: `mentormap today --all`.")


def _their_lives(agenda: Any) -> bool:
    """Print the birthdays of the week and recent news; True when there was none."""
    if agenda.birthdays:
        console.print("\n[bold]Birthdays this week[/bold]")
        for b in agenda.birthdays:
            when = "today" if b.days_away == 0 else f"{b.on:%a %d %b}"
            age = f", turns {b.age}" if b.age is not None else ""
            console.print(f"  {escape(b.name)}: {when}{age}")
    if agenda.news:
        console.print("\n[bold]News in their lives[/bold]")
        for n in agenda.news:
            console.print(f"  {escape(n.name)}, {n.on}: {escape(n.text)}")
            console.print(f"    {escape(n.prompt)}")
    return not (agenda.birthdays or agenda.news)


def snooze(
    who: str = typer.Argument(..., help="Who to leave out of the due list for a while."),
    until: str | None = typer.Option(None, "--until", help="Until this day: YYYY-MM-DD or +3w."),
    for_: str | None = typer.Option(None, "--for", help="For this long: 10d, 3w, 2m."),
    clear: bool = typer.Option(False, "--clear", help="End the snooze now."),
) -> None:
    """Snooze someone: she stays out of `today` until the date (owed replies still show)."""
    from mentormap.domain.durations import parse_days
    from mentormap.services.people.people import snooze_person
    from mentormap.services.people.resolve import find_person

    if sum(bool(x) for x in (until, for_, clear)) != 1:
        raise InvalidInput("Give exactly one of --until DATE, --for DURATION or --clear.")
    with session() as ctx:
        person = find_person(ctx, who)
        if clear:
            snooze_person(ctx, person, None)
            say(f"{person.name} is no longer snoozed.")
            return
        day = (
            parse_day(until, ctx) if until else ctx.today() + timedelta(days=parse_days(for_ or ""))
        )
        snooze_person(ctx, person, day)
        say(f"Snoozed {person.name} until {day}.")


def reconnect(
    limit: int = typer.Option(5, "--limit", min=1, help="How many suggestions."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Dormant ties worth reviving (silent for over four cadences), ranked for novelty.

    People outside your employer come first, then the longest silence: reconnecting after years
    brings news you would not hear otherwise (Levin, Walter & Murnighan, 2011). How close you
    once were does not count.
    """
    from mentormap.services.clock.keep_in_touch import reconnect_suggestions

    with session() as ctx:
        picks = reconnect_suggestions(ctx, limit=limit)
    if as_json:
        print_json(picks)
        return
    if not picks:
        say("No dormant ties: nobody has been silent for more than four cadences.")
        return
    for entry in picks:
        last = (
            f"last in touch {entry.last_contact_on}"
            if entry.last_contact_on
            else "no contact logged"
        )
        console.print(
            f"{escape(entry.name)} · {_roles(entry.roles)} · "
            f"{escape(entry.company or '—')} · {last}"
        )
        console.print(f"  {escape(entry.suggestion)}")


def reply_window(
    mentees: str | None = typer.Option(
        None, "--mentees", help="Reply window for mentees, e.g. 2d."
    ),
    others: str | None = typer.Option(
        None, "--others", help="Reply window for everyone else, e.g. 1w."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show or set how soon an inbound message needing a reply should be answered."""
    from mentormap.domain.durations import parse_days
    from mentormap.services.clock.owed_replies import reply_windows, set_reply_windows

    with session() as ctx:
        if mentees or others:
            windows = set_reply_windows(
                ctx,
                mentee_days=parse_days(mentees) if mentees else None,
                other_days=parse_days(others) if others else None,
            )
        else:
            windows = reply_windows(ctx)
    if as_json:
        print_json(windows)
        return
    say(f"Reply within {windows.mentee_days} days to mentees, {windows.other_days} days to others.")
