"""Helpers for sync tests: cards on the server, a run in its own unit of work."""

from __future__ import annotations

from mentormap.db import Database
from mentormap.services.sync.report import SyncReport
from mentormap.services.sync.sources import add_source, run_sources
from mentormap.services.unit import open_ctx
from tests.sync.radicale import Radicale


def card(uid: str, name: str, *extra: str, version: str = "3.0") -> str:
    """A vCard as a phone would store it: FN and N from `name`, then the `extra` lines."""
    given, _, family = name.rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"UID:{uid}",
        f"FN:{name}",
        f"N:{family};{given};;;",
        *extra,
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


def put_card(server: Radicale, user: str, href: str, text: str) -> None:
    with server.client(user) as http:
        answer = http.put(href, content=text, headers={"Content-Type": "text/vcard"})
        assert answer.status_code in (201, 204), answer.text


def server_cards(server: Radicale, user: str, book: str) -> dict[str, str]:
    """href -> card text of every card in the address book."""
    from mentormap.services.sync.dav import Dav

    dav = Dav(book, user, "any")
    listed = dav.etags(book)
    return {href: text for href, (_etag, text) in dav.fetch(book, "carddav", list(listed)).items()}


def add_book(db: Database, url: str, user: str, name: str = "phone", **options: object) -> None:
    with open_ctx(db) as ctx:
        add_source(
            ctx,
            name,
            kind="carddav",
            url=url,
            user=user,
            password_command="echo any",
            **options,  # type: ignore[arg-type]
        )


def run(db: Database, name: str | None = None) -> SyncReport:
    with open_ctx(db) as ctx:
        return run_sources(ctx, name)[0]
