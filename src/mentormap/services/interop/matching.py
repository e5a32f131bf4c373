"""Who is who: matching contact records to people by email, phone, profile link, then name.

The index is loaded in a handful of queries per import, then every lookup is a dict access.
A name the same word for word (in any order) is a dict access too. Near names ("Jon Smith" for
"John Smith") count only with the same employer, so they are compared within one surname and
one employer's first word, at most NEAR_CANDIDATES of them: 8,000 Smiths in one file cost each
row the same handful of comparisons, not 8,000.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from mentormap.models import Person, PersonEmail, PersonLink, PersonPhone
from mentormap.services.context import Ctx
from mentormap.services.people.people import normalize_phone, normalize_url

NAME_SCORE = 90  # token-sort ratio of two names, 0-100
COMPANY_SCORE = 80  # token-set ratio of two employers
IDENTITY_LINKS = ("linkedin", "github")  # a company website is shared; a profile is not
NEAR_CANDIDATES = 50  # near names compared per record, within its surname and employer


_QUOTES = re.compile(r"['’`.]")
_NOT_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def normalize_name(text: str | None) -> str:
    """Lower case, accents and punctuation gone, single spaces: "José  O'Neil" -> "jose oneil"."""
    if not text:
        return ""
    plain = text
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _QUOTES.sub("", plain.lower())
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def block_key(normalized: str) -> str:
    """Surname-ish key for blocking: the last token of a normalised name."""
    return normalized.rsplit(" ", 1)[-1] if normalized else ""


def name_key(normalized: str) -> str:
    """Two names whose token-sort ratio is 100 share this key: their words, sorted."""
    return " ".join(sorted(normalized.split()))


def company_head(normalized_company: str) -> str:
    """The employer's first word: "atlassian pty ltd" and "atlassian" meet here."""
    return normalized_company.split(" ", 1)[0]


@dataclass
class _SameName:
    """People sharing one name key: the first of them, the first with no employer, and the
    first at each employer (most groups hold one person; a common name may hold hundreds)."""

    first: int
    without_company: int | None = None
    by_company: dict[str, int] = field(default_factory=dict)


def profile_url(url: str) -> str | None:
    """The normalised link when it identifies one person (a LinkedIn or GitHub profile)."""
    from mentormap.services.people.people import link_kind

    normalized = normalize_url(url).lower()
    return normalized if link_kind(normalized) in IDENTITY_LINKS else None


@dataclass
class Match:
    person_id: int
    how: str  # "email", "phone", "LinkedIn URL", "name and company", "name"
    also: list[int] = field(default_factory=list)  # other people the record's keys point at


