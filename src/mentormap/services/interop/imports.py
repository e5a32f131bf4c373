"""Taking contacts and calendar history in: read a file, plan what changes, then apply the plan.

An import is all-or-nothing: the first bad record stops it (`BadRecord`, whose message says
that `--skip-bad` exists) and nothing is written. With `skip_bad` every bad record is left out
and listed in the plan instead. A bad *field* never stops anything: the parsers leave it out
and the plan lists a warning naming the record and line. The plan says, record
by record, whether it makes a new person, updates one (adding only what she lacks: existing
values are never overwritten), merges into a person met earlier in the same file, or is skipped,
and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from mentormap.db import refresh_statistics
from mentormap.domain.links import UnsafeLink, normalize_link
from mentormap.errors import InvalidInput
from mentormap.interop.records import (
    BadRecord,
    ContactRecord,
    EventRecord,
    ParseError,
    ParseWarning,
)
from mentormap.models import Base, Person, PersonEmail, PersonLink, PersonPhone
from mentormap.services.context import Ctx
from mentormap.services.interop.matching import PeopleIndex
from mentormap.services.interop.plan import ImportPlan, PlanItem, Progress
from mentormap.services.people.people import link_kind, normalize_phone

FILLABLE = ("company", "title", "city", "country", "how_met", "met_on", "birthday", "notes")
CONTACT_FORMATS = ("vcard", "linkedin", "google", "csv")
BATCH = 2000
BULK = 1000  # records from which an import refreshes the planner's statistics
EMPTY = dict.fromkeys(FILLABLE)


# --- reading -----------------------------------------------------------------------------------


def read_file(
    ctx: Ctx,
    data: bytes,
    *,
    fmt: str | None = None,
    mapping: Iterable[str] = (),
    me: Iterable[str] = (),
    since: date | None = None,
    on_error: Callable[[ParseError], None] | None = None,
    on_warning: Callable[[ParseWarning], None] | None = None,
) -> tuple[str, Iterator[ContactRecord] | Iterator[EventRecord]]:
    """(format, records) of a file: the format is detected from the content unless given."""
    from mentormap.interop.detect import FORMATS, decode, detect_format

    text = decode(data, on_warning)
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    specs = list(mapping)
    chosen = fmt or ("csv" if specs else detect_format(text))
    if specs and chosen != "csv":
        raise InvalidInput("--map works with --format csv only.")
    if chosen == "vcard":
        from mentormap.interop.vcard import parse_vcards

        return chosen, parse_vcards(text, on_error, on_warning)
    if chosen == "linkedin":
        from mentormap.interop.linkedin import parse_linkedin

        return chosen, parse_linkedin(text, on_error, on_warning)
    if chosen == "google":
        from mentormap.interop.google_csv import parse_google

        return chosen, parse_google(text, on_error, on_warning)
    if chosen == "csv":
        from mentormap.interop.csv_generic import parse_csv, parse_mapping

        return chosen, parse_csv(text, parse_mapping(specs), on_error, on_warning)
    from mentormap.interop.ics import parse_ics

    first = since or ctx.today() - timedelta(days=365)
    own = list(me) + _my_emails(ctx)
    return chosen, parse_ics(
        text,
        zone=ctx.settings.timezone,
        window=(first, ctx.today()),
        me=own,
        on_error=on_error,
        on_warning=on_warning,
    )


def _my_emails(ctx: Ctx) -> list[str]:
    """The user's own addresses, if she keeps them as the `email` preference."""
    from mentormap.services.preferences import get_preference

    value = get_preference(ctx, "email")
    return [part.strip().lower() for part in (value or "").replace(";", ",").split(",") if part]


