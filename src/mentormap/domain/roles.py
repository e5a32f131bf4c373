"""The role catalogue: the different people a career needs, in our own words.

Facts (cadences, what each role is for, its pitfalls) follow the seed essay "Some Thoughts On
Mentoring"; the wording is mentormap's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RoleKey(StrEnum):
    FRIEND = "friend"
    WORK_FRIEND = "work_friend"
    PEER = "peer"
    ROLE_MODEL = "role_model"
    VISIONARY = "visionary"
    COACH = "coach"
    CHAMPION = "champion"
    SPONSOR = "sponsor"
    MENTEE = "mentee"
    CONTACT = "contact"


@dataclass(frozen=True)
class RoleInfo:
    key: RoleKey
    label: str
    who: str
    # None: nobody chases this role on a clock (a mentee reaches out; a coach is hired per task).
    cadence_days: int | None
    good_for: tuple[str, ...]
    watch_out: tuple[str, ...]
    bring: tuple[str, ...]
    next_action: str
    time_box_minutes: int
    # Where several roles apply, the lower rank is named first (closest or most career-critical).
    rank: int


CONTACT_CADENCE_DAYS = 182

CATALOGUE: dict[RoleKey, RoleInfo] = {
    info.key: info
    for info in (
        RoleInfo(
            key=RoleKey.FRIEND,
            label="Friend",
            who="A friend outside work: the one you ring on a day you leave the office upset.",
            cadence_days=14,
            good_for=(
                "Knows the most about your life, trivial details included.",
                "Is firmly on your side.",
                "Room to vent; then you each name one positive step to take.",
            ),
            watch_out=(
                "A more senior friend is a friend first and a career adviser second.",
                "Friends may soften hard truths and tell you what you hope to hear.",
                "Notice unhealthy dynamics, such as discomfort with your success.",
            ),
            bring=(
                "Whatever is weighing on you: let it out.",
                "Then agree one positive action each, and check on it next time.",
            ),
            next_action="Call or meet up; vent, then commit to one positive action each.",
            time_box_minutes=60,
            rank=0,
        ),
        RoleInfo(
            key=RoleKey.WORK_FRIEND,
            label="Work friend",
            who="A colleague you also see away from work.",
            cadence_days=14,
            good_for=("Shares your company context, so confidential tangles need no explaining.",),
            watch_out=(
                "Being colleagues does not make you friends; choose with care.",
                "Some matters (harassment, for one) may oblige a colleague to report; "
                "talk those through with someone outside the company first.",
            ),
            bring=("The company-specific puzzle you cannot take anywhere else.",),
            next_action="Suggest lunch or a drink away from the office.",
            time_box_minutes=45,
            rank=3,
        ),
        RoleInfo(
            key=RoleKey.PEER,
            label="Peer mentor",
            who="A member of your peer mentoring group.",
            cadence_days=30,
            good_for=(
                "Many viewpoints at once, including ones your network otherwise lacks.",
                "Widens your network; members often connect each other to people.",
            ),
            watch_out=(
                "Peers may not have the experience to advise on every problem.",
                "Finding a time that suits everyone is hard.",
                "Keep time: an hour shared by six is ten minutes each, if you start on time.",
            ),
            bring=(
                "Your most pressing problem, stated briefly.",
                "Connections or information you can offer the others.",
            ),
            next_action="Propose the next group session date.",
            time_box_minutes=60,
            rank=5,
        ),
        RoleInfo(
            key=RoleKey.ROLE_MODEL,
            label="Role model",
            who="A mentor who holds the job you want in the medium term.",
            cadence_days=30,
            good_for=(
                "Proof that your next step is reachable, from someone relatable.",
                "Spots longer-term trends in you that close friends miss.",
                "Has usually beaten similar challenges not long ago.",
            ),
            watch_out=(
                "Busy people: you do the work of scheduling.",
                "Lead with highlights; do not ramble.",
                "Not every piece of advice fits you.",
            ),
            bring=(
                "Your one or two biggest current challenges, in some depth.",
                "What changed since last time, in highlights.",
            ),
            next_action="Book a catch-up around their diary; bring your top one or two challenges.",
            time_box_minutes=45,
            rank=2,
        ),
        RoleInfo(
            key=RoleKey.VISIONARY,
            label="Career visionary",
            who="A far-away mentor whose career is well beyond where you aim.",
            cadence_days=91,
            good_for=(
                "The big picture: high-level questions whose answers steer the next months.",
                "What next-level evidence looks like; heuristics for hard situations.",
                "Can open doors, such as places in programs.",
            ),
            watch_out=(
                "Almost no time: plan ahead and never bring an emergency.",
                "They cannot follow your day to day, so keep questions strategic.",
                "May be too far removed from where you are.",
                "Do not ask for too much: time, favours or anything else.",
            ),
            bring=(
                "Two or three strategic questions decided in advance.",
                "Highlights since you last spoke; if they are busy, send them by email instead.",
            ),
            next_action="Send a short highlights email, or book a strategic catch-up well ahead.",
            time_box_minutes=30,
            rank=1,
        ),
        RoleInfo(
            key=RoleKey.COACH,
            label="Coach",
            who="A paid specialist for one task: a speaking coach, a resume writer.",
            cadence_days=None,
            good_for=(
                "Deep expertise on one specific task.",
                "A fresh pair of eyes.",
            ),
            watch_out=(
                "Many offer coaching; check the fit, ideally through a personal recommendation.",
                "May know little about your field.",
                "Budget money, not just goodwill.",
            ),
            bring=("The task, what good looks like, and your deadline.",),
            next_action="Book the next session of the engagement, with the task in hand.",
            time_box_minutes=60,
            rank=6,
        ),
        RoleInfo(
            key=RoleKey.CHAMPION,
            label="Champion",
            who="Someone who pushes you along one axis: sends CFPs, recommends you as a speaker.",
            cadence_days=91,
            good_for=("Opportunities on that one axis.",),
            watch_out=("Thank them, and say what came of what they sent.",),
            bring=(
                "News of what came of their last tip.",
                "Thanks, specifically.",
            ),
            next_action="Send a note: what came of their last tip, and thanks.",
            time_box_minutes=30,
            rank=4,
        ),
        RoleInfo(
            key=RoleKey.SPONSOR,
            label="Sponsor",
            who="Someone who advocates for you and gets you the next project or opportunity.",
            cadence_days=30,
            good_for=(
                "The largest effect on a career: a sponsor spends reputation on you.",
                "You cannot sign up for one; you find and cultivate them.",
            ),
            watch_out=(
                "Peers may resent it.",
                "Bring achievements, not problems (unless they are also a mentor or friend).",
            ),
            bring=(
                "Achievements since you last shared them, without overdoing it.",
                "Thanks for what they did for you.",
            ),
            next_action="Share a recent achievement, and thank them for their last push.",
            time_box_minutes=30,
            rank=1,
        ),
        RoleInfo(
            key=RoleKey.MENTEE,
            label="Mentee",
            who="Someone you mentor: they reach out, you answer quickly.",
            cadence_days=None,
            good_for=("Paying it forward; people help those who visibly help others.",),
            watch_out=(
                "Make clear you want to make time, and say which schedule works.",
                "Listen; the real concern can take twenty minutes to surface.",
                "Answer even a question tucked into a friendly email.",
            ),
            bring=(
                "Their open concerns, and questions about the wider context.",
                "A failure story of your own, if it fits.",
                "Achievements of theirs to praise, and whether you can sponsor them.",
            ),
            next_action="Reply promptly and offer a time.",
            time_box_minutes=45,
            rank=3,
        ),
        RoleInfo(
            key=RoleKey.CONTACT,
            label="Contact",
            who="Everyone else you keep in touch with.",
            cadence_days=CONTACT_CADENCE_DAYS,
            good_for=("A wide, warm network: news, introductions, serendipity.",),
            watch_out=("A long silence is fine; a quick hello revives it.",),
            bring=("A question about their news.",),
            next_action="Ping to say hi; suggest lunch when you are in the same city.",
            time_box_minutes=30,
            rank=9,
        ),
    )
}


def role_info(key: str) -> RoleInfo:
    return CATALOGUE[RoleKey(key)]


def parse_role(value: str) -> RoleKey:
    from mentormap.domain.vocab import parse_choice

    return parse_choice(RoleKey, value, "role")
