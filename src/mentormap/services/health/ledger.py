"""Health areas read from the ledgers: favours (reciprocity) and expenses (money)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select

from mentormap.domain.health import REPORT_BACK_GRACE_DAYS, Area, Finding
from mentormap.domain.vocab import FavourDirection, FavourState
from mentormap.models import Favour, Person
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
    """This year's spending against the budget (services/money/budget.py).

    "Nothing spent" only when nothing was spent this year in any currency: spending in another
    currency than your own is held against a budget in it, or converted at the rate you set.
    """
    from mentormap.services.money.budget import money_summary

    summary = money_summary(ctx, prefs, today)
    home = summary.currency
    own = summary.by_currency.get(home)
    reason = "Put money, not just goodwill, into your skills: a coach or a course goes deep."
    spent_words = ", ".join(
        f"{t.spent} {t.currency}" for t in summary.by_currency.values() if t.spent
    )
    apart = [t for t in summary.by_currency.values() if t.currency in summary.unrated and t.spent]
    findings: list[Finding] = []
    scores: list[int] = []
    if not any(t.budget is not None for t in summary.by_currency.values()):
        findings.append(
            Finding(
                "money",
                "money.budget_unset",
                False,
                "No yearly budget for coaching and courses"
                + (f" ({spent_words} spent this year)" if spent_words else ""),
                reason,
                "Set one: `mentormap config set coaching_budget 1500`.",
            )
        )
        scores.append(40)
    elif not summary.anything_spent:
        budget = own.budget if own and own.budget is not None else None
        of = f" of a {budget} {home} budget" if budget is not None else ""
        findings.append(
            Finding(
                "money",
                "money.nothing_spent",
                False,
                f"Nothing spent this year{of}",
                reason,
                "Pick one skill and book a coach or course for it: `mentormap spend add` "
                "records it.",
            )
        )
        scores.append(30)
    elif summary.total_spent is not None and summary.total_budget is not None:
        findings.append(_against(summary.total_spent, summary.total_budget, home, reason))
        scores.append(_score(summary.total_spent, summary.total_budget))
    else:
        for total in summary.by_currency.values():
            if total.budget is None:
                continue
            findings.append(_against(total.spent, total.budget, total.currency, reason))
            scores.append(_score(total.spent, total.budget))
    for total in apart:
        if total.budget is None:
            scores.append(80)  # counted nowhere until she says what it is worth
            findings.append(
                Finding(
                    "money",
                    "money.unconverted",
                    False,
                    f"{total.spent} {total.currency} spent this year with no budget in "
                    f"{total.currency} and no rate to {home}",
                    "Currencies are kept apart unless you say what one is worth in yours.",
                    f"Say what one {total.currency} is worth in {home}: `mentormap config set "
                    f"rate.{total.currency} RATE`, or set a budget.{total.currency}.",
                )
            )
    score = min(scores) if scores else 100
    if summary.total_spent is not None:
        summary_text = f"{summary.total_spent} {home} on coaching and courses this year" + (
            f" of {summary.total_budget} budgeted." if summary.total_budget is not None else "."
        )
    else:
        summary_text = (
            (spent_words or f"0 {home}") + " on coaching and courses this year, kept apart by "
            "currency (no rate set for " + ", ".join(summary.unrated) + ")."
        )
    spent_home = own.spent if own else Decimal(0)
    area = Area(
        "money",
        "Money",
        score,
        summary_text,
        {
            "currency": home,
            "spent": str(spent_home.quantize(Decimal("0.01"))),
            "budget": str(own.budget) if own and own.budget is not None else None,
            "other_currencies": {
                t.currency: str(t.spent)
                for t in summary.by_currency.values()
                if t.currency != home and t.spent
            },
            "by_currency": {
                t.currency: {
                    "spent": str(t.spent),
                    "budget": str(t.budget) if t.budget is not None else None,
                    "payments": t.sessions,
                }
                for t in summary.by_currency.values()
            },
            "rates": {cur: str(rate) for cur, rate in summary.rates.items()},
            "total_spent": str(summary.total_spent) if summary.total_spent is not None else None,
            "total_budget": (
                str(summary.total_budget) if summary.total_budget is not None else None
            ),
        },
    )
    return area, findings


def _against(spent: Decimal, budget: Decimal, currency: str, reason: str) -> Finding:
    if spent > budget:
        return Finding(
            "money",
            "money.over_budget",
            False,
            f"{spent} {currency} spent this year, over the {budget} {currency} budget",
            "A budget keeps the spending deliberate; choose coaches by personal recommendation.",
            "Review what paid off before booking more, or raise the budget knowingly.",
        )
    return Finding(
        "money",
        "money.within_budget",
        True,
        f"{spent} of {budget} {currency} spent this year ({budget - spent} left)",
        reason,
    )


def _score(spent: Decimal, budget: Decimal) -> int:
    return 70 if spent > budget else 100
