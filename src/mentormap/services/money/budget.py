"""This year's spending against the yearly budget, per currency and (with rates) in total.

Amounts in different currencies are never added up on a guess: each currency keeps its own
total, held against a budget in that currency (`coaching_budget` for your own `currency`,
`budget.EUR` for another). Once you give a rate for every currency you spent or budgeted in
(`rate.EUR 0.86`: one euro is worth 0.86 of yours), there is also one total in your currency,
summed by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Numeric, case, cast, func, literal, select

from mentormap.models import Expense
from mentormap.services.context import Ctx
from mentormap.services.money.spend import BUDGETED
from mentormap.services.preferences import per_currency

CENT = Decimal("0.01")


@dataclass
class CurrencyTotal:
    currency: str
    spent: Decimal
    budget: Decimal | None
    sessions: int  # how many payments


@dataclass
class MoneySummary:
    year: int
    currency: str  # your own (the `currency` setting, else the one you spend in)
    by_currency: dict[str, CurrencyTotal] = field(default_factory=dict)
    rates: dict[str, Decimal] = field(default_factory=dict)
    # In your currency, when every currency spent or budgeted in has a rate; else None.
    total_spent: Decimal | None = None
    total_budget: Decimal | None = None
    unrated: list[str] = field(default_factory=list)  # currencies kept apart for want of a rate

    @property
    def anything_spent(self) -> bool:
        return any(t.spent > 0 for t in self.by_currency.values())


def _budgeted_this_year(ctx: Ctx, today: date) -> list[ColumnElement[bool]]:
    return [
        Expense.owner_id == ctx.owner_id,
        Expense.spent_on >= date(today.year, 1, 1),
        Expense.spent_on <= today,
        Expense.category.in_([c.value for c in BUDGETED]),
    ]


def money_summary(ctx: Ctx, prefs: dict[str, str], today: date) -> MoneySummary:
    where = _budgeted_this_year(ctx, today)
    rows = ctx.session.execute(
        select(Expense.currency, func.sum(Expense.amount), func.count())
        .where(*where)
        .group_by(Expense.currency)
    ).all()
    spent = {cur: Decimal(str(total or 0)).quantize(CENT) for cur, total, _n in rows}
    counts = {cur: int(n) for cur, _total, n in rows}
    home = prefs.get("currency") or (next(iter(spent)) if len(spent) == 1 else "USD")
    budgets = per_currency(prefs, "budget")
    if prefs.get("coaching_budget"):
        budgets[home] = Decimal(prefs["coaching_budget"])
    rates = {cur: rate for cur, rate in per_currency(prefs, "rate").items() if cur != home}
    summary = MoneySummary(year=today.year, currency=home, rates=rates)
    for cur in sorted({*spent, *budgets}, key=lambda c: (c != home, c)):
        summary.by_currency[cur] = CurrencyTotal(
            cur, spent.get(cur, Decimal(0)).quantize(CENT), budgets.get(cur), counts.get(cur, 0)
        )
    summary.unrated = [cur for cur in summary.by_currency if cur != home and cur not in rates]
    if not summary.unrated:
        summary.total_spent = _converted_total(ctx, where, home, rates)
        if budgets:
            summary.total_budget = sum(
                (amount * (rates.get(cur) or 1) for cur, amount in budgets.items()), Decimal(0)
            ).quantize(CENT)
    return summary


def _converted_total(
    ctx: Ctx, where: list[ColumnElement[bool]], home: str, rates: dict[str, Decimal]
) -> Decimal:
    """This year's budgeted spending in your currency, each amount times its rate, in SQL."""
    factor = (
        case(
            *(
                (Expense.currency == cur, cast(literal(str(rate)), Numeric(18, 6)))
                for cur, rate in rates.items()
            ),
            else_=cast(literal("1"), Numeric(18, 6)),
        )
        if rates
        else cast(literal("1"), Numeric(18, 6))
    )
    total = ctx.session.scalar(
        select(func.sum(Expense.amount * factor)).where(
            *where,
            Expense.currency.in_([home, *rates]),
        )
    )
    return Decimal(str(total or 0)).quantize(CENT)
