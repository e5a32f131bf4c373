"""The demo network's open loops and career records: favours in every state, follow-ups, advice,
achievements, goals, agenda points, news, trips, money and preferences."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from mentormap.domain.vocab import (
    POSITIVE_ACTION_PREFIX,
    POSITIVE_ACTION_RULE,
    FavourDirection,
    FavourKind,
    FavourState,
)
from mentormap.models import (
    Achievement,
    AchievementShare,
    Advice,
    AgendaItem,
    Expense,
    Favour,
    FollowUp,
    Goal,
    LifeEvent,
    Opportunity,
    Person,
    Preference,
    Trip,
)
from mentormap.services.context import Ctx
from mentormap.services.demo.data import ACHIEVEMENTS, ADVICE, CITY, EMPLOYER, HOME_CITY


def add_loops(
    ctx: Ctx, rng: random.Random, today: date, by_name: dict[str, Person], peers: list[Person]
) -> None:
    """Favours in every state, follow-ups, advice, achievements, goals, trips, money."""
    session, owner = ctx.session, ctx.owner_id

    def days_ago(n: int) -> date:
        return today - timedelta(days=n)

    prefs = {
        "employer": EMPLOYER,
        "home_city": HOME_CITY,
        "coaching_budget": "2000",
        "currency": "GBP",
    }
    for key, value in prefs.items():
        if (
            session.scalar(
                select(Preference).where(Preference.owner_id == owner, Preference.key == key)
            )
            is None
        ):
            session.add(Preference(owner_id=owner, key=key, value=value))

    favours = [
        (
            "Chiara Bellini",
            FavourDirection.RECEIVED,
            FavourKind.SPEAKING_SLOT,
            "Recommended me to speak at the Berlin platform conference",
            FavourState.REPORTED_BACK,
            300,
        ),
        (
            "Margaret Okafor",
            FavourDirection.RECEIVED,
            FavourKind.INTRODUCTION,
            "Introduced me to the staff-plus mentoring program lead",
            FavourState.ACTED_ON,
            60,
        ),
        (
            "Margaret Okafor",
            FavourDirection.RECEIVED,
            FavourKind.OTHER,
            "Reviewed my conference talk abstract",
            FavourState.REPORTED_BACK,
            200,
        ),
        (
            "Dana Whitfield",
            FavourDirection.RECEIVED,
            FavourKind.PROJECT,
            "Put my name forward to lead the API deprecation",
            FavourState.RECEIVED,
            12,
        ),
        (
            "Priya Raman",
            FavourDirection.RECEIVED,
            FavourKind.REFERRAL,
            "Shared her promotion packet as an example",
            FavourState.ACTED_ON,
            40,
        ),
        (
            "Aisha Khan",
            FavourDirection.GIVEN,
            FavourKind.RECOMMENDATION,
            "Wrote her a recommendation for the tech lead role",
            FavourState.GIVEN,
            20,
        ),
        (
            "Leo Martins",
            FavourDirection.GIVEN,
            FavourKind.INTRODUCTION,
            "Introduced him to a robotics hiring manager",
            FavourState.GIVEN,
            150,
        ),
        (
            peers[0].name,
            FavourDirection.GIVEN,
            FavourKind.INTRODUCTION,
            "Connected her with a recruiter at Northwind",
            FavourState.GIVEN,
            90,
        ),
    ]
    for name, direction, kind, text, state, ago in favours:
        favour = Favour(
            owner_id=owner,
            person_id=by_name[name].id,
            direction=direction.value,
            kind=kind.value,
            description=text,
            occurred_on=days_ago(ago),
            state=state.value,
        )
        if state in (FavourState.ACTED_ON, FavourState.REPORTED_BACK):
            favour.acted_on = days_ago(ago - 7)
        if state == FavourState.REPORTED_BACK:
            favour.reported_on = days_ago(ago - 20)
        session.add(favour)
        session.flush()
        if state == FavourState.RECEIVED:
            session.add(
                FollowUp(
                    owner_id=owner,
                    person_id=favour.person_id,
                    favour_id=favour.id,
                    title=f"Act on it: {text.lower()}",
                    due_on=days_ago(ago - 14),
                    rule="act_on_favour",
                )
            )
        if state == FavourState.ACTED_ON:
            session.add(
                FollowUp(
                    owner_id=owner,
                    person_id=favour.person_id,
                    favour_id=favour.id,
                    title=f"Tell {name.split()[0]} what came of it",
                    rule="report_back",
                    due_on=days_ago(max(1, ago - 21)),
                )
            )

    follow_ups = [
        ("Priya Raman", "Send Priya the draft promotion packet", 3, "me", "open"),
        ("Jo Nakamura", "Book lunch to debrief the reorg", -5, "me", "open"),
        ("Grace Liu", "Grace to send the team charter template", -10, "them", "open"),
        (
            "Sam Patel",
            f"{POSITIVE_ACTION_PREFIX}ask for the stretch project by Friday",
            2,
            "me",
            "open",
        ),
        ("Ruth Adeyemi", "Record the dry run and send it to Ruth", -40, "me", "done"),
    ]
    for name, title, due_in, owed_by, fu_state in follow_ups:
        session.add(
            FollowUp(
                owner_id=owner,
                person_id=by_name[name].id,
                title=title,
                due_on=today + timedelta(days=due_in),
                owed_by=owed_by,
                state=fu_state,
                rule=POSITIVE_ACTION_RULE if title.startswith(POSITIVE_ACTION_PREFIX) else None,
            )
        )

    for i, text in enumerate(ADVICE):
        name = ["Priya Raman", "Margaret Okafor", "Dana Whitfield", "Priya Raman", "Ruth Adeyemi"][
            i
        ]
        reviewed = i < 3
        session.add(
            Advice(
                owner_id=owner,
                person_id=by_name[name].id,
                text=text,
                given_on=days_ago(200 - i * 35),
                followed=True if reviewed else None,
                helped=(i != 1) if reviewed else None,
                reviewed_on=days_ago(20) if reviewed else None,
            )
        )

    for i, (title, impact) in enumerate(ACHIEVEMENTS):
        achievement = Achievement(
            owner_id=owner, occurred_on=days_ago(700 - i * 72), title=title, impact=impact
        )
        session.add(achievement)
        session.flush()
        if i < 6:
            session.add(
                AchievementShare(
                    owner_id=owner,
                    achievement_id=achievement.id,
                    person_id=by_name["Dana Whitfield"].id,
                    shared_on=achievement.occurred_on + timedelta(days=10),
                )
            )
        if i < 4:
            session.add(
                AchievementShare(
                    owner_id=owner,
                    achievement_id=achievement.id,
                    person_id=by_name["Margaret Okafor"].id,
                    shared_on=achievement.occurred_on + timedelta(days=30),
                )
            )

    goals = [
        ("goal", "Reach Staff Software Engineer", False),
        ("goal", "Speak at three conferences this year", False),
        ("challenge", "Getting credit for cross-team work", True),
        ("challenge", "Saying no to low-leverage requests", True),
    ]
    for goal_kind, title, top in goals:
        session.add(
            Goal(owner_id=owner, kind=goal_kind, title=title, top=top, created_on=days_ago(120))
        )

    for name, text in [
        ("Priya Raman", "Ask how she framed scope in her staff packet"),
        ("Dana Whitfield", "Share the API deprecation results"),
        ("Margaret Okafor", "How to show next-level impact on a new team?"),
    ]:
        session.add(AgendaItem(owner_id=owner, person_id=by_name[name].id, text=text))

    session.add(
        LifeEvent(
            owner_id=owner,
            person_id=by_name["Priya Raman"].id,
            occurred_on=days_ago(50),
            kind="other",
            text="Her daughter started school.",
        )
    )
    session.add(
        LifeEvent(
            owner_id=owner,
            person_id=by_name["Sam Patel"].id,
            occurred_on=days_ago(15),
            text="Training for a half marathon.",
        )
    )
    session.add(
        LifeEvent(
            owner_id=owner,
            person_id=by_name["Chiara Bellini"].id,
            occurred_on=days_ago(4),
            kind="promotion",
            text="Promoted to principal engineer.",
        )
    )
    # Birthdays: one this week with the year known, one next week without it.
    soon, later = today + timedelta(days=2), today + timedelta(days=9)
    by_name["Margaret Okafor"].birthday = f"1968-{soon:%m-%d}"  # a leap year: any day works
    by_name["Sam Patel"].birthday = f"--{later:%m-%d}"

    sydney = CITY["Sydney"]
    session.add(
        Trip(
            owner_id=owner,
            city="Sydney",
            country=sydney[1],
            timezone=sydney[2],
            latitude=sydney[3],
            longitude=sydney[4],
            start_on=today + timedelta(days=8),
            end_on=today + timedelta(days=15),
            note="Team offsite",
        )
    )
    berlin = CITY["Berlin"]
    session.add(
        Trip(
            owner_id=owner,
            person_id=by_name["Chiara Bellini"].id,
            city="London",
            country="United Kingdom",
            timezone="Europe/London",
            latitude=51.5072,
            longitude=-0.1276,
            start_on=today + timedelta(days=3),
            end_on=today + timedelta(days=5),
            note=f"Visiting from {berlin[0]}",
        )
    )

    session.add(
        Opportunity(
            owner_id=owner,
            kind="cfp",
            title="Platform Days CFP",
            deadline=today + timedelta(days=20),
            brought_by_id=by_name["Chiara Bellini"].id,
            created_on=days_ago(5),
        )
    )
    session.add(
        Expense(
            owner_id=owner,
            spent_on=days_ago(60),
            amount=Decimal("450.00"),
            currency="GBP",
            category="coaching",
            person_id=by_name["Ruth Adeyemi"].id,
            note="Three speaking-coach sessions",
        )
    )
    session.add(
        Expense(
            owner_id=owner,
            spent_on=days_ago(100),
            amount=Decimal("300.00"),
            currency="GBP",
            category="course",
            note="Leadership course module",
        )
    )
    session.flush()
