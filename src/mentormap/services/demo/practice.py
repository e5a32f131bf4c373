"""The demo network's practice records: prospects across the stages, opportunities in each
status (some from the champion, one accepted, one passed to a mentee), office hours, failure
stories, and what the user noted of her mentees."""

from __future__ import annotations

from datetime import date, timedelta

from mentormap.models import (
    FailureStory,
    MenteeNote,
    OfficeHour,
    Opportunity,
    OpportunityPass,
    Person,
    Prospect,
)
from mentormap.services.context import Ctx

PROSPECTS = (
    ("Jo Nakamura", "champion", "noticed", "Shares every meetup CFP in the team chat", 6),
    ("Hiro Tanaka", "visionary", "in_touch", "Built a games studio's platform from scratch", 40),
    ("Dana Whitfield", "sponsor", "asked_advice", "Backs people for the API deprecation lead", 90),
    ("Grace Liu", "sponsor", "role_given", "Put my name forward for the reorg design", 300),
)
# title, kind, brought by, status, deadline (days from today), created (days ago)
OPPORTUNITIES = (
    ("Berlin platform conference talk", "cfp", "Chiara Bellini", "done", -250, 320),
    ("DevOps Days London talk", "cfp", "Chiara Bellini", "accepted", -30, 70),
    ("Internal engineering summit talk", "cfp", None, "done", -120, 150),
    ("LeadDev CFP", "cfp", None, "declined", -60, 90),
    ("Staff-plus mentoring program", "program", "Margaret Okafor", "applied", 9, 40),
    ("API deprecation working group", "project", "Dana Whitfield", "considering", 12, 10),
    ("Open-source maintainer grant", "program", "Chiara Bellini", "considering", 30, 8),
)
PASSED = ("Open-source maintainer grant", "Aisha Khan", "Her payments SDK fits it well")
HOURS = ((1, "16:00", "17:00", "Video, 30 minutes each"), (3, "08:30", "09:30", None))
STORIES = (
    (
        "My first conference talk ran ten minutes over and the demo failed",
        "Rehearse with a timer, and keep a recorded demo ready",
    ),
    (
        "I waited a year to ask for the promotion I was already doing the job of",
        "Say what you want out loud; your sponsor cannot push for what she does not know",
    ),
)
MENTEE_NOTES = (
    ("Aisha Khan", "goal", "Become tech lead on the payments team", 30),
    ("Aisha Khan", "achievement", "Led the incident review after the card outage", 12),
    ("Leo Martins", "achievement", "First talk at the Toronto robotics meetup", 20),
)


def add_practice(ctx: Ctx, today: date, by_name: dict[str, Person]) -> None:
    session, owner = ctx.session, ctx.owner_id

    def days_ago(n: int) -> date:
        return today - timedelta(days=n)

    for name, as_, stage, why, ago in PROSPECTS:
        session.add(
            Prospect(
                owner_id=owner,
                person_id=by_name[name].id,
                as_role=as_,
                stage=stage,
                why=why,
                noticed_on=days_ago(ago),
                moved_on=days_ago(ago // 3),
            )
        )
    made: dict[str, Opportunity] = {}
    for title, kind, by, status, deadline, created in OPPORTUNITIES:
        made[title] = Opportunity(
            owner_id=owner,
            kind=kind,
            title=title,
            deadline=today + timedelta(days=deadline),
            brought_by_id=by_name[by].id if by else None,
            status=status,
            created_on=days_ago(created),
        )
        session.add(made[title])
    session.flush()
    title, mentee, note = PASSED
    session.add(
        OpportunityPass(
            owner_id=owner,
            opportunity_id=made[title].id,
            person_id=by_name[mentee].id,
            passed_on=days_ago(3),
            note=note,
        )
    )
    for weekday, start, end, hour_note in HOURS:
        session.add(
            OfficeHour(
                owner_id=owner, weekday=weekday, starts_at=start, ends_at=end, note=hour_note
            )
        )
    for index, (text, lesson) in enumerate(STORIES):
        session.add(
            FailureStory(owner_id=owner, text=text, lesson=lesson, created_on=days_ago(200 - index))
        )
    for name, kind, text, ago in MENTEE_NOTES:
        session.add(
            MenteeNote(
                owner_id=owner,
                person_id=by_name[name].id,
                kind=kind,
                text=text,
                noted_on=days_ago(ago),
            )
        )
    session.flush()
