"""Calendar events become interactions with the people who were there.

Who was there: attendees matched by email first; then people whose full name appears in the
event title or as an attendee's display name; then a first name right after "with" ("Coffee
with Priya") when exactly one person in the network has it. An event with nobody from the
network is skipped, and so are planned (future), cancelled and declined ones. The event UID
(plus the date for a repeat) is kept on the interaction, so importing again adds nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from itertools import pairwise
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from mentormap.interop.records import EventRecord
from mentormap.models import Interaction, InteractionParticipant, Person, PersonEmail
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import refresh_last_contact
from mentormap.services.interop.matching import normalize_name

if TYPE_CHECKING:
    from mentormap.services.interop.plan import ImportPlan, Progress

SOURCE = "ics"
KIND_WORDS = (
    ("lunch", "lunch"),
    ("coffee", "coffee"),
    ("walk", "walk"),
    ("dinner", "meetup"),
    ("drinks", "meetup"),
    ("zoom", "video"),
    ("meet.google", "video"),
    ("teams", "video"),
    ("video", "video"),
    ("call", "call"),
    ("phone", "call"),
    ("conference", "event"),
    ("meetup", "meetup"),
)


def guess_kind(event: EventRecord) -> str:
    text = " ".join(filter(None, (event.summary, event.location))).lower()
    for word, kind in KIND_WORDS:
        if word in text:
            return kind
    return "meetup"


class _Names:
    """Full names and unambiguous first names of the owner's people, normalised."""

    def __init__(self, ctx: Ctx) -> None:
        self.full: dict[str, set[int]] = defaultdict(set)
        firsts: dict[str, set[int]] = defaultdict(set)
        rows = ctx.session.execute(
            select(Person.id, Person.name).where(
                Person.owner_id == ctx.owner_id, Person.archived.is_(False)
            )
        )
        for pid, name in rows:
            normalized = normalize_name(name)
            if not normalized:
                continue
            self.full[normalized].add(pid)
            firsts[normalized.split(" ", 1)[0]].add(pid)
        self.first = {name: next(iter(ids)) for name, ids in firsts.items() if len(ids) == 1}
        self.emails: dict[str, int] = {
            email: pid
            for email, pid in ctx.session.execute(
                select(PersonEmail.email, PersonEmail.person_id).where(
                    PersonEmail.owner_id == ctx.owner_id
                )
            )
        }

    def in_text(self, text: str) -> set[int]:
        tokens = normalize_name(text).split()
        found: set[int] = set()
        for size in (4, 3, 2, 1):
            for start in range(len(tokens) - size + 1):
                ids = self.full.get(" ".join(tokens[start : start + size]))
                if ids and len(ids) == 1:
                    found |= ids
        if not found:
            for before, word in pairwise(tokens):
                if before == "with" and word in self.first:
                    found.add(self.first[word])
        return found

    def people(self, event: EventRecord) -> set[int]:
        found = {self.emails[e] for e in event.attendee_emails if e in self.emails}
        for name in event.attendee_names:
            ids = self.full.get(normalize_name(name))
            if ids and len(ids) == 1:
                found |= ids
        return found | self.in_text(event.summary)


def _imported(ctx: Ctx, uids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(uids), 900):
        found.update(
            ctx.session.scalars(
                select(Interaction.external_uid).where(
                    Interaction.owner_id == ctx.owner_id,
                    Interaction.external_uid.in_(uids[start : start + 900]),
                )
            )
        )
    return found


def import_events(
    ctx: Ctx, events: list[EventRecord], plan: ImportPlan, progress: Progress | None = None
) -> ImportPlan:
    from mentormap.services.interop.plan import PlanItem

    names = _Names(ctx)
    done_before = _imported(ctx, [e.uid for e in events])
    today = ctx.today()
    zone = ctx.settings.timezone
    rows: list[tuple[EventRecord, list[int]]] = []
    seen: set[str] = set()
    for event in events:
        title = event.summary or "(no title)"
        local_day = event.start.replace(tzinfo=UTC).astimezone(zone).date()
        skip = event.skipped
        if skip is None and event.uid in done_before | seen:
            skip = "already imported"
        elif skip is None and local_day > today:
            skip = "planned, not happened yet"
        people: list[int] = []
        if skip is None:
            people = sorted(names.people(event))
            if not people:
                skip = "nobody from your network"
        if skip:
            plan.items.append(PlanItem("skipped", title, event.where, skip))
            continue
        seen.add(event.uid)
        rows.append((event, people))
        plan.items.append(
            PlanItem(
                "new",
                title,
                event.where,
                f"{local_day.isoformat()} with {len(people)} "
                + ("person" if len(people) == 1 else "people"),
            )
        )
    if plan.dry_run or not rows:
        return plan
    owner = ctx.owner_id
    touched: set[int] = set()
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        ids = ctx.session.scalars(
            insert(Interaction).returning(Interaction.id, sort_by_parameter_order=True),
            [
                {
                    "owner_id": owner,
                    "occurred_at": event.start,
                    "occurred_on": event.start.replace(tzinfo=UTC).astimezone(zone).date(),
                    "kind": guess_kind(event),
                    "direction": "mutual",
                    "location": (event.location or "")[:200] or None,
                    "notes": event.summary or None,
                    "external_uid": event.uid,
                    "source": SOURCE,
                }
                for event, _ in batch
            ],
        ).all()
        ctx.session.execute(
            insert(InteractionParticipant),
            [
                {"owner_id": owner, "interaction_id": iid, "person_id": pid}
                for iid, (_, people) in zip(ids, batch, strict=True)
                for pid in people
            ],
        )
        for _, people in batch:
            touched.update(people)
        if progress:
            progress(min(start + 2000, len(rows)), len(rows))
    refresh_last_contact(ctx, sorted(touched))
    return plan
