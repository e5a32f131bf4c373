"""A realistic demo network built from the seed's world; the same seed gives the same network."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from sqlalchemy import func, select

from mentormap.db import refresh_statistics
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.domain.vocab import InteractionKind
from mentormap.errors import InvalidInput
from mentormap.models import (
    Person,
)
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction, refresh_last_contact
from mentormap.services.demo.data import (
    CITIES,
    CITY,
    COMPANIES,
    EMPLOYER,
    FIRST_NAMES,
    HOW_MET,
    INTERESTS,
    LAST_NAMES,
    NOTES,
    TITLES,
)
from mentormap.services.demo.loops import add_loops
from mentormap.services.demo.practice import add_practice
from mentormap.services.people.groups import add_member, create_group
from mentormap.services.people.people import add_person
from mentormap.services.people.roles import give_role
from mentormap.services.people.tags import set_attribute

MIN_SIZE = 30
MAX_SIZE = 10_000  # names run out near 28,000; beyond a few thousand a demo shows nothing new


@dataclass(frozen=True)
class Cast:
    name: str
    role: RoleKey
    city: str
    company: str
    title: str
    note: str | None = None
    fmt: str | None = None
    time_of_day: str | None = None
    drift: float = 1.0  # >1: she has been neglected lately


CORE = [
    Cast(
        "Priya Raman",
        RoleKey.ROLE_MODEL,
        "Sydney",
        "Harbour Systems",
        "Staff Engineer",
        fmt="video call",
        time_of_day="early morning (her evening)",
    ),
    Cast(
        "Margaret Okafor",
        RoleKey.VISIONARY,
        "San Francisco",
        "Northwind Cloud",
        "VP Engineering",
        fmt="highlights email, then a 30-minute call",
        drift=1.6,
    ),
    Cast(
        "Chiara Bellini",
        RoleKey.CHAMPION,
        "Berlin",
        "Tessellate",
        "Principal Engineer",
        note="CFPs and speaker recommendations",
        fmt="message",
    ),
    Cast(
        "Dana Whitfield",
        RoleKey.SPONSOR,
        "London",
        EMPLOYER,
        "Director of Engineering",
        fmt="coffee",
        time_of_day="morning",
    ),
    Cast(
        "Sam Patel",
        RoleKey.FRIEND,
        "London",
        "Lumen Health",
        "Designer",
        fmt="walk",
        time_of_day="evening",
    ),
    Cast(
        "Jo Nakamura",
        RoleKey.WORK_FRIEND,
        "London",
        EMPLOYER,
        "Senior Software Engineer",
        fmt="lunch",
        time_of_day="lunch",
    ),
    Cast(
        "Ruth Adeyemi",
        RoleKey.COACH,
        "Dublin",
        "Independent",
        "Speaking coach",
        note="Conference talk delivery",
    ),
    Cast(
        "Aisha Khan",
        RoleKey.MENTEE,
        "Bengaluru",
        "Kestrel Pay",
        "Software Engineer",
        fmt="video call",
        time_of_day="afternoon",
    ),
    Cast("Leo Martins", RoleKey.MENTEE, "Toronto", "Opal Robotics", "Software Engineer"),
    Cast("Hiro Tanaka", RoleKey.CONTACT, "Tokyo", "Saltmarsh Games", "CTO", drift=3.0),
    Cast(
        "Grace Liu", RoleKey.SPONSOR, "Seattle", "Northwind Cloud", "Engineering Manager", drift=2.5
    ),
    Cast(
        "Olivia Brandt",
        RoleKey.FRIEND,
        "Melbourne",
        "Brightpath",
        "Product Manager",
        fmt="call",
        time_of_day="evening",
        drift=2.2,
    ),
]
PEERS = [
    ("Nadia Haddad", "London"),
    ("Tom Eriksen", "Amsterdam"),
    ("Marcus Webb", "London"),
    ("Ines Moreau", "Cambridge"),
    ("Kwame Mensah", "Dublin"),
    ("Ben Sato", "London"),
]
KINDS_BY_ROLE = {
    RoleKey.FRIEND: ["call", "walk", "lunch", "message"],
    RoleKey.WORK_FRIEND: ["lunch", "coffee", "message"],
    RoleKey.ROLE_MODEL: ["video", "call"],
    RoleKey.VISIONARY: ["video", "highlights_email"],
    RoleKey.CHAMPION: ["message", "ping", "event"],
    RoleKey.SPONSOR: ["coffee", "meetup", "message"],
    RoleKey.COACH: ["video"],
    RoleKey.MENTEE: ["video", "message", "coffee"],
    RoleKey.CONTACT: ["ping", "message", "lunch", "meetup", "event"],
    RoleKey.PEER: ["coffee", "message"],
}


def _clock(rng: random.Random) -> time:
    return time(rng.choice([8, 9, 10, 12, 13, 15, 17, 18]), rng.choice([0, 15, 30, 45]))


def build_demo(ctx: Ctx, size: int = 80, seed: int = 7, force: bool = False) -> dict[str, int]:
    """Fill the database with a demo network of `size` people; refuse a non-empty one."""
    if size < MIN_SIZE:
        raise InvalidInput(f"The demo needs at least {MIN_SIZE} people.")
    if size > MAX_SIZE:
        raise InvalidInput(f"The demo makes at most {MAX_SIZE:,} people; ask for fewer.")
    existing = ctx.session.scalar(
        select(func.count()).select_from(Person).where(Person.owner_id == ctx.owner_id)
    )
    if existing and not force:
        raise InvalidInput(
            f"This database already holds {existing} people; "
            "use --force to add the demo anyway, or point --db at a new file."
        )
    rng = random.Random(seed)
    today = ctx.today()
    start = today - timedelta(days=730)
    people: list[tuple[Person, RoleKey, float]] = []

    def place(city: str) -> dict[str, Any]:
        _, country, zone, lat, lon = CITY[city]
        return {
            "city": city,
            "country": country,
            "timezone": zone,
            "latitude": lat,
            "longitude": lon,
        }

    def email_for(name: str, company: str) -> str:
        local = name.lower().replace("'", "").replace(".", "").replace(" ", ".")
        domain = company.lower().replace(" ", "") + ".example"
        return f"{local}@{domain}"

    for cast in CORE:
        person = add_person(
            ctx,
            cast.name,
            emails=[email_for(cast.name, cast.company)],
            company=cast.company,
            title=cast.title,
            how_met=rng.choice(HOW_MET),
            met_on=start - timedelta(days=rng.randint(30, 900)),
            interests=", ".join(rng.sample(INTERESTS, 2)),
            preferred_format=cast.fmt,
            preferred_time=cast.time_of_day,
            **place(cast.city),
        )
        give_role(
            ctx,
            person,
            cast.role,
            since=start - timedelta(days=rng.randint(0, 200)),
            note=cast.note,
        )
        people.append((person, cast.role, cast.drift))
    # Every role on one person somewhere: Dana is also a mentor-ish role model.
    give_role(ctx, people[3][0], RoleKey.ROLE_MODEL, since=start)
    # A second coach whose engagement ended.
    resume = add_person(
        ctx, "Tom Hughes", company="Independent", title="Resume writer", **place("Dublin")
    )
    give_role(ctx, resume, RoleKey.COACH, since=start, note="Resume rewrite")

    group = create_group(
        ctx,
        "Leadership circle",
        cadence_days=30,
        session_minutes=60,
        note="From the leadership course; monthly, one hour.",
    )
    peers = []
    for name, city in PEERS:
        company = rng.choice(COMPANIES[1:])
        peer = add_person(
            ctx,
            name,
            emails=[email_for(name, company)],
            company=company,
            title=rng.choice(TITLES),
            how_met="Same leadership course cohort",
            **place(city),
        )
        add_member(ctx, group, peer, since=start - timedelta(days=60))
        peers.append(peer)
        people.append((peer, RoleKey.PEER, 1.0))

    used = {c.name for c in CORE} | {n for n, _ in PEERS} | {"Tom Hughes"}
    contacts_needed = size - len(used)
    never_contacted = max(3, contacts_needed // 10)
    # Plain first + last names are drawn first (so small demos stay as they always were); once
    # nine in ten of those are taken, a middle initial makes room for thousands more.
    plain_names = len(FIRST_NAMES) * len(LAST_NAMES)
    plain_used = 0
    while contacts_needed > 0:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        if name in used and plain_used >= plain_names * 9 // 10:
            name = f"{first} {rng.choice(string.ascii_uppercase)}. {last}"
        if name in used:
            continue
        plain_used += name == f"{first} {last}"
        used.add(name)
        city = rng.choice(CITIES)[0]
        company = rng.choice(COMPANIES)
        person = add_person(
            ctx,
            name,
            emails=[email_for(name, company)],
            company=company,
            title=rng.choice(TITLES),
            how_met=rng.choice(HOW_MET),
            **place(city),
        )
        give_role(ctx, person, RoleKey.CONTACT, since=start - timedelta(days=rng.randint(0, 400)))
        drift = 99.0 if never_contacted > 0 else rng.choice([0.8, 1.0, 1.2, 2.0, 3.0])
        never_contacted -= 1
        people.append((person, RoleKey.CONTACT, drift))
        contacts_needed -= 1

    interactions = 0
    for person, role, drift in people:
        if drift >= 99 or role == RoleKey.PEER:
            continue
        cadence = CATALOGUE[role].cadence_days or 45
        day = start + timedelta(days=rng.randint(0, cadence))
        # Neglected people stop getting attention some time ago.
        stop = today - timedelta(days=int(cadence * (drift - 1))) if drift > 1 else today
        while day <= stop:
            kind = rng.choice(KINDS_BY_ROLE[role])
            direction = "outbound" if kind in ("ping", "highlights_email") else "mutual"
            if role == RoleKey.MENTEE and kind == "message":
                direction = "inbound"
            log_interaction(
                ctx,
                [person],
                kind=kind,
                on=day,
                at=_clock(rng),
                direction=direction,
                notes=rng.choice(NOTES[kind]),
                source="demo",
            )
            interactions += 1
            day += timedelta(days=max(3, int(cadence * rng.uniform(0.7, 1.3))))

    # Monthly peer sessions with most members present.
    day = start + timedelta(days=5)
    while day <= today - timedelta(days=3):
        present = rng.sample(peers, rng.randint(4, 6))
        log_interaction(
            ctx,
            [],
            absent=[p for p in peers if p not in present],
            kind=InteractionKind.GROUP_SESSION,
            on=day,
            at=time(18, 0),
            group=group,
            notes=rng.choice(NOTES["group_session"]),
            source="demo",
        )
        interactions += 1
        day += timedelta(days=rng.randint(26, 35))

    by_name = {p.name: p for p, _, _ in people}
    by_name["Tom Hughes"] = resume
    # One of every remaining kind, so the demo shows the whole vocabulary.
    for kind in InteractionKind:
        log_interaction(
            ctx,
            [by_name["Sam Patel"]],
            kind=kind,
            on=today - timedelta(days=400 + rng.randint(0, 200)),
            notes=rng.choice(NOTES[kind.value]),
            source="demo",
        )
        interactions += 1
    # An inbound question from a mentee, waiting for a reply.
    log_interaction(
        ctx,
        [by_name["Aisha Khan"]],
        kind="message",
        direction="inbound",
        on=today - timedelta(days=2),
        needs_reply=True,
        source="demo",
        notes="Friendly update on her project, and a question tucked in at the end: "
        "should she apply for the tech lead role?",
    )
    interactions += 1

    # A perspective dimension the user recorded by hand. As in the seed essay, the network is
    # mostly women, and the peer group is where the men's view comes from.
    men = {"Hiro Tanaka", "Leo Martins", "Tom Hughes", "Tom Eriksen", "Marcus Webb", "Ben Sato"}
    for name in [c.name for c in CORE] + [p.name for p in peers] + ["Tom Hughes"]:
        set_attribute(ctx, by_name[name], "gender", "man" if name in men else "woman")
    add_loops(ctx, rng, today, by_name, peers)
    add_practice(ctx, today, by_name)
    refresh_last_contact(ctx, [p.id for p in by_name.values()])
    total = ctx.session.scalar(
        select(func.count()).select_from(Person).where(Person.owner_id == ctx.owner_id)
    )
    refresh_statistics(ctx.session.connection())
    return {"people": int(total or 0), "interactions": interactions}
