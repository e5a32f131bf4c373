"""Who is who: matching contact records to people by email, phone, profile link, then name.

The index is loaded in a handful of queries per import, then every lookup is a dict access.
Fuzzy name matching is blocked by surname (the last name token) so that 10,000 records against
20,000 people compare each record with a few dozen names, not with all of them.
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
from mentormap.services.people import normalize_phone, normalize_url

NAME_SCORE = 90  # token-sort ratio of two names, 0-100
COMPANY_SCORE = 80  # token-set ratio of two employers
IDENTITY_LINKS = ("linkedin", "github")  # a company website is shared; a profile is not


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


def profile_url(url: str) -> str | None:
    """The normalised link when it identifies one person (a LinkedIn or GitHub profile)."""
    from mentormap.services.people import link_kind

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
        self.names[pid] = (normalized, normalize_name(company))
        self.blocks[block_key(normalized)].append(pid)

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
        from rapidfuzz import fuzz

        normalized = normalize_name(name)
        if not normalized:
            return None
        own_company = normalize_name(company)
        best: tuple[float, int, str] | None = None
        for pid in self.blocks.get(block_key(normalized), ()):
            if pid == exclude:
                continue
            other_name, other_company = self.names[pid]
            score = fuzz.token_sort_ratio(normalized, other_name)
            if score < NAME_SCORE:
                continue
            if own_company and other_company:
                if fuzz.token_set_ratio(own_company, other_company) < COMPANY_SCORE:
                    continue  # same name, different employer: another person
                how = "name and company"
            elif score == 100:
                how = "name"
            else:
                continue  # a near name with nothing else to go on is too weak
            if best is None or score > best[0]:
                best = (score, pid, how)
        return Match(best[1], best[2]) if best else None


def _usable_phone(normalized: str) -> bool:
    # Short numbers (extensions, "0") would tie strangers together.
    return len(normalized.lstrip("+")) >= 6
