"""Finding people entered twice, and folding each set into one person."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.interop.matching import COMPANY_SCORE, NAME_SCORE, PeopleIndex
from mentormap.services.people.merge import merge_people


@dataclass
class DuplicateRef:
    id: int
    name: str
    company: str | None


@dataclass
class DuplicateSet:
    keep: DuplicateRef  # the oldest entry: the others fold into it
    others: list[DuplicateRef]
    reasons: list[str]


class _Sets:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[tuple[int, int], str] = {}

    def find(self, x: int) -> int:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def join(self, a: int, b: int, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.reasons[(min(a, b), max(a, b))] = reason


def find_duplicates(ctx: Ctx) -> list[DuplicateSet]:
    """Sets of people who share an email, a phone or a profile link, or whose name (and
    employer, when both are known) match closely. Blocked by surname, so it stays fast."""
    from rapidfuzz import fuzz, process

    from mentormap.models import PersonEmail, PersonLink, PersonPhone
    from mentormap.services.interop.matching import IDENTITY_LINKS, _usable_phone

    owner = ctx.owner_id
    sets = _Sets()
    keyed = (
        (
            "email",
            select(PersonEmail.email, PersonEmail.person_id).where(PersonEmail.owner_id == owner),
        ),
        (
            "phone",
            select(PersonPhone.normalized, PersonPhone.person_id).where(
                PersonPhone.owner_id == owner
            ),
        ),
        (
            "profile link",
            select(PersonLink.url, PersonLink.person_id).where(
                PersonLink.owner_id == owner, PersonLink.kind.in_(IDENTITY_LINKS)
            ),
        ),
    )
    for label, query in keyed:
        first_seen: dict[str, int] = {}
        for key, pid in ctx.session.execute(query):
            key = key.lower().rstrip("/")
            if label == "phone" and not _usable_phone(key):
                continue
            if key in first_seen and first_seen[key] != pid:
                sets.join(first_seen[key], pid, f"same {label} {key}")
            first_seen.setdefault(key, pid)
    index = PeopleIndex()
    for pid, name, company in ctx.session.execute(
        select(Person.id, Person.name, Person.company).where(Person.owner_id == owner)
    ):
        index.add_name(pid, name, company)
    for ids in index.blocks.values():
        if len(ids) < 2:
            continue
        names = [index.names[pid][0] for pid in ids]
        for i, name in enumerate(names[:-1]):
            near = process.extract(
                name,
                names[i + 1 :],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_SCORE,
                limit=None,
            )
            for _choice, score, offset in near:
                a, b = ids[i], ids[i + 1 + offset]
                company_a, company_b = index.names[a][1], index.names[b][1]
                if company_a and company_b:
                    if fuzz.token_set_ratio(company_a, company_b) < COMPANY_SCORE:
                        continue
                    sets.join(a, b, "same name and company")
                elif score == 100:
                    sets.join(a, b, "same name")
    members: dict[int, list[int]] = defaultdict(list)
    for pid in list(sets.parent):
        members[sets.find(pid)].append(pid)
    if not members:
        return []
    everyone = {m for group in members.values() for m in group} | set(members)
    refs = {
        pid: DuplicateRef(pid, name, company)
        for pid, name, company in ctx.session.execute(
            select(Person.id, Person.name, Person.company).where(Person.id.in_(everyone))
        )
    }
    by_root: dict[int, set[str]] = defaultdict(set)
    for (a, _b), reason in sets.reasons.items():
        by_root[sets.find(a)].add(reason)
    found = []
    for root, group in sorted(members.items()):
        ids = sorted(set(group) | {root})
        reasons = sorted(by_root[root])
        found.append(DuplicateSet(refs[ids[0]], [refs[i] for i in ids[1:]], reasons))
    return found


def merge_duplicates(ctx: Ctx, sets: list[DuplicateSet]) -> int:
    """Fold every set into its oldest person; returns how many people were folded in."""
    merged = 0
    for duplicate in sets:
        keep = ctx.session.get(Person, duplicate.keep.id)
        assert keep is not None
        for other_ref in duplicate.others:
            other = ctx.session.get(Person, other_ref.id)
            if other is not None:
                keep = merge_people(ctx, keep, other)
                merged += 1
    return merged
