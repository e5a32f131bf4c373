"""Fixed material for the demo network: places, names, companies and note templates."""

from __future__ import annotations

EMPLOYER = "Quokka Labs"  # the demo user's own company
HOME_CITY = "London"

# (city, country, IANA zone, latitude, longitude)
CITIES = [
    ("London", "United Kingdom", "Europe/London", 51.5072, -0.1276),
    ("Sydney", "Australia", "Australia/Sydney", -33.8688, 151.2093),
    ("Melbourne", "Australia", "Australia/Melbourne", -37.8136, 144.9631),
    ("San Francisco", "United States", "America/Los_Angeles", 37.7749, -122.4194),
    ("Seattle", "United States", "America/Los_Angeles", 47.6062, -122.3321),
    ("New York", "United States", "America/New_York", 40.7128, -74.0060),
    ("Toronto", "Canada", "America/Toronto", 43.6532, -79.3832),
    ("Berlin", "Germany", "Europe/Berlin", 52.5200, 13.4050),
    ("Amsterdam", "Netherlands", "Europe/Amsterdam", 52.3676, 4.9041),
    ("Dublin", "Ireland", "Europe/Dublin", 53.3498, -6.2603),
    ("Bengaluru", "India", "Asia/Kolkata", 12.9716, 77.5946),
    ("Singapore", "Singapore", "Asia/Singapore", 1.3521, 103.8198),
    ("Tokyo", "Japan", "Asia/Tokyo", 35.6762, 139.6503),
    ("Cambridge", "United Kingdom", "Europe/London", 52.2053, 0.1218),
]
CITY = {c[0]: c for c in CITIES}

FIRST_NAMES = [
    "Aaliyah",
    "Ben",
    "Carmen",
    "Dev",
    "Elena",
    "Femi",
    "Gita",
    "Hamish",
    "Ines",
    "Jonah",
    "Keiko",
    "Liam",
    "Maya",
    "Nikhil",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
    "Arjun",
    "Bea",
    "Callum",
    "Dina",
    "Erik",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jess",
    "Kofi",
    "Lena",
    "Marco",
    "Noor",
]
LAST_NAMES = [
    "Abbott",
    "Baptiste",
    "Castro",
    "Desai",
    "Eriksen",
    "Fischer",
    "Gallagher",
    "Haddad",
    "Iyer",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nguyen",
    "O'Brien",
    "Petrov",
    "Quintero",
    "Rossi",
    "Sato",
    "Tanaka",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
]
COMPANIES = [
    "Quokka Labs",
    "Harbour Systems",
    "Northwind Cloud",
    "Tessellate",
    "Brightpath",
    "Ferrous AI",
    "Lumen Health",
    "Kestrel Pay",
    "Opal Robotics",
    "Saltmarsh Games",
]
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Engineering Manager",
    "Product Manager",
    "Designer",
    "Data Scientist",
    "SRE",
    "Developer Advocate",
    "CTO",
]
HOW_MET = [
    "Met at a conference hallway track",
    "Worked together on the payments migration",
    "Introduced by a mutual friend",
    "Sat next to each other at a meetup",
    "Same leadership course cohort",
    "Former team-mate",
]
INTERESTS = [
    "climbing",
    "sourdough",
    "distributed systems",
    "choir",
    "cycling",
    "board games",
    "accessibility",
    "sci-fi novels",
    "running",
    "gardening",
]

NOTES = {
    "ping": [
        "Sent a quick hello and a link to that article on incident reviews.",
        "Said hi; she is settling into the new team.",
    ],
    "message": [
        "Swapped notes on the conference schedule.",
        "Asked about the reorg; she replied with a thoughtful summary.",
    ],
    "call": [
        "Talked through the **promotion packet**: focus on scope and influence.",
        "Caught up on family news; the kids started school.",
    ],
    "video": [
        "Reviewed my design doc for the storage tier together.",
        "Discussed how to handle being talked over in design reviews.",
    ],
    "coffee": [
        "Coffee near the office; compared notes on on-call fatigue.",
        "Quick coffee; she recommended a book on technical strategy.",
    ],
    "lunch": [
        "Lunch: she suggested I write up the migration as a case study.",
        "Lunch catch-up; talked about her move and new manager.",
    ],
    "walk": [
        "Walking meeting along the river; talked about saying no to side projects.",
        "Walk and talk about the next-level expectations.",
    ],
    "meetup": ["Ran into each other at the Rust meetup.", "Met at the women-in-tech meetup."],
    "group_session": [
        "Two of us brought pressing problems; made two introductions.",
        "Time-boxed round: scheduling conflicts, a tough 1:1, a CFP draft.",
    ],
    "event": ["Saw each other at the company offsite.", "Both spoke at the regional conference."],
    "highlights_email": ["Sent highlights: shipped the storage migration, gave two talks."],
    "email": ["Re: Slides from the platform meetup"],
}
ADVICE = [
    "Write down your wins every Friday; you will need them for the packet.",
    "When you are ignored in a meeting, restate and attribute: 'building on what I said'.",
    "Pick one strategic project and say no to two smaller ones.",
    "Ask your manager what 'next level' looks like in concrete examples.",
    "Practise the talk out loud three times before the dry run.",
]
ACHIEVEMENTS = [
    ("Shipped the storage-tier migration with zero downtime", "Cut p99 latency by 40%"),
    (
        "Gave a talk on incident reviews at a regional conference",
        "300 attendees; two follow-up invites",
    ),
    ("Led the on-call redesign", "Pages per week down from 30 to 8"),
    ("Mentored two interns to return offers", "Both accepted"),
    ("Wrote the team's technical strategy", "Adopted by the org for next year"),
    ("Published a blog post on time-boxing peer mentoring", "Shared widely internally"),
    ("Drove the cross-team API deprecation", "Retired 14 legacy endpoints"),
    ("Keynoted an internal engineering summit", "Invited back next year"),
    ("Reduced cloud spend on the batch pipeline", "Saved $180k a year"),
    ("Ran the hiring loop calibration", "Time-to-offer down a week"),
]
