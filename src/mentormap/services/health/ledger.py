"""Health areas read from the ledgers: favours (reciprocity) and expenses (money)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from mentormap.domain.health import REPORT_BACK_GRACE_DAYS, Area, Finding
from mentormap.domain.vocab import FavourDirection, FavourState
from mentormap.models import Expense, Favour, Person
from mentormap.services.context import Ctx


def reciprocity(ctx: Ctx, today: date) -> tuple[Area, list[Finding]]:
    year_ago = today - timedelta(days=365)
    grace = today - timedelta(days=REPORT_BACK_GRACE_DAYS)
    rows = ctx.session.execute(
        select(
            Favour.direction,
            Favour.state,
            Favour.kind,
            func.count(),
            func.sum(case((Favour.occurred_on >= year_ago, 1), else_=0)),
            func.sum(case((Favour.occurred_on <= grace, 1), else_=0)),
        )
        .where(Favour.owner_id == ctx.owner_id)
        .group_by(Favour.direction, Favour.state, Favour.kind)
    ).all()
    received = given = reported = given_year = intros_year = overdue = 0
    for direction, state, kind, count, in_year, old in rows:
        if direction == FavourDirection.RECEIVED:
            received += count
            if state == FavourState.REPORTED_BACK:
                reported += count
            else:
                overdue += int(old or 0)
        else:
            given += count
            given_year += int(in_year or 0)
            if kind == "introduction":
                intros_year += int(in_year or 0)
    open_names: list[str] = []
    if overdue:
        # The people owed a report the longest. (GROUP BY, not DISTINCT with an ORDER BY on
        # a column outside the select list, which PostgreSQL rightly refuses.)
        open_names = list(
            ctx.session.scalars(
                select(Person.name)
                .join(Favour, Favour.person_id == Person.id)
                .where(
                    Favour.owner_id == ctx.owner_id,
                    Favour.direction == FavourDirection.RECEIVED.value,
                    Favour.state != FavourState.REPORTED_BACK.value,
                    Favour.occurred_on <= grace,
                )
                .group_by(Person.name)
                .order_by(func.min(Favour.occurred_on), Person.name)
                .limit(3)
            )
        )
    balanced = received < 2 or given * 2 >= received
    findings = [
        Finding(
            "reciprocity",
            "reciprocity.balance",
            balanced,
            f"{received} favours received, {given} given",
            "Helping back — information, introductions — keeps a network willing to help you.",
            None if balanced else "Look for one way to be useful to someone who helped you.",
        ),
        Finding(
            "reciprocity",
            "reciprocity.report_back",
            overdue == 0,
            f"{overdue} favours received and not yet reported back"
            + (f" ({', '.join(open_names)})" if open_names else ""),
            "When someone does you a favour, follow it up and tell them that you did.",
            None if overdue == 0 else f"Tell {open_names[0]} what came of their help.",
        ),
        Finding(
            "reciprocity",
            "reciprocity.paying_forward",
            given_year > 0,
            f"{given_year} favours given this year, {intros_year} of them introductions",
            "Being someone who pays it forward makes others keen to help you.",
            None if given_year else "Make one introduction for a mentee or peer this month.",
        ),
    ]
    parts = [
        min(1.0, given * 2 / received) if received else 1.0,
        reported / received if received else 1.0,
        1.0 if given_year else 0.0,
    ]
    area = Area(
        "reciprocity",
        "Reciprocity",
        round(100 * sum(parts) / len(parts)),
        f"{received} received ({reported} reported back), {given} given "
        f"({given_year} this year, {intros_year} introductions).",
        {
            "received": received,
            "reported_back": reported,
            "given": given,
            "given_this_year": given_year,
            "introductions_this_year": intros_year,
        },
    )
    return area, findings


def money(ctx: Ctx, prefs: dict[str, str], today: date) -> tuple[Area, list[Finding]]:
    currency = prefs.get("currency", "USD")
    budget = Decimal(prefs["coaching_budget"]) if prefs.get("coaching_budget") else None
    rows = ctx.session.execute(
        select(Expense.currency, Expense.category, func.sum(Expense.amount))
        .where(
            Expense.owner_id == ctx.owner_id,
            Expense.spent_on >= date(today.year, 1, 1),
            Expense.spent_on <= today,
            Expense.category.in_(["coaching", "course"]),
        )
        .group_by(Expense.currency, Expense.category)
    ).all()
    spent = sum((Decimal(total) for cur, _cat, total in rows if cur == currency), Decimal(0))
    other = {cur: str(total) for cur, _cat, total in rows if cur != currency}
    reason = "Put money, not just goodwill, into your skills: a coach or a course goes deep."
    if budget is None:
        finding = Finding(
            "money",
            "money.budget_unset",
            False,
            f"No yearly budget for coaching and courses ({spent} {currency} spent this year)",
            reason,
            "Set one: `mentormap config set coaching_budget 1500`.",
        )
        score = 40
    elif spent == 0:
        finding = Finding(
            "money",
            "money.nothing_spent",
            False,
            f"Nothing spent this year of a {budget} {currency} budget",
            reason,
            "Pick one skill and book a coach or course for it.",
        )
        score = 30
    elif spent > budget:
        finding = Finding(
            "money",
            "money.over_budget",
            False,
            f"{spent} {currency} spent this year, over the {budget} {currency} budget",
            "A budget keeps the spending deliberate; choose coaches by personal recommendation.",
            "Review what paid off before booking more, or raise the budget knowingly.",
        )
        score = 70
    else:
        finding = Finding(
            "money",
            "money.within_budget",
            True,
            f"{spent} of {budget} {currency} spent this year ({budget - spent} left)",
            reason,
        )
        score = 100
    area = Area(
        "money",
        "Money",
        score,
        f"{spent} {currency} on coaching and courses this year"
        + (f" of {budget} budgeted." if budget is not None else "."),
        {
            "currency": currency,
            "spent": str(spent),
            "budget": str(budget) if budget is not None else None,
            "other_currencies": other,
        },
    )
    return area, [finding]
