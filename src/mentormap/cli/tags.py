"""`mentormap tag …` and `mentormap attr …`: labels and your own dimensions on people."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, PERSON, console, print_json, say, session, table
from mentormap.services.people import tags as tag_service
from mentormap.services.people.resolve import find_person

tag_app = typer.Typer(help="Tag people.", no_args_is_help=True)
attr_app = typer.Typer(
    help="Your own attributes on people, such as perspective dimensions; never guessed.",
    no_args_is_help=True,
)


@tag_app.command("add")
def tag_add(who: str = PERSON, tags: list[str] = typer.Argument(...)) -> None:
    """Add tags to someone."""
    with session() as ctx:
        person = find_person(ctx, who)
        tag_service.tag_person(ctx, person, tags)
        say(f"Tagged {person.name}: {', '.join(tag_service.clean_tag(t) for t in tags)}.")


@tag_app.command("remove")
def tag_remove(who: str = PERSON, tags: list[str] = typer.Argument(...)) -> None:
    """Remove tags from someone."""
    with session() as ctx:
        person = find_person(ctx, who)
        tag_service.untag_person(ctx, person, tags)
        say(f"Removed from {person.name}: {', '.join(tags)}.")


@tag_app.command("list")
def tag_list(as_json: bool = JSON_OPTION) -> None:
    """All tags with how many people carry each."""
    with session() as ctx:
        counts = tag_service.tag_counts(ctx)
    if as_json:
        print_json([{"tag": name, "people": count} for name, count in counts])
        return
    grid = table("Tag", "People")
    for name, count in counts:
        grid.add_row(name, str(count))
    console.print(grid)


@attr_app.command("set")
def attr_set(
    who: str = PERSON,
    key: str = typer.Argument(..., help="Attribute, e.g. seniority."),
    value: str = typer.Argument(..., help="Value, e.g. principal."),
) -> None:
    """Set one of your own attributes on someone."""
    with session() as ctx:
        person = find_person(ctx, who)
        attr = tag_service.set_attribute(ctx, person, key, value)
        say(f"{person.name}: {attr.key} = {attr.value}.")


@attr_app.command("unset")
def attr_unset(who: str = PERSON, key: str = typer.Argument(...)) -> None:
    """Remove an attribute from someone."""
    with session() as ctx:
        person = find_person(ctx, who)
        tag_service.unset_attribute(ctx, person, key)
        say(f"Removed {key} from {person.name}.")


@attr_app.command("values")
def attr_values(
    key: str = typer.Argument(..., help="Attribute name."), as_json: bool = JSON_OPTION
) -> None:
    """How many people hold each value of an attribute."""
    with session() as ctx:
        counts = tag_service.attribute_values(ctx, key)
    if as_json:
        print_json([{"value": value, "people": count} for value, count in counts])
        return
    grid = table("Value", "People")
    for value, count in counts:
        grid.add_row(value, str(count))
    console.print(grid)
