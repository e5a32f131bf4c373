"""What came of champions' tips: the opportunities they brought that were accepted or done,
counted in SQL and credited by name ("2 of your 6 talks came from …")."""

from __future__ import annotations

from sqlalchemy import func, select

from mentormap.domain.health import Finding
from mentormap.domain.practice import CAME_OF_IT, credit_line
from mentormap.models import Opportunity, Person
from mentormap.services.context import Ctx

CREDITS_SHOWN = 3


def champion_credits(ctx: Ctx) -> list[Finding]:
    """One finding per person whose tips came to something, most first (kinds kept apart)."""
    came = (Opportunity.owner_id == ctx.owner_id, Opportunity.status.in_(CAME_OF_IT))
    totals = dict(
        ctx.session.execute(
            select(Opportunity.kind, func.count()).where(*came).group_by(Opportunity.kind)
        ).all()
    )
    rows = ctx.session.execute(
        select(Opportunity.kind, Person.name, func.count().label("n"))
        .join(Person, Person.id == Opportunity.brought_by_id)
        .where(*came)
        .group_by(Opportunity.kind, Person.id, Person.name)
        .order_by(func.count().desc(), Person.name, Opportunity.kind)
        .limit(CREDITS_SHOWN)
    ).all()
    return [
        Finding(
            "reciprocity",
            "reciprocity.champion_credit",
            True,
            credit_line(count, totals[kind], kind, name),
            "A champion's tips are worth telling them about: say what came of each, and thank "
            "them.",
        )
        for kind, name, count in rows
    ]
