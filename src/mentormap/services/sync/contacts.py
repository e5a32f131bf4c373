"""CardDAV both ways: the address book's cards and the network's people kept in step.

A run:
1. asks the server what changed since the last run (its sync token; without one, every ETag);
2. reads those cards (multiget) and, for each, works out field by field what the person should
   hold, from three values: the card now, the person now, and what both agreed after the last
   run (`sync_cards.synced`). A field changed on one side only takes that side. A field changed
   on both sides to different values is a *conflict*, settled by this rule: the side edited
   later wins (the card's REV against her last edit in mentormap); when the card has no REV,
   mentormap's value wins. Every conflict is listed in the run's report;
3. links a card it has never seen to a person as an import would (email, phone, profile link,
   then name and company: `services/interop/matching.py`), the card filling what she lacks; a
   card that matches no one becomes a new person;
4. archives the person whose card was deleted on the server (her history stays);
5. writes back every card whose person has something the card lacks, and a new card for every
   person not yet in the address book, as vCard 4.0 merged into the server's card: what
   mentormap does not model is kept (`interop/vcard_sync.py`). A card changed on the server
   while the run wrote it (412) is left for the next run, which merges it.

Roles go out as CATEGORIES only when the source asks for it (`--roles-as-categories`); they
never come back in. Labels of emails and phones travel with new values, but a label changed
alone is not a change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import defer

from mentormap.domain.links import UnsafeLink, normalize_link
from mentormap.interop.records import ContactRecord, Labelled, ParseError
from mentormap.interop.vcard import parse_vcards
from mentormap.interop.vcard_sync import FIELD_PROPS, card_rev, card_uid, merge_card
from mentormap.models import (
    Base,
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    Role,
    SyncCard,
    SyncSource,
    utcnow,
)
from mentormap.services.context import Ctx
from mentormap.services.interop.exports import contact_records
from mentormap.services.interop.matching import PeopleIndex
from mentormap.services.people.people import link_kind, normalize_phone
from mentormap.services.sync.dav import Dav, SyncTokenRefused, path_of
from mentormap.services.sync.report import Conflict, SyncReport

FIELDS = tuple(FIELD_PROPS)
LISTS = ("emails", "phones", "links")
SCALARS = ("name", "company", "title", "birthday", "notes", "how_met")
VCARD = "text/vcard"

Fields = dict[str, Any]


@dataclass
class _Side:
    record: ContactRecord
    fields: Fields


def _link(url: str) -> str:
    try:
        return normalize_link(url)
    except UnsafeLink:
        return url


def fields_of(record: ContactRecord) -> Fields:
    """The values compared between the two sides (JSON-able, order-free where order is not kept)."""
    return {
        "name": record.name,
        "emails": sorted({e.value.strip().lower() for e in record.emails}),
        "phones": sorted({normalize_phone(p.value) for p in record.phones}),
        "links": sorted({_link(u) for u in record.links}),
        "company": record.company or None,
        "title": record.title or None,
        "address": [record.city or None, record.country or None],
        "birthday": record.birthday or None,
        "notes": record.notes or None,
        "how_met": record.how_met or None,
        "met_on": record.met_on.isoformat() if record.met_on else None,
    }


def _empty(value: Any) -> bool:
    return value in (None, "", [], [None, None])


def _take(target: ContactRecord, source: ContactRecord, name: str) -> None:
    """Copy one field's values (with their labels) from `source` into `target`."""
    if name == "address":
        target.city, target.country = source.city, source.country
    elif name in LISTS:
        setattr(target, name, list(getattr(source, name)))
    else:
        setattr(target, name, getattr(source, name))


def _union(target: ContactRecord, source: ContactRecord, name: str) -> None:
    seen = {_key(name, item) for item in getattr(target, name)}
    for item in getattr(source, name):
        if _key(name, item) not in seen:
            getattr(target, name).append(item)
            seen.add(_key(name, item))


def _key(name: str, item: Any) -> str:
    if name == "emails":
        return str(item.value).lower()
    if name == "phones":
        return normalize_phone(item.value)
    return _link(item)


def _parse(raw: str) -> ContactRecord | None:
    """The card's person, or None when the card holds nobody (no name, no email)."""
    records = list(parse_vcards(raw))
    return records[0] if records else None


