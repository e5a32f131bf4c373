"""`mentormap config …`: your own settings (employer, home city, budget, working hours)."""

from __future__ import annotations

import typer

from mentormap.cli.common import JSON_OPTION, console, print_json, say, session, table

app = typer.Typer(
    help="Your own settings: employer, home city, budget, hours.", no_args_is_help=True
)


@app.command("get")
def get(
    key: str | None = typer.Argument(None, help="A setting; leave out to list them all."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one setting, or all of them with what each means."""
    from mentormap.services.preferences import (
        KNOWN,
        PER_CURRENCY,
        all_preferences,
        get_preference,
    )

    with session() as ctx:
        if key is not None:
            from mentormap.services.preferences import check_key

            name = check_key(key)
            value = get_preference(ctx, name)
            if as_json:
                print_json({"key": name, "value": value})
            else:
                say(value if value is not None else "(not set)")
            return
        values = all_preferences(ctx)
    extra = [name for name in values if "." in name]  # rate.EUR, budget.EUR…
    if as_json:
        print_json({name: values.get(name) for name in [*KNOWN, *extra]})
        return
    grid = table("setting", "value", "meaning")
    for name, (meaning, _check) in KNOWN.items():
        grid.add_row(name, values.get(name, "—"), meaning)
    for prefix, (meaning, _check) in PER_CURRENCY.items():
        names = [n for n in extra if n.startswith(prefix + ".")] or [f"{prefix}.XXX"]
        for name in names:
            grid.add_row(name, values.get(name, "—"), meaning)
    console.print(grid)


@app.command("set")
def set_(
    key: str = typer.Argument(
        ..., help="The setting, e.g. employer, coaching_budget, rate.EUR or budget.EUR."
    ),
    value: str = typer.Argument(..., help="Its new value."),
) -> None:
    """Change a setting."""
    from mentormap.services.preferences import check_key, set_preference

    with session() as ctx:
        stored = set_preference(ctx, key, value)
    say(f"{check_key(key)} = {stored}")


@app.command("unset")
def unset(key: str = typer.Argument(..., help="The setting to clear.")) -> None:
    """Clear a setting so its default applies again."""
    from mentormap.services.preferences import unset_preference

    with session() as ctx:
        removed = unset_preference(ctx, key)
    say(f"{key} cleared." if removed else f"{key} was not set.")
