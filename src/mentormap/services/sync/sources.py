"""Sync sources: adding one, listing them, removing one, and running them.

A source is a CardDAV address book, a CalDAV calendar, or an .ics address. Its password lives
in the keyring or comes from a command (`services/secrets.py`); it is never stored here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import SyncCard, SyncEvent, SyncSource, utcnow
from mentormap.services.context import Ctx
from mentormap.services.secrets import forget_secret, secret_for, store_secret
from mentormap.services.sync.dav import check_url
from mentormap.services.sync.report import SyncReport

KEYRING_SERVICE = "mentormap-sync"
KINDS = ("carddav", "caldav", "ics")

Progress = Callable[[int, int], None]


@dataclass
class SourceView:
    name: str
    kind: str
    url: str
    username: str | None
    password_from: str  # "keyring", "command" or "none"
    roles_as_categories: bool
    last_run_at: datetime | None
    linked: int  # cards linked to people, or events seen
    last_counts: dict[str, int] | None


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 100 or any(ch.isspace() for ch in cleaned):
        raise InvalidInput("A source name is one word of at most 100 characters, e.g. phone.")
    return cleaned


def add_source(
    ctx: Ctx,
    name: str,
    *,
    kind: str,
    url: str,
    user: str | None = None,
    password_command: str | None = None,
    me: list[str] | None = None,
    roles_as_categories: bool = False,
) -> SyncSource:
    cleaned = _clean_name(name)
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind {kind!r}; choose carddav, caldav or ics.")
    checked = check_url(url)
    if password_command is not None and not password_command.strip():
        raise InvalidInput("The password command is empty.")
    if roles_as_categories and kind != "carddav":
        raise InvalidInput("Roles as categories are for an address book (--carddav) only.")
    if me:
        from mentormap.services.mail.capture import remember_my_addresses

        remember_my_addresses(ctx, me)
    exists = ctx.session.scalar(
        select(SyncSource.id).where(SyncSource.owner_id == ctx.owner_id, SyncSource.name == cleaned)
    )
    if exists is not None:
        raise InvalidInput(f"There is already a sync source called {cleaned}.")
    source = SyncSource(
        owner_id=ctx.owner_id,
        name=cleaned,
        kind=kind,
        url=checked,
        username=(user or "").strip() or None,
        password_command=password_command.strip() if password_command else None,
        roles_as_categories=roles_as_categories,
    )
    ctx.session.add(source)
    ctx.session.flush()
    return source


def get_source(ctx: Ctx, name: str) -> SyncSource:
    found = ctx.session.scalar(
        select(SyncSource).where(
            SyncSource.owner_id == ctx.owner_id, SyncSource.name == name.strip()
        )
    )
    if found is None:
        raise NotFound(f"No sync source called {name!r}; see `mentormap sync list`.")
    return found


def list_sources(ctx: Ctx) -> list[SyncSource]:
    return list(
        ctx.session.scalars(
            select(SyncSource).where(SyncSource.owner_id == ctx.owner_id).order_by(SyncSource.name)
        )
    )


def source_views(ctx: Ctx) -> list[SourceView]:
    """Every source, how much it has linked and what its last run did (for CLI and web)."""
    cards = dict(
        ctx.session.execute(
            select(SyncCard.source_id, func.count())
            .where(SyncCard.owner_id == ctx.owner_id, SyncCard.person_id.is_not(None))
            .group_by(SyncCard.source_id)
        ).all()
    )
    events = dict(
        ctx.session.execute(
            select(SyncEvent.source_id, func.count())
            .where(SyncEvent.owner_id == ctx.owner_id)
            .group_by(SyncEvent.source_id)
        ).all()
    )
    views = []
    for s in list_sources(ctx):
        last = json.loads(s.last_report) if s.last_report else None
        views.append(
            SourceView(
                name=s.name,
                kind=s.kind,
                url=s.url,
                username=s.username,
                password_from=_password_from(s),
                roles_as_categories=s.roles_as_categories,
                last_run_at=s.last_run_at,
                linked=cards.get(s.id, 0) + events.get(s.id, 0),
                last_counts=last,
            )
        )
    return views


def remove_source(ctx: Ctx, name: str) -> int:
    """Forget the source and its links (people, interactions and trips it made stay); returns
    how many links were forgotten. Bookings ahead from its calendar go with it."""
    source = get_source(ctx, name)
    links = (
        ctx.session.scalar(select(func.count()).where(SyncCard.source_id == source.id)) or 0
    ) + (ctx.session.scalar(select(func.count()).where(SyncEvent.source_id == source.id)) or 0)
    from mentormap.models import Booking

    ctx.session.execute(
        delete(Booking).where(
            Booking.event_id.in_(select(SyncEvent.id).where(SyncEvent.source_id == source.id))
        ),
        execution_options={"synchronize_session": False},
    )
    for model in (SyncEvent, SyncCard):
        ctx.session.execute(
            delete(model).where(model.source_id == source.id),
            execution_options={"synchronize_session": False},
        )
    ctx.session.delete(source)
    ctx.session.flush()
    if source.username:
        forget_secret(KEYRING_SERVICE, _keyring_key(source.name, source.username))
    return int(links)


# --- passwords ---------------------------------------------------------------------------------


def _keyring_key(name: str, user: str) -> str:
    return f"{name}:{user}"


def _password_from(source: SyncSource) -> str:
    if source.password_command:
        return "command"
    return "keyring" if source.username else "none"


def store_source_password(source: SyncSource, password: str) -> None:
    if not source.username:
        raise InvalidInput("A password needs a login name (--user).")
    store_secret(KEYRING_SERVICE, _keyring_key(source.name, source.username), password)


def password_of(source: SyncSource) -> str | None:
    """The password from the source's command, else the keyring; None without a login."""
    if source.password_command:
        return secret_for(KEYRING_SERVICE, "", source.password_command, f"the source {source.name}")
    if not source.username:
        return None
    return secret_for(
        KEYRING_SERVICE,
        _keyring_key(source.name, source.username),
        None,
        f"the source {source.name}",
    )


# --- running -----------------------------------------------------------------------------------


def run_source(ctx: Ctx, source: SyncSource, progress: Progress | None = None) -> SyncReport:
    from mentormap.services.sync.dav import Dav

    dav = Dav(source.url, source.username, password_of(source))
    report = SyncReport(source=source.name, kind=source.kind)
    if source.kind == "carddav":
        from mentormap.services.sync.contacts import sync_contacts

        sync_contacts(ctx, source, dav, report, progress)
    else:
        from mentormap.services.sync.calendar import sync_calendar

        sync_calendar(ctx, source, dav, report)
    report.requests, report.server_seconds = dav.requests, dav.waited
    source.last_run_at = utcnow()
    source.last_report = json.dumps(report.counts())
    ctx.session.flush()
    return report


def run_sources(
    ctx: Ctx, name: str | None = None, progress: Progress | None = None
) -> list[SyncReport]:
    """Run one source, or all of them in name order (contacts first: events then find people)."""
    if name is not None:
        return [run_source(ctx, get_source(ctx, name), progress)]
    sources = sorted(list_sources(ctx), key=lambda s: (s.kind != "carddav", s.name))
    if not sources:
        raise NotFound("No sync sources yet: `mentormap sync add NAME --carddav URL`.")
    return [run_source(ctx, s, progress) for s in sources]


def reports_json(reports: list[SyncReport]) -> list[dict[str, Any]]:
    return [r.as_json() for r in reports]