@dataclass
class PeopleIndex:
    """Lookups over the owner's people. Ids may be negative for people planned, not yet saved."""

    emails: dict[str, int] = field(default_factory=dict)
    phones: dict[str, int] = field(default_factory=dict)
    urls: dict[str, int] = field(default_factory=dict)
    names: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (name, company)
    blocks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    same_names: dict[str, _SameName] = field(default_factory=dict)
    near: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    comparisons: int = 0  # fuzzy comparisons made, for tests and benchmarks

    @classmethod
    def load(cls, ctx: Ctx) -> PeopleIndex:
        index = cls()
        owner = ctx.owner_id
        for pid, email in ctx.session.execute(
            select(PersonEmail.person_id, PersonEmail.email).where(PersonEmail.owner_id == owner)
        ):
            index.emails.setdefault(email.lower(), pid)
        for pid, phone in ctx.session.execute(
            select(PersonPhone.person_id, PersonPhone.normalized).where(
                PersonPhone.owner_id == owner
            )
        ):
            if _usable_phone(phone):
                index.phones.setdefault(phone, pid)
        for pid, url in ctx.session.execute(
            select(PersonLink.person_id, PersonLink.url).where(
                PersonLink.owner_id == owner, PersonLink.kind.in_(IDENTITY_LINKS)
            )
        ):
            index.urls.setdefault(normalize_url(url).lower(), pid)
        for pid, name, company in ctx.session.execute(
            select(Person.id, Person.name, Person.company).where(Person.owner_id == owner)
        ):
            index.add_name(pid, name, company)
        return index

    def add_name(self, pid: int, name: str, company: str | None) -> None:
        normalized = normalize_name(name)
        own_company = normalize_name(company)
        self.names[pid] = (normalized, own_company)
        self.blocks[block_key(normalized)].append(pid)
        group = self.same_names.setdefault(name_key(normalized), _SameName(pid))
        if not own_company:
            if group.without_company is None:
                group.without_company = pid
        else:
            group.by_company.setdefault(own_company, pid)
            self.near[(block_key(normalized), company_head(own_company))].append(pid)

    def add_keys(self, pid: int, emails: list[str], phones: list[str], urls: list[str]) -> None:
        for email in emails:
            self.emails.setdefault(email.lower(), pid)
        for phone in phones:
            normalized = normalize_phone(phone)
            if _usable_phone(normalized):
                self.phones.setdefault(normalized, pid)
        for url in urls:
            profile = profile_url(url)
            if profile:
                self.urls.setdefault(profile, pid)

    def match(
        self,
        name: str,
        company: str | None,
        emails: list[str],
        phones: list[str],
        urls: list[str],
        exclude: int | None = None,
    ) -> Match | None:
        """The best person for these keys: exact keys in priority order, then the fuzzy name."""
        hits: list[tuple[int, str]] = []
        for email in emails:
            if (pid := self.emails.get(email.lower())) is not None:
                hits.append((pid, "email"))
        for phone in phones:
            normalized = normalize_phone(phone)
            if (pid := self.phones.get(normalized)) is not None and _usable_phone(normalized):
                hits.append((pid, "phone"))
        for url in urls:
            profile = profile_url(url)
            if profile and (pid := self.urls.get(profile)) is not None:
                hits.append((pid, "LinkedIn URL" if "linkedin" in profile else "profile URL"))
        hits = [hit for hit in hits if hit[0] != exclude]
        if hits:
            first, how = hits[0]
            others = sorted({pid for pid, _ in hits if pid != first})
            return Match(first, how, others)
        return self.match_name(name, company, exclude)

    def match_name(
        self, name: str, company: str | None, exclude: int | None = None
    ) -> Match | None:
        """The earliest person with this name (any word order) whose employer does not differ;
        else, when both have employers and they agree, the nearest name scoring NAME_SCORE."""
        normalized = normalize_name(name)
        if not normalized:
            return None
        own_company = normalize_name(company)
        exact = self._same_name(normalized, own_company, exclude)
        if exact is not None or not own_company:
            return exact
        from rapidfuzz import fuzz

        best: tuple[float, int] | None = None
        candidates = self.near.get((block_key(normalized), company_head(own_company)), ())
        for pid in candidates[:NEAR_CANDIDATES]:
            if pid == exclude:
                continue
            other_name, other_company = self.names[pid]
            self.comparisons += 1
            score = fuzz.token_sort_ratio(normalized, other_name)
            if score < NAME_SCORE or score == 100:  # 100: same name, settled above
                continue
            if fuzz.token_set_ratio(own_company, other_company) < COMPANY_SCORE:
                continue  # same name, different employer: another person
            if best is None or score > best[0]:
                best = (score, pid)
        return Match(best[1], "name and company") if best else None

    def _same_name(self, normalized: str, own_company: str, exclude: int | None) -> Match | None:
        group = self.same_names.get(name_key(normalized))
        if group is None:
            return None
        if not own_company:
            # Any of them: with no employer to tell them apart, the first one is the match.
            if group.first != exclude:
                return Match(group.first, "name")
            return self._first_other(normalized, exclude)
        found: list[tuple[int, str]] = []
        if group.without_company is not None and group.without_company != exclude:
            found.append((group.without_company, "name"))
        same = group.by_company.get(own_company)
        if same is not None and same != exclude:
            found.append((same, "name and company"))
        else:
            from rapidfuzz import fuzz

            for other_company, pid in list(group.by_company.items())[:NEAR_CANDIDATES]:
                if pid == exclude:
                    continue
                self.comparisons += 1
                if fuzz.token_set_ratio(own_company, other_company) >= COMPANY_SCORE:
                    found.append((pid, "name and company"))
                    break
        if not found:
            return None
        # The earliest added wins, as when every candidate was compared in turn.
        pid, how = min(found, key=lambda hit: self._order(hit[0]))
        return Match(pid, how)

    def _first_other(self, normalized: str, exclude: int | None) -> Match | None:
        key = name_key(normalized)
        for pid in self.blocks.get(block_key(normalized), ()):
            if pid != exclude and name_key(self.names[pid][0]) == key:
                return Match(pid, "name")
        return None

    def _order(self, pid: int) -> int:
        """Insertion order: people from the database first (by id), then records in the file."""
        return pid if pid > 0 else 10**18 - pid


def _usable_phone(normalized: str) -> bool:
    # Short numbers (extensions, "0") would tie strangers together.
    return len(normalized.lstrip("+")) >= 6
