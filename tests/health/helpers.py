"""Small builders for hand-made networks in the health tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mentormap.models import Expense, Favour, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction, refresh_last_contact
from mentormap.services.people.people import add_person
from mentormap.services.people.roles import give_role
from mentormap.services.preferences import set_preference
from tests.conftest import TODAY


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def someone(
    ctx: Ctx, name: str, *roles: str, company: str | None = None, since: int = 400
) -> Person:
    person = add_person(ctx, name, company=company)
    for role in roles:
        give_role(ctx, person, role, since=ago(since))
    return person


def talk(ctx: Ctx, people: list[Person], days_ago: int, kind: str = "coffee") -> None:
    log_interaction(ctx, people, kind=kind, on=ago(days_ago))
    refresh_last_contact(ctx, [p.id for p in people])


def favour(
    ctx: Ctx, person: Person, direction: str, state: str, days_ago: int, kind: str = "introduction"
) -> None:
    ctx.session.add(
        Favour(
            owner_id=ctx.owner_id,
            person_id=person.id,
            direction=direction,
            kind=kind,
            description="a favour",
            occurred_on=ago(days_ago),
            state=state,
        )
    )
    ctx.session.flush()


def spend(
    ctx: Ctx, amount: str, days_ago: int, currency: str = "GBP", category: str = "coaching"
) -> None:
    ctx.session.add(
        Expense(
            owner_id=ctx.owner_id,
            spent_on=ago(days_ago),
            amount=Decimal(amount),
            currency=currency,
            category=category,
        )
    )
    ctx.session.flush()


def prefs(ctx: Ctx, **values: str) -> None:
    for key, value in values.items():
        set_preference(ctx, key, value)