class _Run:
    def __init__(self, ctx: Ctx, source: SyncSource, dav: Dav, report: SyncReport) -> None:
        self.ctx = ctx
        self.source = source
        self.dav = dav
        self.report = report
        self.collection = source.collection_url or ""
        # The stored cards a run needs (those the server changed or deleted, those whose
        # person changed here), read as needed; the card's text only for those written back.
        self.links: dict[str, SyncCard] = {}
        self.by_uid: dict[str, SyncCard] = {}
        self.records: dict[int, ContactRecord] = {}
        self.archived: set[int] = set()
        self.roles: dict[int, list[str]] = {}
        self.unlinked: set[int] = set()  # people not (yet) in this address book
        # Work gathered by the run, written in bulk at the end.
        self.changed_people: dict[int, tuple[ContactRecord, set[str]]] = {}
        self.to_push: list[tuple[SyncCard | None, ContactRecord, int, set[str], str | None]] = []
        self.not_written: list[SyncCard] = []  # cards not written back: tried again
        self.made: set[int] = set()  # people made from new cards

    # --- the local side ------------------------------------------------------------------------

    def read_links(self, where: Any) -> None:
        """Keep the stored cards of this source that `where` picks."""
        for link in self.ctx.session.scalars(
            select(SyncCard)
            .where(SyncCard.source_id == self.source.id, where)
            .options(defer(SyncCard.raw))
        ):
            self.links.setdefault(link.href, link)
            self.by_uid.setdefault(link.uid, link)

    def read_links_in(self, column: Any, values: list[str]) -> None:
        wanted = sorted(set(values))
        for start in range(0, len(wanted), 900):
            self.read_links(column.in_(wanted[start : start + 900]))

    def load_people(self, pids: set[int]) -> None:
        """The contact records (and roles, when they go out) of `pids` not yet read."""
        wanted = {pid for pid in pids if pid not in self.records}
        if not wanted:
            return
        for record in contact_records(self.ctx, wanted):
            self.records[int(record.where.lstrip("#"))] = record
        ids = sorted(wanted)
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            self.archived.update(
                self.ctx.session.scalars(
                    select(Person.id).where(Person.id.in_(chunk), Person.archived.is_(True))
                )
            )
            if self.source.roles_as_categories:
                for pid, key in self.ctx.session.execute(
                    select(Role.person_id, Role.key)
                    .where(Role.person_id.in_(chunk), Role.until.is_(None))
                    .order_by(Role.key)
                ):
                    self.roles.setdefault(pid, []).append(key)

    def local(self, pid: int) -> _Side:
        record = self.records[pid]
        fields = fields_of(record)
        if self.source.roles_as_categories:
            fields["roles"] = self.roles.get(pid, [])
        return _Side(record, fields)

    # --- the run -------------------------------------------------------------------------------

    def changes(self) -> tuple[dict[str, str | None], list[str], str | None]:
        token = self.source.sync_token
        try:
            found = self.dav.changes_since(self.collection, token)
            self.report.incremental = token is not None
            self.read_links_in(SyncCard.href, [*found.changed, *found.deleted])
            return found.changed, found.deleted, found.token
        except SyncTokenRefused:
            pass
        listed = self.dav.etags(self.collection)
        stored = dict(
            self.ctx.session.execute(
                select(SyncCard.href, SyncCard.etag).where(SyncCard.source_id == self.source.id)
            ).tuples()
        )
        self.report.incremental = bool(stored)
        changed = {
            href: etag
            for href, etag in listed.items()
            if href not in stored or etag is None or stored[href] != etag
        }
        deleted = [href for href in stored if href not in listed]
        self.read_links_in(SyncCard.href, [*changed, *deleted])
        return changed, deleted, None

    def run(self, progress: Callable[[int, int], None] | None) -> None:
        changed, deleted, token = self.changes()
        wanted = [
            h
            for h, etag in changed.items()
            if h not in self.links or etag is None or self.links[h].etag != etag
        ]
        fetched = self.dav.fetch(self.collection, "carddav", wanted) if wanted else {}
        uids = {href: card_uid(raw) or href for href, (_etag, raw) in fetched.items()}
        self.read_links_in(SyncCard.uid, [u for h, u in uids.items() if h not in self.links])
        # Who changed here since the last run: the triggers marked her cards (migration 0271).
        # The marks read are taken off before her fields are read, so an edit made while the
        # run goes on marks her card again for the next run instead of being lost.
        self.read_links(SyncCard.changed_here.is_(True))
        self._mark([c.id for c in self.links.values() if c.changed_here], False)
        self.unlinked = set(
            self.ctx.session.scalars(
                select(Person.id).where(
                    Person.owner_id == self.ctx.owner_id,
                    Person.archived.is_(False),
                    Person.id.not_in(
                        select(SyncCard.person_id).where(
                            SyncCard.source_id == self.source.id,
                            SyncCard.person_id.is_not(None),
                        )
                    ),
                )
            )
        )
        linked = {c.person_id for c in self.links.values() if c.person_id is not None}
        self.load_people(linked | self.unlinked)
        for href in deleted:
            self.deleted(path_of(href))
        unmatched: list[tuple[str, str | None, str, ContactRecord]] = []
        for done, (href, (etag, raw)) in enumerate(sorted(fetched.items()), start=1):
            self.report.pulled += 1
            try:
                remote = _parse(raw)
            except ParseError as error:
                self.report.skipped.append(f"{href}: {error.problem} (the card is left alone)")
                continue
            if remote is None:
                self.report.skipped.append(f"{href}: the card holds no name or email")
                continue
            link = self.links.get(href) or self.by_uid.get(uids[href])
            if link is None:
                unmatched.append((href, etag, raw, remote))
            elif link.person_id is None:
                link.href, link.etag, link.raw = href, etag, raw  # deleted in mentormap: left alone
            else:
                self.merge(link, href, etag, raw, remote)
            if progress:
                progress(done, len(fetched))
        self.local_edits(set(fetched))
        if unmatched:
            self.first_links(unmatched)
        self.new_cards()
        self.write_people()
        self.push()
        self.source.sync_token = token
        self.ctx.session.flush()
        # What the run itself wrote to people fired the triggers too: those marks go, but for
        # the cards that could not be written back, which the next run tries again.
        ours = [
            c.id
            for c in self.links.values()
            if c.person_id in self.changed_people or c.person_id in self.made
        ]
        self._mark(ours, False)
        self._mark([c.id for c in self.not_written], True)

    def _mark(self, ids: list[int], changed: bool) -> None:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 900):
            self.ctx.session.execute(
                update(SyncCard)
                .where(SyncCard.id.in_(wanted[start : start + 900]))
                .values(changed_here=changed)
                .execution_options(synchronize_session=False)
            )

    def deleted(self, href: str) -> None:
        link = self.links.pop(href, None)
        if link is None:
            return
        if link.person_id is not None and link.person_id not in self.archived:
            self.ctx.session.execute(
                update(Person)
                .where(Person.id == link.person_id, Person.owner_id == self.ctx.owner_id)
                .values(archived=True)
                .execution_options(synchronize_session=False)
            )
            self.archived.add(link.person_id)
            self.report.archived += 1
        self.by_uid.pop(link.uid, None)
        self.ctx.session.delete(link)

    def merge(
        self, link: SyncCard, href: str, etag: str | None, raw: str, remote: ContactRecord
    ) -> None:
        """Three-way merge of a linked card: the card now, her now, and what both agreed."""
        assert link.person_id is not None
        pid = link.person_id
        if pid not in self.records:
            return
        base: Fields = json.loads(link.synced)
        mine = self.local(pid)
        theirs = _Side(remote, fields_of(remote))
        merged = replace(
            mine.record,
            emails=list(mine.record.emails),
            phones=list(mine.record.phones),
            links=list(mine.record.links),
        )
        from_server: set[str] = set()
        rev = card_rev(raw)
        edited_at = None
        for name in FIELDS:
            b, m, t = base.get(name), mine.fields[name], theirs.fields[name]
            if m == t:
                continue
            if m == b:
                _take(merged, remote, name)
                from_server.add(name)
            elif t == b:
                continue  # changed here only: goes out below
            else:
                if edited_at is None:
                    edited_at = self.ctx.session.scalar(
                        select(Person.updated_at).where(Person.id == pid)
                    )
                server_wins = rev is not None and edited_at is not None and rev > edited_at
                if server_wins:
                    _take(merged, remote, name)
                    from_server.add(name)
                self.report.conflicts.append(
                    Conflict(
                        pid, mine.record.name, name, "server" if server_wins else "mentormap", m, t
                    )
                )
        link.href, link.etag, link.raw = href, etag, raw
        self.settle(link, pid, merged, from_server, theirs.fields, base)

    def settle(
        self,
        link: SyncCard | None,
        pid: int,
        merged: ContactRecord,
        from_server: set[str],
        server_fields: Fields,
        base: Fields | None,
    ) -> None:
        """Keep what the person takes from the card, and queue the card if it lacks something."""
        if from_server:
            self.changed_people[pid] = (merged, from_server)
            self.report.updated += 1
        self.records[pid] = merged
        merged_fields = fields_of(merged)
        to_server = {name for name in FIELDS if merged_fields[name] != server_fields[name]}
        roles_changed = self.source.roles_as_categories and (
            base is None or base.get("roles") != self.roles.get(pid, [])
        )
        if to_server or roles_changed:
            self.to_push.append((link, merged, pid, to_server, link.uid if link else None))
        elif link is not None:
            link.synced = json.dumps(self._agreed(pid, merged_fields))
            link.synced_at = utcnow()

    def _agreed(self, pid: int, fields: Fields) -> Fields:
        if self.source.roles_as_categories:
            return {**fields, "roles": self.roles.get(pid, [])}
        return fields

    def local_edits(self, fetched: set[str]) -> None:
        """Cards the server did not change whose person was edited here: they go out."""
        for href, link in list(self.links.items()):
            pid = link.person_id
            if not link.changed_here or href in fetched or pid is None or pid not in self.records:
                continue
            base: Fields = json.loads(link.synced)
            mine = self.local(pid)
            changed = {name for name in FIELDS if mine.fields[name] != base.get(name)}
            if changed or mine.fields.get("roles", []) != base.get("roles", []):
                self.to_push.append((link, mine.record, pid, changed, link.uid))

    def first_links(self, cards: list[tuple[str, str | None, str, ContactRecord]]) -> None:
        """Cards never seen: matched to people as an import matches them, or new people."""
        from mentormap.services.interop.imports import _apply_contacts, _Pending

        index = PeopleIndex.load(self.ctx)
        pending: dict[int, _Pending] = {}
        new_cards: list[tuple[int, str, str | None, str, ContactRecord]] = []
        next_new = -1
        taken: set[int] = set()
        for href, etag, raw, remote in cards:
            emails = [e.value for e in remote.emails]
            phones = [p.value for p in remote.phones]
            match = index.match(remote.name, remote.company, emails, phones, remote.links)
            if match is None:
                pid = next_new
                next_new -= 1
                index.add_name(pid, remote.name, remote.company)
                pending[pid] = _Pending(pid, remote.name)
            else:
                pid = match.person_id
            index.add_keys(pid, emails, phones, remote.links)
            if pid < 0 and pid not in taken:
                pending[pid].take(remote)
                taken.add(pid)
            new_cards.append((pid, href, etag, raw, remote))
        self.load_people({pid for pid, *_rest in new_cards if pid > 0})
        if pending:
            _apply_contacts(self.ctx, list(pending.values()), None)
            self.report.created += len(pending)
        real = {p_old: item.pid for p_old, item in pending.items()}
        self.made.update(real.values())
        for pid, href, etag, raw, remote in new_cards:
            pid = real.get(pid, pid)
            link = SyncCard(
                owner_id=self.ctx.owner_id,
                source_id=self.source.id,
                person_id=pid,
                href=href,
                uid=card_uid(raw) or href,
                etag=etag,
                raw=raw,
                synced="{}",
            )
            self.ctx.session.add(link)
            self.links[href] = link
            self.by_uid[link.uid] = link
            if pid not in self.records:  # just made from this card
                self.records[pid] = replace(remote, where=f"#{pid}")
                link.synced = json.dumps(self._agreed(pid, fields_of(remote)))
                if self.source.roles_as_categories and self.roles.get(pid):
                    self.to_push.append((link, self.records[pid], pid, set(), link.uid))
                continue
            # An existing person: the card fills what she lacks, lists join (as an import does).
            mine = self.local(pid)
            merged = replace(
                mine.record,
                emails=list(mine.record.emails),
                phones=list(mine.record.phones),
                links=list(mine.record.links),
            )
            from_server: set[str] = set()
            for name in FIELDS:
                value = fields_of(remote)[name]
                if _empty(value) or mine.fields[name] == value:
                    continue
                if name in LISTS:
                    _union(merged, remote, name)
                    from_server.add(name)
                elif _empty(mine.fields[name]):
                    _take(merged, remote, name)
                    from_server.add(name)
            self.settle(link, pid, merged, from_server, fields_of(remote), None)

    def new_cards(self) -> None:
        """A card for each person not archived and not yet in this address book."""
        linked = {c.person_id for c in self.links.values()}
        for pid in sorted(self.unlinked):
            if pid in linked or pid in self.archived or pid not in self.records:
                continue
            self.to_push.append((None, self.records[pid], pid, set(FIELDS), None))

    def write_people(self) -> None:
        """What the server brought, for every person it changed, in a few statements."""
        if not self.changed_people:
            return
        owner = self.ctx.owner_id
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        lists: dict[str, list[int]] = {name: [] for name in LISTS}
        for pid, (record, names) in self.changed_people.items():
            values: dict[str, Any] = {}
            for name in names:
                if name in LISTS:
                    lists[name].append(pid)
                elif name == "address":
                    values["city"], values["country"] = record.city, record.country
                elif name == "met_on":
                    values["met_on"] = record.met_on
                else:
                    values[name] = getattr(record, name)
            if values:
                by_columns.setdefault(tuple(sorted(values)), []).append({"id": pid, **values})
        for rows in by_columns.values():
            self.ctx.session.execute(update(Person), rows)
        tables: dict[str, Any] = {"emails": PersonEmail, "phones": PersonPhone, "links": PersonLink}
        for name, pids in lists.items():
            if not pids:
                continue
            model = tables[name]
            for start in range(0, len(pids), 900):
                self.ctx.session.execute(
                    delete(model).where(model.person_id.in_(pids[start : start + 900])),
                    execution_options={"synchronize_session": False},
                )
            rows = [
                row for pid in pids for row in _rows(name, owner, pid, self.changed_people[pid][0])
            ]
            if rows:
                self.ctx.session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)

    def push(self) -> None:
        now = self.ctx.now()
        role_keys = frozenset(_role_keys())
        base_path = path_of(self.collection).rstrip("/") + "/"
        for link, record, pid, changed, uid in self.to_push:
            new = link is None
            card_uid_ = uid or str(uuid.uuid4())
            href = link.href if link else base_path + card_uid_ + ".vcf"
            roles = self.roles.get(pid, []) if self.source.roles_as_categories else None
            body = merge_card(
                link.raw if link else None, record, card_uid_, changed, now, roles, role_keys
            )
            status, etag = self.dav.put(
                href, body, etag=link.etag if link else None, new=new, content_type=VCARD
            )
            if status == 412:
                self.report.skipped.append(
                    f"{record.name}: the card changed on the server during the run; "
                    "the next run merges it"
                )
                if link is not None:
                    self.not_written.append(link)
                continue
            if status not in (200, 201, 204):
                self.report.skipped.append(f"{record.name}: the server refused the card ({status})")
                if link is not None:
                    self.not_written.append(link)
                continue
            self.report.pushed += 1
            if link is None:
                link = SyncCard(
                    owner_id=self.ctx.owner_id,
                    source_id=self.source.id,
                    person_id=pid,
                    href=href,
                    uid=card_uid_,
                    raw=body,
                    synced="{}",
                )
                self.ctx.session.add(link)
                self.links[href] = link
            link.etag = etag
            link.raw = body
            link.synced = json.dumps(self._agreed(pid, fields_of(record)))
            link.synced_at = utcnow()


