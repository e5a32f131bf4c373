"""CardDAV both ways against a real Radicale: first links, incremental runs, deletes, write-back
that keeps the server's own fields, conflicts, and 2,000 cards round trip."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, insert, select

from mentormap.db import Database
from mentormap.interop.vcard_sync import unfold
from mentormap.models import Person, PersonLink, PersonPhone, Role
from mentormap.services.interop.exports import contact_records
from mentormap.services.interop.imports import import_file
from mentormap.services.people.people import add_emails, add_person
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.sync.helpers import add_book, card, put_card, run, server_cards
from tests.sync.radicale import Radicale, radicale_server


def _import(db: Database, *cards: str) -> None:
    with open_ctx(db) as ctx:
        import_file(ctx, "".join(cards).encode())


def _person(db: Database, name: str) -> Person:
    with open_ctx(db) as ctx:
        found = ctx.session.scalars(select(Person).where(Person.name == name)).one()
        ctx.session.expunge(found)
        return found


def _card_of(server: Radicale, user: str, url: str, name: str) -> str:
    found = [t for t in server_cards(server, user, url).values() if f"FN:{name}" in t]
    assert len(found) == 1, found
    return found[0]


def test_first_run_links_cards_as_an_import_matches_and_writes_back(
    db: Database, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(
        server,
        user,
        f"/{user}/contacts/ann.vcf",
        card(
            "ann",
            "Ann Lee",
            "EMAIL;TYPE=work:ann@lee.example",
            "X-ANNIVERSARY:2001-06-01",
            "item1.TEL:+44 20 7946 0000",
            "item1.X-ABLABEL:_$!<Mobile>!$_",
        ),
    )
    put_card(server, user, f"/{user}/contacts/bo.vcf", card("bo", "Bo Chen", "ORG:Acme"))
    _import(
        db,
        card("x", "Ann Lee", "EMAIL:ann@lee.example", "TITLE:Staff Engineer"),
        card("y", "Bo Chen", "ORG:Acme", "TITLE:CTO"),
        card("z", "Cy Dee", "EMAIL:cy@dee.example"),
    )
    add_book(db, url, user)

    report = run(db)

    assert report.counts() == {
        "pulled": 3 - 1,
        "created": 0,
        "updated": 1,  # Ann gains her phone from the card
        "pushed": 3,  # Ann's and Bo's titles go out, Cy gets a card
        "archived": 0,
        "conflicts": 0,
    }
    with open_ctx(db) as ctx:
        assert ctx.session.scalar(select(Person.id).where(Person.name == "Ann Lee"))
        people = {r.name: r for r in contact_records(ctx)}
    assert len(people) == 3  # matched, not duplicated
    assert [p.value for p in people["Ann Lee"].phones] == ["+44 20 7946 0000"]
    ann = _card_of(server, user, url, "Ann Lee")
    # What mentormap does not model is still on the card, untouched.
    assert "X-ANNIVERSARY:2001-06-01" in unfold(ann)
    assert "item1.X-ABLABEL:_$!<Mobile>!$_" in unfold(ann)
    assert "TITLE:Staff Engineer" in unfold(ann)
    assert "UID:ann" in unfold(ann)
    assert "VERSION:4.0" in unfold(ann)
    assert "TITLE:CTO" in unfold(_card_of(server, user, url, "Bo Chen"))
    assert "EMAIL:cy@dee.example" in unfold(_card_of(server, user, url, "Cy Dee"))
    # Nothing changed: nothing to do, incrementally.
    again = run(db)
    assert again.incremental
    assert set(again.counts().values()) == {0}


def test_new_cards_become_people_and_later_runs_follow_the_server(
    db: Database, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(
        server, user, f"/{user}/contacts/dee.vcf", card("dee", "Dee Ray", "EMAIL:d@ray.example")
    )
    put_card(server, user, f"/{user}/contacts/eve.vcf", card("eve", "Eve Ng", "ORG:Initech"))
    add_book(db, url, user)
    first = run(db)
    assert (first.pulled, first.created, first.pushed) == (2, 2, 0)

    # The phone changes Dee's email and deletes Eve; mentormap gives Dee a title.
    put_card(
        server,
        user,
        f"/{user}/contacts/dee.vcf",
        card("dee", "Dee Ray", "EMAIL:dee@ray.example", "NICKNAME:D"),
    )
    with server.client(user) as http:
        assert http.delete(f"/{user}/contacts/eve.vcf").status_code in (200, 204)
    with open_ctx(db) as ctx:
        dee = ctx.session.scalars(select(Person).where(Person.name == "Dee Ray")).one()
        dee.title = "Principal"

    report = run(db)

    assert report.incremental
    assert (report.pulled, report.updated, report.archived, report.pushed) == (1, 1, 1, 1)
    with open_ctx(db) as ctx:
        people = {r.name: r for r in contact_records(ctx)}
        eve = ctx.session.scalars(select(Person).where(Person.name == "Eve Ng")).one()
        assert eve.archived  # her history stays
    assert [e.value for e in people["Dee Ray"].emails] == ["dee@ray.example"]
    assert people["Dee Ray"].title == "Principal"
    written = unfold(_card_of(server, user, url, "Dee Ray"))
    assert "TITLE:Principal" in written
    assert "NICKNAME:D" in written  # the phone's own field survived the write-back
    assert "EMAIL:dee@ray.example" in written
    assert len(server_cards(server, user, url)) == 1  # Eve is not written back


def test_a_quiet_run_asks_the_server_once_and_reads_no_person_yet_misses_no_edit_here(
    db: Database, book: tuple[Radicale, str, str]
) -> None:
    """Edits that touch only an email, a phone or a link row (not the person's own row) go out
    too: the triggers mark her card, so a run needs no comparison of everyone."""
    server, user, url = book
    put_card(
        server, user, f"/{user}/contacts/ida.vcf", card("ida", "Ida Wu", "TEL:+44 20 7000 1111")
    )
    put_card(server, user, f"/{user}/contacts/jo.vcf", card("jo", "Jo Kay", "ORG:Acme"))
    add_book(db, url, user)
    assert run(db).created == 2

    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        quiet = run(db)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert set(quiet.counts().values()) == {0}
    assert quiet.requests == 1  # one sync-collection, answered with nothing
    assert not [s for s in statements if "person_emails" in s or "person_phones" in s]

    with open_ctx(db) as ctx:  # an email added through the service: a new row only
        ida = ctx.session.scalars(select(Person).where(Person.name == "Ida Wu")).one()
        add_emails(ctx, ida, ["ida@wu.example"])
    report = run(db)
    assert (report.pulled, report.pushed) == (0, 1)
    assert "EMAIL:ida@wu.example" in unfold(_card_of(server, user, url, "Ida Wu"))

    with open_ctx(db) as ctx:  # a phone taken away, and a link added in bulk as imports do
        ida_id = ctx.session.scalar(select(Person.id).where(Person.name == "Ida Wu"))
        jo_id = ctx.session.scalar(select(Person.id).where(Person.name == "Jo Kay"))
        ctx.session.execute(delete(PersonPhone).where(PersonPhone.person_id == ida_id))
        ctx.session.execute(
            insert(PersonLink),
            [{"owner_id": ctx.owner_id, "person_id": jo_id, "kind": "github",
              "url": "https://github.com/jokay"}],
        )  # fmt: skip
    report = run(db)
    assert (report.pulled, report.pushed) == (0, 2)
    assert "TEL" not in unfold(_card_of(server, user, url, "Ida Wu"))
    assert "URL:https://github.com/jokay" in unfold(_card_of(server, user, url, "Jo Kay"))
    assert set(run(db).counts().values()) == {0}


def test_an_edit_made_while_a_run_writes_cards_goes_out_with_the_next_run(
    db: Database, book: tuple[Radicale, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app can save an edit while a run is writing cards to the server: the run takes
    off only the marks it read (or made itself), so that edit is not forgotten."""
    from mentormap.services.sync.dav import Dav

    server, user, url = book
    put_card(server, user, f"/{user}/contacts/kim.vcf", card("kim", "Kim Lo", "ORG:Acme"))
    add_book(db, url, user)
    run(db)
    with open_ctx(db) as ctx:
        add_person(ctx, "Lee Ma")  # no card yet: the next run writes one
    put = Dav.put

    def edited_meanwhile(self: Dav, href: str, body: str, **options: Any) -> Any:
        if "Lee Ma" in body:
            with open_ctx(db) as other:
                kim = other.session.scalars(select(Person).where(Person.name == "Kim Lo")).one()
                add_emails(other, kim, ["kim@lo.example"])
        return put(self, href, body, **options)

    monkeypatch.setattr(Dav, "put", edited_meanwhile)
    assert run(db).pushed == 1  # Lee's new card
    monkeypatch.setattr(Dav, "put", put)
    report = run(db)
    assert (report.pulled, report.pushed) == (0, 1)
    assert "EMAIL:kim@lo.example" in unfold(_card_of(server, user, url, "Kim Lo"))


def test_a_field_edited_on_both_sides_is_a_listed_conflict_settled_by_the_rule(
    db: Database, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(server, user, f"/{user}/contacts/fay.vcf", card("fay", "Fay Orr", "ORG:Globex"))
    put_card(server, user, f"/{user}/contacts/gus.vcf", card("gus", "Gus Ito", "ORG:Hooli"))
    add_book(db, url, user)
    run(db)
    # Both sides edit the employer. Fay's card says it was changed long ago (REV before her
    # edit here): mentormap wins. Gus's card was changed after (REV far ahead): the server wins.
    put_card(
        server,
        user,
        f"/{user}/contacts/fay.vcf",
        card("fay", "Fay Orr", "ORG:Globex Labs", "REV:20000101T000000Z"),
    )
    put_card(
        server,
        user,
        f"/{user}/contacts/gus.vcf",
        card("gus", "Gus Ito", "ORG:Pied Piper", "REV:20991231T000000Z"),
    )
    with open_ctx(db) as ctx:
        for person in ctx.session.scalars(select(Person)):
            person.company = "Umbrella"

    report = run(db)

    kept = {(c.name, c.field, c.kept, c.mentormap, c.server) for c in report.conflicts}
    assert kept == {
        ("Fay Orr", "company", "mentormap", "Umbrella", "Globex Labs"),
        ("Gus Ito", "company", "server", "Umbrella", "Pied Piper"),
    }
    assert _person(db, "Fay Orr").company == "Umbrella"
    assert _person(db, "Gus Ito").company == "Pied Piper"
    assert "ORG:Umbrella" in unfold(_card_of(server, user, url, "Fay Orr"))
    assert "ORG:Pied Piper" in unfold(_card_of(server, user, url, "Gus Ito"))


def test_roles_go_out_as_categories_only_when_asked(
    db: Database, book: tuple[Radicale, str, str]
) -> None:
    server, user, url = book
    put_card(server, user, f"/{user}/contacts/hal.vcf", card("hal", "Hal Roe", "CATEGORIES:Family"))
    add_book(db, url, user, roles_as_categories=True)
    run(db)
    with open_ctx(db) as ctx:
        hal = ctx.session.scalars(select(Person).where(Person.name == "Hal Roe")).one()
        ctx.session.add(Role(person_id=hal.id, key="sponsor", since=ctx.today()))
    report = run(db)
    assert report.pushed == 1
    assert "CATEGORIES:Family,sponsor" in unfold(_card_of(server, user, url, "Hal Roe"))


def _cards(count: int, prefix: str) -> list[str]:
    digit = "9" if prefix == "phone" else "8"
    return [
        card(
            f"{prefix}{n}",
            f"{prefix.title()} Person{n}",
            f"EMAIL;TYPE=work:{prefix}{n}@example.org",
            f"TEL;TYPE=cell:+44 7700 {digit}{n:05d}",
            f"ORG:{prefix.title()} Company {n % 37}",
            f"TITLE:Title {n % 11}",
            f"ADR;TYPE=home:;;{n} High St;City{n % 13};;;Country{n % 5}",
            f"NOTE:Met at event {n}\\, second line\\nthird",
            f"BDAY:19{n % 90 + 10:02d}0{n % 9 + 1}1{n % 9}",
            f"URL:https://github.com/{prefix}{n}",
            *(
                [f"X-PHONE-APP:keep {n}"]
                if prefix == "phone"
                else [
                    f"X-MENTORMAP-HOW-MET:Intro by {n % 7}",
                    f"X-MENTORMAP-MET-ON:2020-0{n % 9 + 1}-1{n % 9}",
                ]
            ),
        )
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def indexed_radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A Radicale whose storage finds a new card's UID clash from an index, not by reading
    every card (tests/sync/radicale_storage.py): 2,000 new cards in seconds, not minutes."""
    folder = tmp_path_factory.mktemp("radicale")
    with radicale_server(folder, indexed_uids=True) as server:
        yield server


def test_two_thousand_cards_round_trip_both_ways_with_every_field(
    db: Database, indexed_radicale: Radicale, settings: Settings, tmp_path: Path
) -> None:
    """2,000 cards from the phone in and 2,000 people made in mentormap out as new cards, in one
    run; then 200 edited here and written back. A second network reading the address book from
    scratch finds every field of all 4,000 as the first holds them, and the phone's own fields
    are still on its cards."""
    server = indexed_radicale
    user = server.new_user()
    url = server.collection(user, "contacts")
    with server.client(user) as http:
        answer = http.put(
            f"/{user}/contacts/",
            content="".join(_cards(2000, "phone")),
            headers={"Content-Type": "text/vcard"},
        )
        assert answer.status_code in (201, 204), answer.text
    _import(db, *_cards(2000, "mentor"))
    add_book(db, url, user)

    started = time.monotonic()
    first = run(db)
    both_ways = time.monotonic() - started
    assert (first.pulled, first.created, first.pushed) == (2000, 2000, 2000)
    assert first.conflicts == [] and first.skipped == []
    with open_ctx(db) as ctx:
        edited = ctx.session.scalars(
            select(Person).where(Person.name.like("Phone Person1%")).order_by(Person.id).limit(200)
        ).all()
        for n, person in enumerate(edited):
            person.title = f"Edited {n}; with, punctuation"
            person.notes = f"Line one\nline {n}"
    started = time.monotonic()
    back = run(db)
    pushed_in = time.monotonic() - started
    assert (back.pulled, back.pushed, back.conflicts) == (0, 200, [])
    print(
        f"2,000 cards in and 2,000 out: {both_ways:.1f} s (the server's answers "
        f"{first.server_seconds:.1f} s); 200 written back: {pushed_in:.1f} s"
    )

    other = Database.open(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'other.db'}",
            timezone=settings.timezone,
            today_override=settings.today_override,
        )
    )
    try:
        add_book(other, url, user)
        second = run(other)
        assert (second.pulled, second.created, second.pushed) == (4000, 4000, 0)

        def everyone(database: Database) -> list[tuple[object, ...]]:
            with open_ctx(database) as ctx:
                return sorted(
                    (
                        r.name,
                        sorted((e.value, e.label) for e in r.emails),
                        sorted((p.value, p.label) for p in r.phones),
                        sorted(r.links),
                        r.company,
                        r.title,
                        r.city,
                        r.country,
                        r.birthday,
                        r.notes,
                        r.how_met,
                        r.met_on,
                    )
                    for r in contact_records(ctx)
                )

        mine, theirs = everyone(db), everyone(other)
        assert len(mine) == 4000
        assert mine == theirs
        for prefix, digit in (("phone", "9"), ("mentor", "8")):
            seven = next(m for m in mine if m[0] == f"{prefix.title()} Person7")
            assert seven[1:4] == (
                [(f"{prefix}7@example.org", "work")],
                [(f"+44 7700 {digit}00007", "cell")],
                [f"https://github.com/{prefix}7"],
            )
            assert seven[4:10] == (
                f"{prefix.title()} Company 7",
                "Title 7",
                "City7",
                "Country2",
                "1917-08-17",
                "Met at event 7, second line\nthird",
            )
        made_here = next(m for m in mine if m[0] == "Mentor Person7")
        assert made_here[10:] == ("Intro by 0", date(2020, 8, 17))
        assert sum(1 for m in mine if str(m[5]).startswith("Edited")) == 200
        texts = list(server_cards(server, user, url).values())
        assert len(texts) == 4000
        assert sum("X-PHONE-APP:keep" in t for t in texts) == 2000  # the phone's own field
        assert sum("ADR;TYPE=home:;;" in t and " High St" in t for t in texts) == 2000
        assert sum("X-MENTORMAP-HOW-MET:Intro by" in t for t in texts) == 2000
        # Nothing changed since: nothing to do on either side.
        assert set(run(db).counts().values()) == {0}
        assert set(run(other).counts().values()) == {0}
        # The server still refuses a second card with a UID it holds (the index is right).
        clash = next(t for t in texts if "FN:Mentor Person7" in unfold(t))
        with server.client(user) as http:
            answer = http.put(
                f"/{user}/contacts/clash.vcf",
                content=clash,
                headers={"Content-Type": "text/vcard", "If-None-Match": "*"},
            )
        assert answer.status_code == 409
    finally:
        other.close()
