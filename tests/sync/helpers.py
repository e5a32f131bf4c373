"""Helpers for sync tests: cards on the server, a run in its own unit of work."""

from __future__ import annotations

from mentormap.db import Database
from mentormap.services.sync.report import SyncReport
from mentormap.services.sync.sources import add_source, run_sources
from mentormap.services.unit import open_ctx
from tests.sync.radicale import Radicale


def card(uid: str, name: str, *extra: str, version: str = "3.0") -> str:
    family, _, given = name.rpartition(" ")[::-1][0], None, name.split(" ")[0]
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        f"UID:{uid}",
        f"FN:{name}",
        f"N:{name.split(' ')[-1]};{given};;;",
        *extra,
        "END:VCARD",
    ]
    del family
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