def _role_keys() -> list[str]:
    from mentormap.domain.roles import RoleKey

    return [key.value for key in RoleKey]


def _rows(name: str, owner: int, pid: int, record: ContactRecord) -> list[dict[str, Any]]:
    if name == "emails":
        seen: dict[str, str | None] = {}
        for e in record.emails:
            seen.setdefault(e.value.strip().lower(), e.label)
        return [
            {"owner_id": owner, "person_id": pid, "email": v, "label": lab}
            for v, lab in seen.items()
        ]
    if name == "phones":
        phones: dict[str, Labelled] = {}
        for p in record.phones:
            phones.setdefault(normalize_phone(p.value), p)
        return [
            {
                "owner_id": owner,
                "person_id": pid,
                "phone": p.value,
                "normalized": n,
                "label": p.label,
            }
            for n, p in phones.items()
        ]
    links: dict[str, str] = {}
    for url in record.links:
        try:
            normalized = normalize_link(url)
        except UnsafeLink:
            continue
        links.setdefault(normalized, link_kind(normalized))
    return [{"owner_id": owner, "person_id": pid, "kind": k, "url": u} for u, k in links.items()]


def sync_contacts(
    ctx: Ctx,
    source: SyncSource,
    dav: Dav,
    report: SyncReport,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    if not source.collection_url:
        source.collection_url = dav.discover("carddav")
    _Run(ctx, source, dav, report).run(progress)
    return report
