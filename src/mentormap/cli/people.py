"""`mentormap people …`: add, edit, show, list, archive, delete, merge."""

from __future__ import annotations

import sys
from typing import Any

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    PERSON,
    YES_OPTION,
    confirm,
    console,
    edit_text,
    escape,
    fmt_date,
    parse_cadence,
    parse_day,
    plain_table,
    print_json,
    say,
    session,
    table,
)
from mentormap.domain.clock import KEEPS_CLOCK_CHOICES
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.people import people as people_service
from mentormap.services.people.merge import merge_people
from mentormap.services.people.resolve import find_person

app = typer.Typer(
    help="Add, find, change and tidy the people in your network.", no_args_is_help=True
)

NAME = PERSON
BIRTHDAY_HELP = (
    "Birthday: YYYY-MM-DD, or MM-DD without the year; an empty value clears it. "
    "29 February falls on 28 February in other years."
)


def _fields(ctx: Ctx, **raw: Any) -> dict[str, Any]:
    """Keep only options the user gave; convert dates and cadences."""
    fields = {key: value for key, value in raw.items() if value is not None}
    if "met_on" in fields:
        fields["met_on"] = parse_day(fields["met_on"], ctx)
    if "cadence_days" in fields:
        fields["cadence_days"] = parse_cadence(fields["cadence_days"])
    return fields


