"""`mentormap trip …` and `mentormap when`: meeting people in person and across time zones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    console,
    fmt_date,
    parse_day,
    print_json,
    say,
    session,
    table,
)

if TYPE_CHECKING:
    from mentormap.services.travel.meeting_times import GroupMeetingTimes

app = typer.Typer(help="Trips: yours, and contacts' visits to your city.", no_args_is_help=True)


@app.command("add")
def add(
    city: str = typer.Argument(..., help="City, e.g. Sydney, 'Cambridge, MA' or 'Cambridge, UK'."),
    start: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD, or 'tomorrow')."),
    end: str = typer.Option(..., "--to", help="Last day (YYYY-MM-DD)."),
    person: str | None = typer.Option(
        None, "--person", help="Someone visiting you: the trip is theirs, to CITY."
    ),
    note: str | None = typer.Option(None, "--note", help="A note, e.g. 'team offsite'."),
) -> None:
    """Add your trip to a city, or (with --person) a contact's visit to yours."""
    from mentormap.errors import InvalidInput
    from mentormap.services.people.resolve import find_person
    from mentormap.services.travel.trips import add_trip

    with session() as ctx:
        visitor = find_person(ctx, person) if person else None
        start_on, end_on = parse_day(start, ctx), parse_day(end, ctx)
        if start_on is None or end_on is None:
            raise InvalidInput("Give the trip's first and last day: --from and --to.")
        added = add_trip(ctx, city, start_on, end_on, person=visitor, note=note)
    trip = added.trip
    place = ", ".join(part for part in (trip.city, trip.region, trip.country) if part)
    who = f"{trip.visitor} visits {place}" if trip.visitor else f"Trip to {place}"
    say(f"{who}, {trip.start_on} to {trip.end_on} (#{trip.id}).")
    if added.others:
        say(
            f"Other places called {trip.city}: {'; '.join(added.others[:5])}. "
            "Name the country or state to pick one, e.g. 'Cambridge, MA'."
        )


@app.command("edit")
def edit(
    trip: str = typer.Argument(..., help="The trip: '#3', or a city for your next trip there."),
    start: str | None = typer.Option(None, "--from", help="New first day (YYYY-MM-DD, ...)."),
    end: str | None = typer.Option(None, "--to", help="New last day (YYYY-MM-DD, ...)."),
    note: str | None = typer.Option(None, "--note", help="A new note; '' clears it."),
) -> None:
    """Change a trip's days or note."""
    from mentormap.services.travel.trips import edit_trip, find_trip

    with session() as ctx:
        found = find_trip(ctx, trip)
        view = edit_trip(
            ctx,
            found,
            start_on=parse_day(start, ctx) if start else None,
            end_on=parse_day(end, ctx) if end else None,
            note=note,
        )
    say(f"Trip #{view.id} to {view.city}: {view.start_on} to {view.end_on}.")


@app.command("remove")
def remove(
    trip: str = typer.Argument(..., help="The trip: '#3', or a city for your next trip there."),
) -> None:
    """Forget a trip or a contact's visit (the people stay)."""
    from mentormap.services.travel.trips import find_trip, remove_trip

    with session() as ctx:
        view = remove_trip(ctx, find_trip(ctx, trip))
    say(f"Removed trip #{view.id} to {view.city} ({view.start_on} to {view.end_on}).")


