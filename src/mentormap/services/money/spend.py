"""Spending: record, change, remove and list what was paid for coaching, courses, conferences.

An amount is kept in the currency it was paid in; totals are kept apart by currency unless you
set a rate (`config set rate.EUR 0.86`), see `services/money/budget.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sqlalchemy import select

from mentormap.errors import InvalidInput
from mentormap.models import Expense, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned

MAX_AMOUNT = Decimal("1e9")


class SpendCategory(StrEnum):
    COACHING = "coaching"
    COURSE = "course"
    CONFERENCE = "conference"
    OTHER = "other"


CATEGORIES = ", ".join(c.value for c in SpendCategory)
# What the yearly budget covers ("other" is recorded, but not held against it).
BUDGETED = (SpendCategory.COACHING, SpendCategory.COURSE, SpendCategory.CONFERENCE)


@dataclass
class SpendView:
    id: int
    on: date
    amount: Decimal
    currency: str
    category: str
    person_id: int | None
    coach: str | None
    note: str | None


def parse_amount(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not an amount of money, e.g. 150 or 89.50.") from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
        raise InvalidInput(f"{value!r} is not an amount of money, e.g. 150 or 89.50.")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"{value!r} has more than two decimal places.")
    return amount.quantize(Decimal("0.01"))


def parse_currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidInput(f"{value!r} is not a currency code such as GBP, EUR or USD.")
    return code


def parse_category(value: str) -> str:
    cleaned = value.strip().lower()
    try:
        return SpendCategory(cleaned).value
    except ValueError:
        raise InvalidInput(f"Unknown category {value!r}; choose one of: {CATEGORIES}.") from None


def default_currency(ctx: Ctx) -> str:
    from mentormap.services.preferences import get_preference

    found = get_preference(ctx, "currency")
    if not found:
        raise InvalidInput(
            "Say which currency (--currency GBP), or set yours: "
            "`mentormap config set currency GBP`."
        )
    return found


def _view(expense: Expense, coach: str | None) -> SpendView:
    return SpendView(
        id=expense.id,
        on=expense.spent_on,
        amount=Decimal(expense.amount).quantize(Decimal("0.01")),
        currency=expense.currency,
        category=expense.category,
        person_id=expense.person_id,
        coach=coach,
        note=expense.note,
    )


def add_spend(
    ctx: Ctx,
    amount: str,
    *,
    currency: str | None,
    on: date | None,
    coach: Person | None = None,
    note: str | None = None,
    category: str = "coaching",
) -> SpendView:
    expense = Expense(
        owner_id=ctx.owner_id,
        spent_on=on or ctx.today(),
        amount=parse_amount(amount),
        currency=parse_currency(currency) if currency else default_currency(ctx),
        category=parse_category(category),
        person_id=coach.id if coach else None,
        note=(note or "").strip() or None,
    )
    ctx.session.add(expense)
    ctx.session.flush()
    return _view(expense, coach.name if coach else None)


def get_spend(ctx: Ctx, spend_id: int) -> Expense:
    return get_owned(
        ctx, Expense, spend_id, f"No spending #{spend_id}; see `mentormap spend list`."
    )


def _coach_name(ctx: Ctx, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    return ctx.session.scalar(select(Person.name).where(Person.id == person_id))


def view_of(ctx: Ctx, expense: Expense) -> SpendView:
    return _view(expense, _coach_name(ctx, expense.person_id))


def edit_spend(
    ctx: Ctx,
    expense: Expense,
    *,
    amount: str | None = None,
    currency: str | None = None,
    on: date | None = None,
    coach: Person | None = None,
    no_coach: bool = False,
    note: str | None = None,
    category: str | None = None,
) -> SpendView:
    if amount is not None:
        expense.amount = parse_amount(amount)
    if currency is not None:
        expense.currency = parse_currency(currency)
    if on is not None:
        expense.spent_on = on
    if coach is not None:
        expense.person_id = coach.id
    elif no_coach:
        expense.person_id = None
    if note is not None:
        expense.note = note.strip() or None
    if category is not None:
        expense.category = parse_category(category)
    ctx.session.flush()
    return _view(expense, _coach_name(ctx, expense.person_id))


def remove_spend(ctx: Ctx, expense: Expense) -> SpendView:
    view = _view(expense, _coach_name(ctx, expense.person_id))
    ctx.session.delete(expense)
    ctx.session.flush()
    return view


def list_spend(ctx: Ctx, year: int | None = None) -> list[SpendView]:
    """Newest first; one year's with `year`."""
    query = (
        select(Expense, Person.name)
        .outerjoin(Person, Person.id == Expense.person_id)
        .where(Expense.owner_id == ctx.owner_id)
        .order_by(Expense.spent_on.desc(), Expense.id.desc())
    )
    if year is not None:
        query = query.where(
            Expense.spent_on >= date(year, 1, 1), Expense.spent_on <= date(year, 12, 31)
        )
    return [_view(expense, name) for expense, name in ctx.session.execute(query)]