@app.command("add")
def add(
    name: str = typer.Argument(..., help="Full name."),
    email: list[str] = typer.Option([], "--email", "-e", help="Email (repeatable)."),
    phone: list[str] = typer.Option([], "--phone", help="Phone (repeatable)."),
    link: list[str] = typer.Option([], "--link", help="LinkedIn, GitHub or site URL (repeatable)."),
    company: str | None = typer.Option(None, help="Employer."),
    title: str | None = typer.Option(None, help="Job title."),
    city: str | None = typer.Option(None, help="City she lives in."),
    country: str | None = typer.Option(None, help="Country."),
    tz: str | None = typer.Option(None, "--tz", help="Time zone, e.g. Australia/Sydney."),
    how_met: str | None = typer.Option(None, "--how-met", help="How you met."),
    met_on: str | None = typer.Option(None, "--met-on", help="When you met (YYYY-MM-DD)."),
    birthday: str | None = typer.Option(None, "--birthday", help=BIRTHDAY_HELP),
    interests: str | None = typer.Option(None, help="Interests; `who --for` reads them."),
    expertise: str | None = typer.Option(None, help="What she knows well; `who` ranks it first."),
    role: list[str] = typer.Option([], "--role", "-r", help="Role key (repeatable); see `roles`."),
    tag: list[str] = typer.Option([], "--tag", "-t", help="Tag (repeatable)."),
    cadence: str | None = typer.Option(None, help="Own cadence, e.g. 3w; overrides her roles."),
    fmt: str | None = typer.Option(None, "--format", help="Preferred format: walk, lunch, call…"),
    time_of_day: str | None = typer.Option(None, "--time", help="Preferred time of day."),
    notes: str | None = typer.Option(None, help="Notes (Markdown)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a person."""
    from mentormap.services.people.roles import give_role
    from mentormap.services.people.tags import tag_person

    with session() as ctx:
        fields = _fields(
            ctx,
            company=company,
            title=title,
            city=city,
            country=country,
            timezone=tz,
            how_met=how_met,
            met_on=met_on,
            birthday=birthday,
            interests=interests,
            expertise=expertise,
            cadence_days=cadence,
            preferred_format=fmt,
            preferred_time=time_of_day,
            notes=notes,
        )
        person = people_service.add_person(
            ctx, name, emails=email, phones=phone, links=link, **fields
        )
        for key in role:
            give_role(ctx, person, key)
        tag_person(ctx, person, tag)
        detail = people_service.person_detail(ctx, person)
        same = [_ref(p) for p in people_service.namesakes(ctx, person)]
    if as_json:
        print_json(detail)
    else:
        roles = f" as {', '.join(detail.roles)}" if detail.roles else ""
        say(f"Added {detail.name} (#{detail.id}){roles}.")
    if same:
        sys.stderr.write(
            f"Warning: you already had someone called {detail.name}: {'; '.join(same)}. "
            f"Both are kept (the new one is #{detail.id}); if they are one person, "
            f"`mentormap people merge '#{detail.id}' '#…'` folds one into the other.\n"
        )


def _ref(person: Person) -> str:
    return f"#{person.id}" + (f" ({person.company})" if person.company else "")


@app.command("edit")
def edit(
    who: str = NAME,
    name: str | None = typer.Option(None, "--name", help="New full name."),
    email: list[str] = typer.Option([], "--email", "-e", help="Add an email (repeatable)."),
    remove_email: list[str] = typer.Option(
        [],
        "--remove-email",
        help="Remove one of her emails (repeatable); with --email, changes an address.",
    ),
    phone: list[str] = typer.Option([], "--phone", help="Add a phone (repeatable)."),
    link: list[str] = typer.Option([], "--link", help="Add a link (repeatable)."),
    company: str | None = typer.Option(None, help="Employer."),
    title: str | None = typer.Option(None, help="Job title."),
    city: str | None = typer.Option(None, help="City she lives in."),
    country: str | None = typer.Option(None, help="Country."),
    tz: str | None = typer.Option(None, "--tz", help="Time zone, e.g. Europe/London."),
    how_met: str | None = typer.Option(None, "--how-met", help="How you met."),
    met_on: str | None = typer.Option(None, "--met-on", help="When you met (YYYY-MM-DD)."),
    birthday: str | None = typer.Option(None, "--birthday", help=BIRTHDAY_HELP),
    interests: str | None = typer.Option(None, help="Interests; `who --for` reads them."),
    expertise: str | None = typer.Option(None, help="What she knows well; `who` ranks it first."),
    personal: str | None = typer.Option(None, "--personal", help="Family, life events…"),
    cadence: str | None = typer.Option(None, help="Own cadence, e.g. 3w."),
    fmt: str | None = typer.Option(None, "--format", help="Preferred format."),
    time_of_day: str | None = typer.Option(None, "--time", help="Preferred time of day."),
    work_hours: str | None = typer.Option(None, "--work-hours", help="e.g. 09:00-17:30."),
    keeps_clock: str | None = typer.Option(
        None,
        "--keeps-clock",
        help="What keeps her clock: " + "; ".join(f"{k}: {t}" for k, t in KEEPS_CLOCK_CHOICES),
    ),
    notes: str | None = typer.Option(None, help="Replace the notes (Markdown)."),
    edit_notes: bool = typer.Option(False, "--edit-notes", help="Edit the notes in $EDITOR."),
) -> None:
    """Change what you know about someone."""
    with session() as ctx:
        person = find_person(ctx, who)
        if edit_notes:
            edited = edit_text(person.notes or "")
            if edited is not None:
                notes = edited.strip()
        fields = _fields(
            ctx,
            name=name,
            company=company,
            title=title,
            city=city,
            country=country,
            timezone=tz,
            how_met=how_met,
            met_on=met_on,
            birthday=birthday,
            interests=interests,
            expertise=expertise,
            personal_details=personal,
            cadence_days=cadence,
            preferred_format=fmt,
            preferred_time=time_of_day,
            work_hours=work_hours,
            notes=notes,
        )
        if keeps_clock is not None:
            from mentormap.domain.clock import parse_keeps_clock

            setting = parse_keeps_clock(keeps_clock)
            fields["keeps_clock"] = setting.value if setting else None
        people_service.edit_person(
            ctx,
            person,
            emails=email,
            phones=phone,
            links=link,
            remove_emails=remove_email,
            **fields,
        )
        say(f"Updated {person.name}.")


def _birthday_words(birthday: str | None) -> str:
    from mentormap.domain.lives import birthday_text

    return birthday_text(birthday)


def _standing_words(standing: dict[str, Any]) -> str:
    if not standing.get("warmth"):
        return str(standing.get("reason", ""))
    return f"{standing['warmth']}, due {standing['due_on']} · {standing['reason']}"


@app.command("show")
def show(
    who: str = NAME,
    limit: int = typer.Option(20, help="How many recent interactions to show."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Everything about one person, with her recent interactions."""
    with session() as ctx:
        detail = people_service.person_detail(ctx, find_person(ctx, who), interaction_limit=limit)
    if as_json:
        print_json(detail)
        return
    console.print(
        f"[bold]{detail.name}[/bold]  #{detail.id}" + ("  (archived)" if detail.archived else "")
    )
    rows = [
        (
            "Roles",
            ", ".join(
                f"{r.label}" + (f" ({r.note})" if r.note else "")
                for r in detail.role_details
                if not r.until
            ),
        ),
        ("Work", " · ".join(x for x in (detail.title, detail.company) if x)),
        ("Place", ", ".join(x for x in (detail.city, detail.country) if x)),
        ("Time zone", detail.timezone or ""),
        ("Email", ", ".join(detail.emails)),
        ("Phone", ", ".join(detail.phones)),
        ("Links", ", ".join(link["url"] for link in detail.links)),
        ("Tags", ", ".join(detail.tags)),
        ("Groups", ", ".join(detail.groups)),
        ("Birthday", _birthday_words(detail.birthday)),
        ("Met", " · ".join(x for x in (fmt_date(detail.met_on, ""), detail.how_met or "") if x)),
        ("Prefers", " · ".join(x for x in (detail.preferred_format, detail.preferred_time) if x)),
        ("Standing", _standing_words(detail.standing)),
        ("Snoozed", fmt_date(detail.snoozed_until, "")),
        ("Interests", detail.interests or ""),
        ("Expertise", detail.expertise or ""),
        ("Personal", detail.personal_details or ""),
        ("Last contact", fmt_date(detail.last_contact_on, "never")),
    ]
    rows += [(key, value) for key, value in detail.attributes.items()]
    grid = table("", "")
    grid.show_header = False
    for label, value in rows:
        if value:
            grid.add_row(f"[dim]{label}[/dim]", value)
    console.print(grid)
    if detail.notes:
        console.print(f"\n{detail.notes}")
    if detail.life_events:
        console.print("\n[bold]In her life[/bold]")
        for event in reversed(detail.life_events):
            when = f"{event['on']}: " if event["on"] else ""
            kind = event["kind"].replace("_", " ")
            console.print(f"  {when}{escape(event['text'])} [dim]({kind}, #{event['id']})[/dim]")
    if detail.interactions:
        console.print("\n[bold]Recent interactions[/bold]")
        history = table("Date", "Kind", "With", "Notes")
        for item in detail.interactions:
            others = [n for n in item.people if n != detail.name]
            history.add_row(
                item.occurred_on.isoformat(),
                item.kind.replace("_", " "),
                item.group or ", ".join(others),
                (item.notes or "").splitlines()[0][:70] if item.notes else "",
            )
        console.print(history)


@app.command("list")
def list_(
    role: str | None = typer.Option(None, help="Only people holding this role."),
    tag: str | None = typer.Option(None, help="Only people with this tag."),
    city: str | None = typer.Option(None, help="Only people in this city."),
    company: str | None = typer.Option(None, help="Only people whose company contains this."),
    search: str | None = typer.Option(
        None, "--search", "-s", help="Name, company or city contains."
    ),
    archived: bool = typer.Option(False, "--archived", help="Include archived people."),
    warmth: str | None = typer.Option(
        None, "--warmth", help="Only one warmth band: warm, cooling, cold, dormant or none."
    ),
    sort: str = typer.Option(
        "name",
        help="name, company, city, last_contact, added, due (soonest first) "
        "or warmth (coldest first).",
    ),
    limit: int | None = typer.Option(None, help="Show at most this many."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List people, filtered and sorted."""
    flt = people_service.PeopleFilter(
        role=role.replace("-", "_") if role else None,
        tag=tag,
        city=city,
        company=company,
        search=search,
        include_archived=archived,
        warmth=warmth.strip().lower() if warmth else None,
        sort=sort,
        limit=limit,
    )
    with session() as ctx:
        found = people_service.list_people(ctx, flt)
        total = people_service.count_people(ctx)
    if as_json:
        print_json(found)
        return
    if total == 0:
        say(
            'Your network is empty. Start with `mentormap people add "Name" --role friend`, '
            "or explore with `mentormap demo`, or run `mentormap --help`."
        )
        return
    if not found:
        say("No one matches.")
        return
    rows = [
        [
            p.name + (" (archived)" if p.archived else ""),
            ", ".join(p.roles),
            p.company or "",
            p.city or "",
            fmt_date(p.last_contact_on, "never"),
            p.warmth or "no clock",
            fmt_date(p.due_on, ""),
        ]
        for p in found
    ]
    plain_table(["Name", "Roles", "Company", "City", "Last contact", "Warmth", "Due"], rows)
    if len(found) > 1:
        say(f"[dim]{len(found)} people[/dim]")


@app.command("archive")
def archive(
    who: str = NAME,
    undo: bool = typer.Option(False, "--undo", help="Bring her back from the archive."),
) -> None:
    """Archive someone: hidden from lists and reminders, history kept."""
    with session() as ctx:
        person = people_service.set_archived(ctx, find_person(ctx, who), archived=not undo)
        say(f"{'Restored' if undo else 'Archived'} {person.name}.")


@app.command("delete")
def delete(who: str = NAME, yes: bool = YES_OPTION) -> None:
    """Delete someone and everything recorded only about her."""
    with session() as ctx:
        person = find_person(ctx, who)
        confirm(f"Delete {person.name} and her history for good?", yes)
        name = person.name
        people_service.delete_person(ctx, person)
    say(f"Deleted {name}.")


@app.command("merge")
def merge(
    keep: str = typer.Argument(..., help="The person to keep."),
    other: str = typer.Argument(..., help="The duplicate to fold into her."),
    yes: bool = YES_OPTION,
) -> None:
    """Merge a duplicate into another person, keeping both histories."""
    with session() as ctx:
        kept = find_person(ctx, keep)
        dup = find_person(ctx, other)
        confirm(f"Merge {dup.name} (#{dup.id}) into {kept.name} (#{kept.id})?", yes)
        dup_name = dup.name
        dup_id = dup.id
        merge_people(ctx, kept, dup)
        say(f"Merged {dup_name} (#{dup_id}) into {kept.name} (#{kept.id}).")