@app.command("list")
def list_(
    include_past: bool = typer.Option(False, "--all", help="Include trips that have ended."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List upcoming trips and visits."""
    from mentormap.services.travel.trips import list_trips

    with session() as ctx:
        trips = list_trips(ctx, include_past=include_past)
    if as_json:
        print_json(trips)
        return
    if not trips:
        say("No upcoming trips. Add one with `mentormap trip add CITY --from --to`.")
        return
    grid = table("#", "from", "to", "city", "who", "note")
    for t in trips:
        grid.add_row(
            str(t.id),
            fmt_date(t.start_on),
            fmt_date(t.end_on),
            ", ".join(p for p in (t.city, t.country) if p),
            f"{t.visitor} visiting" if t.visitor else "you",
            t.note or "",
        )
    console.print(grid)


@app.command("plan")
def plan(
    trip: str | None = typer.Argument(None, help="Trip #id or city; default: your next trip."),
    radius: float = typer.Option(50.0, "--radius", help="How far from the city, in km."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Who to see on a trip: people nearby, due ties and closer roles first."""
    from mentormap.services.travel.trips import plan_trip

    with session() as ctx:
        result = plan_trip(ctx, trip, radius)
    if as_json:
        print_json(result)
        return
    t = result.trip
    say(
        f"[bold]{t.city}[/bold], {t.start_on} to {t.end_on}"
        + (f" ({t.note})" if t.note else "")
        + f": {len(result.people)} people within {result.radius_km:g} km."
    )
    if not result.people:
        say("Nobody you know lives nearby; a chance to ask your network for introductions.")
        return
    grid = table("who", "role", "warmth", "last", "km", "propose", "prefers")
    for p in result.people:
        prefers = "; ".join(dict.fromkeys(x for x in (p.preferred_format, p.preferred_time) if x))
        grid.add_row(
            p.name,
            ", ".join(r.replace("_", " ") for r in p.roles) or "—",
            p.warmth or "no clock",
            fmt_date(p.last_contact_on),
            f"{p.distance_km:g}",
            p.propose,
            prefers or "—",
        )
    console.print(grid)


def when(
    who: str = typer.Argument(..., help="Who to find a time with: a person or a group."),
    days: int = typer.Option(7, "--days", help="How many days ahead to look."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The coming week's times when both your working hours overlap, in both local times.

    For a group: the times when you and every member are at work.
    """
    from mentormap.services.people.resolve import find_group, find_person, is_group_name
    from mentormap.services.travel.meeting_times import group_meeting_times, meeting_times

    with session() as ctx:
        if is_group_name(ctx, who):
            together = group_meeting_times(ctx, find_group(ctx, who), days)
        else:
            together = None
            result = meeting_times(ctx, find_person(ctx, who), days)
    if together is not None:
        _print_group_times(together, days, as_json)
        return
    if as_json:
        print_json(result)
        return
    say(
        f"{result.person}: {result.their_hours} in {result.their_zone}; "
        f"you: {result.my_hours} in {result.my_zone}."
    )
    if result.preferred_time:
        say(f"Prefers: {result.preferred_time} (★ marks times that suit).")
    if result.outside_hours and result.windows:
        say(
            "Your working hours never overlap; these times ask one of you to start early "
            "or stay late (up to 2 hours)."
        )
    if not result.windows:
        say(
            f"Your working hours do not overlap in the next {days} days; "
            "try an email, or a call outside hours if she offers one."
        )
        return
    grid = table("", "you", "them", "length")
    for w in result.windows:
        star = "★" if w.preferred else ""
        mine = f"{w.mine_start:%a %d %b %H:%M}–{w.mine_end:%H:%M}"
        theirs = f"{w.theirs_start:%a %H:%M}–{w.theirs_end:%H:%M}"
        if w.preferred and w.preferred_mine_start and w.preferred_mine_end:
            mine += f" (best {w.preferred_mine_start:%H:%M}–{w.preferred_mine_end:%H:%M})"
        grid.add_row(star, mine, theirs, f"{w.minutes // 60}h{w.minutes % 60:02d}")
    console.print(grid)


def _print_group_times(result: GroupMeetingTimes, days: int, as_json: bool) -> None:
    if as_json:
        print_json(result)
        return
    clocks = "; ".join(f"{m.name} {m.hours} in {m.zone}" for m in result.members)
    say(f"{result.group}: you {result.my_hours} in {result.my_zone}; {clocks}.")
    if result.left_out:
        say(
            "Left out (no time zone or known city; `people edit NAME --timezone …`): "
            + ", ".join(result.left_out)
            + "."
        )
    if not result.windows:
        say(
            f"No time in the next {days} days when all of you are at work; "
            "split the group, or meet outside hours by agreement."
        )
        return
    grid = table("you", "length", "them")
    for w in result.windows:
        grid.add_row(
            f"{w.mine_start:%a %d %b %H:%M}–{w.mine_end:%H:%M}",
            f"{w.minutes // 60}h{w.minutes % 60:02d}",
            "; ".join(w.local),
        )
    console.print(grid)
