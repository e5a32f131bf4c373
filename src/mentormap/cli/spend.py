"""`mentormap spend …`: money put into the career (coaches, courses, conferences) and its budget."""

from __future__ import annotations

from decimal import Decimal

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    YES_OPTION,
    confirm,
    console,
    escape,
    parse_day,
    print_json,
    say,
    session,
    table,
)

app = typer.Typer(
    help="Money put into your career: coaches, courses, conferences, against a yearly budget.",
    no_args_is_help=True,
)
CATEGORY_HELP = "coaching, course, conference or other (other is not held against the budget)."
CURRENCY_HELP = "Currency code, e.g. GBP (default: your `config` currency)."
COACH_HELP = "Who you paid (a person in your network), e.g. your speaking coach."
ON_HELP = "When you paid: YYYY-MM-DD, yesterday, -3d (default today)."


@app.command("add")
def add(
    amount: str = typer.Argument(..., help="How much, e.g. 150 or 89.50."),
    currency: str | None = typer.Option(None, "--currency", "-c", help=CURRENCY_HELP),
    coach: str | None = typer.Option(None, "--coach", help=COACH_HELP),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    for_: str | None = typer.Option(None, "--for", help="What it paid for."),
    category: str = typer.Option("coaching", "--category", help=CATEGORY_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record money spent. `health` holds this year's against your budget
    (`config set coaching_budget 1500`); other currencies stay apart unless you set a rate
    (`config set rate.EUR 0.86`)."""
    from mentormap.services.money.spend import add_spend
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        view = add_spend(
            ctx,
            amount,
            currency=currency,
            on=parse_day(on, ctx),
            coach=find_person(ctx, coach) if coach else None,
            note=for_,
            category=category,
        )
    if as_json:
        print_json(view)
        return
    paid = f" to {view.coach}" if view.coach else ""
    say(f"Spending #{view.id}: {view.amount} {view.currency}{paid} on {view.on} ({view.category}).")


@app.command("list")
def list_(
    year: int | None = typer.Option(None, "--year", min=1900, max=9999, help="Only this year."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What you spent, newest first, with a total per currency."""
    from mentormap.services.money.spend import list_spend

    with session() as ctx:
        items = list_spend(ctx, year=year)
    if as_json:
        print_json(items)
        return
    if not items:
        say("Nothing spent recorded: `mentormap spend add 150 --currency GBP --coach NAME`.")
        return
    grid = table("#", "When", "Amount", "Category", "Paid to", "For")
    totals: dict[str, Decimal] = {}
    for item in items:
        grid.add_row(
            str(item.id),
            item.on.isoformat(),
            f"{item.amount} {item.currency}",
            item.category,
            escape(item.coach or ""),
            escape(item.note or ""),
        )
        totals[item.currency] = totals.get(item.currency, Decimal(0)) + item.amount
    console.print(grid)
    say("Total: " + ", ".join(f"{total} {cur}" for cur, total in sorted(totals.items())))


@app.command("edit")
def edit(
    spend_id: int = typer.Argument(..., help="The spending's number (see `spend list`)."),
    amount: str | None = typer.Option(None, "--amount", help="The corrected amount."),
    currency: str | None = typer.Option(None, "--currency", "-c", help="Currency code."),
    coach: str | None = typer.Option(None, "--coach", help=COACH_HELP),
    no_coach: bool = typer.Option(False, "--no-coach", help="Paid to nobody in your network."),
    on: str | None = typer.Option(None, "--on", help=ON_HELP),
    for_: str | None = typer.Option(None, "--for", help="What it paid for."),
    category: str | None = typer.Option(None, "--category", help=CATEGORY_HELP),
) -> None:
    """Correct a spending record."""
    from mentormap.services.money.spend import edit_spend, get_spend
    from mentormap.services.people.resolve import find_person

    with session() as ctx:
        view = edit_spend(
            ctx,
            get_spend(ctx, spend_id),
            amount=amount,
            currency=currency,
            on=parse_day(on, ctx),
            coach=find_person(ctx, coach) if coach else None,
            no_coach=no_coach,
            note=for_,
            category=category,
        )
    say(f"Spending #{view.id} updated: {view.amount} {view.currency} on {view.on}.")


@app.command("remove")
def remove(
    spend_id: int = typer.Argument(..., help="The spending's number (see `spend list`)."),
    yes: bool = YES_OPTION,
) -> None:
    """Remove a spending record made by mistake."""
    from mentormap.services.money.spend import get_spend, remove_spend

    with session() as ctx:
        expense = get_spend(ctx, spend_id)
        confirm(f"Remove spending #{expense.id} ({expense.amount} {expense.currency})?", yes)
        view = remove_spend(ctx, expense)
    say(f"Removed spending #{view.id} ({view.amount} {view.currency}).")