def import_file(
    ctx: Ctx,
    data: bytes,
    *,
    fmt: str | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    mapping: Iterable[str] = (),
    me: Iterable[str] = (),
    since: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, plan and (unless `dry_run`) apply; a bad record raises ParseError unless skip_bad."""
    bad: list[ParseError] = []
    warnings: list[ParseWarning] = []
    chosen, records = read_file(
        ctx,
        data,
        fmt=fmt,
        mapping=mapping,
        me=me,
        since=since,
        on_error=bad.append if skip_bad else _stop,
        on_warning=warnings.append,
    )
    items = list(records)  # parse everything first: a bad record stops us before any write
    plan = ImportPlan(format=chosen, dry_run=dry_run, warnings=[str(w) for w in warnings])
    for error in bad:
        plan.items.append(PlanItem("skipped", "?", error.where, f"unreadable: {error.problem}"))
        plan.bad_records.append(str(error))
    if chosen in CONTACT_FORMATS:
        import_contacts(ctx, items, plan, progress)  # type: ignore[arg-type]
    else:
        from mentormap.services.interop.calendar_import import import_events

        import_events(ctx, items, plan, progress)  # type: ignore[arg-type]
    plan.items.sort(key=_position)  # unreadable records in their place in the file
    if not dry_run and len(items) >= BULK:
        refresh_statistics(ctx.session.connection())
    return plan


def _stop(error: ParseError) -> None:
    """Without skip_bad the first bad record stops the import, and says how to go on."""
    raise BadRecord(error.where, error.problem) from None


def _position(item: PlanItem) -> int:
    found = re.search(r"\d+", item.where)
    return int(found.group()) if found else 0


# --- contacts ----------------------------------------------------------------------------------


@dataclass
class _Pending:
    """A person to create (id < 0) or to complete (id > 0), with what the records bring."""

    pid: int
    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    emails: dict[str, str | None] = field(default_factory=dict)
    phones: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # normalized -> raw
    links: dict[str, str] = field(default_factory=dict)  # normalized -> kind

    def take(self, record: ContactRecord, known: dict[str, Any] | None = None) -> list[str]:
        """Add what the record has and the person lacks; return what was added."""
        added: list[str] = []
        current = known or {}
        for name in FILLABLE:
            value = getattr(record, name)
            if value in (None, "") or current.get(name) not in (None, ""):
                continue
            if self.fields.get(name) in (None, ""):
                self.fields[name] = value
                added.append(name.replace("_", " "))
        for email in record.emails:
            if email.value not in self.emails and email.value not in current.get("emails", ()):
                self.emails[email.value] = email.label
                added.append("email")
        for phone in record.phones:
            normalized = normalize_phone(phone.value)
            if normalized not in self.phones and normalized not in current.get("phones", ()):
                self.phones[normalized] = (phone.value, phone.label)
                added.append("phone")
        for url in record.links:
            try:
                normalized = normalize_link(url)  # the parsers have dropped the unsafe ones
            except UnsafeLink:
                continue
            if normalized not in self.links and normalized not in current.get("links", ()):
                self.links[normalized] = link_kind(normalized)
                added.append("link")
        return list(dict.fromkeys(added))


def import_contacts(
    ctx: Ctx, records: list[ContactRecord], plan: ImportPlan, progress: Progress | None = None
) -> ImportPlan:
    index = PeopleIndex.load(ctx)
    matches = []
    pending: dict[int, _Pending] = {}
    next_new = -1
    first_where: dict[int, str] = {}
    # Pass 1: decide who each record is, in the file's order, so in-file duplicates fold in.
    for record in records:
        emails = [e.value for e in record.emails]
        phones = [p.value for p in record.phones]
        match = index.match(record.name, record.company, emails, phones, record.links)
        if match is None:
            pid = next_new
            next_new -= 1
            index.add_name(pid, record.name, record.company)
            pending[pid] = _Pending(pid, record.name)
            first_where[pid] = record.where
        else:
            pid = match.person_id
        index.add_keys(pid, emails, phones, record.links)
        matches.append((record, match, pid))
    known = _known(ctx, _existing(matches))
    # Pass 2: what each record brings.
    for record, match, pid in matches:
        if pid < 0:
            item = pending[pid]
            added = item.take(record)
            if match is None:
                plan.items.append(PlanItem("new", record.name, record.where, "not in your network"))
            else:
                reason = f"same person as {first_where[pid]} (by {match.how})"
                if added:
                    reason += "; adds " + ", ".join(added)
                plan.items.append(PlanItem("merged", record.name, record.where, reason))
            continue
        assert match is not None
        item = pending.setdefault(pid, _Pending(pid, known[pid]["name"]))
        added = item.take(record, known[pid])
        reason = f"matches {known[pid]['name']} (#{pid}) by {match.how}"
        if match.also:
            others = ", ".join(
                f"#{other}" if other > 0 else first_where.get(other, "an earlier record")
                for other in match.also
            )
            reason += f"; also looks like {others}: see `mentormap people duplicates`"
        if added:
            plan.items.append(
                PlanItem(
                    "updated", record.name, record.where, reason + "; adds " + ", ".join(added), pid
                )
            )
        else:
            plan.items.append(
                PlanItem("skipped", record.name, record.where, reason + "; nothing new", pid)
            )
    if not plan.dry_run:
        _apply_contacts(ctx, list(pending.values()), progress)
    return plan


def _existing(matches: list[tuple[ContactRecord, Any, int]]) -> list[int]:
    return sorted({pid for _, _, pid in matches if pid > 0})


def _known(ctx: Ctx, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Current fields, emails, phones and links of the matched people, a few queries per 900."""
    known: dict[int, dict[str, Any]] = {}
    columns = [getattr(Person, name) for name in FILLABLE]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in ctx.session.execute(
            select(Person.id, Person.name, *columns).where(Person.id.in_(chunk))
        ):
            known[row[0]] = {
                "name": row[1],
                **dict(zip(FILLABLE, row[2:], strict=True)),
                "emails": set(),
                "phones": set(),
                "links": set(),
            }
        for pid, email in ctx.session.execute(
            select(PersonEmail.person_id, PersonEmail.email).where(PersonEmail.person_id.in_(chunk))
        ):
            known[pid]["emails"].add(email)
        for pid, phone in ctx.session.execute(
            select(PersonPhone.person_id, PersonPhone.normalized).where(
                PersonPhone.person_id.in_(chunk)
            )
        ):
            known[pid]["phones"].add(phone)
        for pid, url in ctx.session.execute(
            select(PersonLink.person_id, PersonLink.url).where(PersonLink.person_id.in_(chunk))
        ):
            known[pid]["links"].add(url)
    return known


def _apply_contacts(ctx: Ctx, pending: list[_Pending], progress: Progress | None) -> None:
    """Write the plan in batches: bulk inserts and updates, no flush per person."""
    from mentormap.services.search.index import paused

    # Their search entries are made at the end, in one statement per 5,000 people.
    with paused(ctx, "person", len(pending)) as written:
        _write_contacts(ctx, pending, progress)
        written.update(p.pid for p in pending)


def _write_contacts(ctx: Ctx, pending: list[_Pending], progress: Progress | None) -> None:
    owner = ctx.owner_id
    session = ctx.session
    new = [p for p in pending if p.pid < 0]
    changed = [p for p in pending if p.pid > 0]
    total = len(new) + len(changed)
    done = 0
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        people = Base.metadata.tables[Person.__tablename__]
        ids = session.scalars(
            insert(people).returning(people.c.id, sort_by_parameter_order=True),
            # Every row needs the same keys for one executemany.
            [{"owner_id": owner, "name": p.name, **EMPTY, **p.fields} for p in batch],
        ).all()
        for item, pid in zip(batch, ids, strict=True):
            item.pid = pid
        _insert_keys(ctx, batch)
        done += len(batch)
        if progress:
            progress(done, total)
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for item in batch:
            if item.fields:
                by_fields.setdefault(tuple(sorted(item.fields)), []).append(
                    {"id": item.pid, **item.fields}
                )
        for rows in by_fields.values():
            session.execute(update(Person), rows)
        _insert_keys(ctx, batch)
        done += len(batch)
        if progress:
            progress(done, total)


def _insert_keys(ctx: Ctx, batch: list[_Pending]) -> None:
    owner = ctx.owner_id
    emails = [
        {"owner_id": owner, "person_id": p.pid, "email": email, "label": label}
        for p in batch
        for email, label in p.emails.items()
    ]
    phones = [
        {"owner_id": owner, "person_id": p.pid, "phone": raw, "normalized": norm, "label": label}
        for p in batch
        for norm, (raw, label) in p.phones.items()
    ]
    links = [
        {"owner_id": owner, "person_id": p.pid, "kind": kind, "url": url}
        for p in batch
        for url, kind in p.links.items()
    ]
    # Core inserts (not ORM bulk): a plain executemany, the cheapest path for big imports.
    for model, rows in ((PersonEmail, emails), (PersonPhone, phones), (PersonLink, links)):
        if rows:
            ctx.session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)
