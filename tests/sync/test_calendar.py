"""Calendars in: an .ics address served on 127.0.0.1 and a CalDAV calendar on a real Radicale.
Past meetings become interactions (one, with what was logged by hand), planned ones make her
booked instead of due, all-day visits become trips, and changes follow the calendar."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import Booking, Interaction, InteractionParticipant, Person, PersonEmail, Trip
from mentormap.services.clock.standing import due_standings, standing_of
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.sync.sources import add_source
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.ports import free_port
from tests.sync.helpers import run
from tests.sync.radicale import Radicale
from tests.web.conftest import BASE_URL


def event(uid: str, start: str, summary: str, *extra: str) -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261101T000000Z", f"DTSTART:{start}",
         f"SUMMARY:{summary}", *extra, "END:VEVENT"]
    )  # fmt: skip


def calendar(*events: str) -> str:
    body = "\r\n".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}\r\nEND:VCALENDAR\r\n"


class _Served:
    text = ""


@pytest.fixture
def served() -> Iterator[tuple[str, type[_Served]]]:
    """An .ics address on 127.0.0.1 whose content the test sets."""

    class Served(_Served):
        pass

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = Served.text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/work.ics", Served
    server.shutdown()
    server.server_close()


def _network(db: Database) -> dict[str, int]:
    with open_ctx(db) as ctx:
        people = {}
        for name, email in (
            ("Priya Shah", "priya@shah.example"),
            ("Leo Park", "leo@park.example"),
            ("Mia Wong", "mia@wong.example"),
            ("Kate Bell", "kate@bell.example"),
        ):
            person = Person(name=name, met_on=date(2025, 1, 1))
            ctx.session.add(person)
            ctx.session.flush()
            ctx.session.add(PersonEmail(person_id=person.id, email=email))
            people[name] = person.id
        leo = ctx.session.get(Person, people["Leo Park"])
        assert leo is not None
        log_interaction(ctx, [leo], kind="call", on=date(2026, 11, 18), notes="by hand")
        return people


def _interactions(db: Database) -> list[tuple[str, date, str | None, list[int]]]:
    with open_ctx(db) as ctx:
        rows = ctx.session.execute(
            select(
                Interaction.id, Interaction.kind, Interaction.occurred_on, Interaction.source
            ).order_by(Interaction.occurred_on)
        ).all()
        return [
            (kind, on, source, sorted(ctx.session.scalars(
                select(InteractionParticipant.person_id).where(
                    InteractionParticipant.interaction_id == iid))))
            for iid, kind, on, source in rows
        ]  # fmt: skip


def test_an_ics_address_makes_interactions_bookings_and_visits(
    db: Database, served: tuple[str, type[_Served]], settings: Settings
) -> None:
    url, content = served
    people = _network(db)
    content.text = calendar(
        event("coffee-1", "20261120T100000Z", "Coffee with Priya"),
        event("sync-1", "20261118T150000Z", "Project sync",
              "ATTENDEE;CN=Leo Park:mailto:leo@park.example"),
        event("gone-1", "20261119T120000Z", "Lunch with Priya", "STATUS:CANCELLED"),
        event("lunch-1", "20261203T120000Z", "Lunch with Mia"),
        event("visit-1", "20261210", "Kate Bell in London").replace(
            "DTSTART:20261210", "DTSTART;VALUE=DATE:20261210"),
        event("none-1", "20261121T090000Z", "Dentist"),
    )  # fmt: skip
    with open_ctx(db) as ctx:
        assert people["Mia Wong"] in {s.person_id for s in due_standings(ctx)}
        add_source(ctx, "work", kind="ics", url=url)

    report = run(db)

    assert report.counts() == {
        "pulled": 6, "interactions": 1, "moved": 0, "removed": 0, "booked": 1, "trips": 1,
        "conflicts": 0,
    }  # fmt: skip
    assert _interactions(db) == [
        ("call", date(2026, 11, 18), "manual", [people["Leo Park"]]),  # one, not two
        ("coffee", date(2026, 11, 20), "sync", [people["Priya Shah"]]),
    ]
    with open_ctx(db) as ctx:
        mia = ctx.session.get(Person, people["Mia Wong"])
        assert mia is not None
        standing = standing_of(ctx, mia)
        assert standing.booked_on == date(2026, 12, 3)
        assert not standing.is_due(ctx.today())
        assert "booked: a catch-up is planned on" in standing.reason
        assert people["Mia Wong"] not in {s.person_id for s in due_standings(ctx)}
        # A booking is an input of her standing: its rows mark her clock for a new check, as
        # roles do (migration 0201, services/clock/checks.py).
        assert mia.clock_check_n != 0
        booking = ctx.session.scalars(select(Booking)).one()
        booking.on = date(2026, 12, 4)
        ctx.session.flush()
        ctx.session.refresh(mia)
        assert mia.clock_check_n == 0
        trip = ctx.session.scalars(select(Trip)).one()
        assert (trip.person_id, trip.city, trip.start_on) == (
            people["Kate Bell"],
            "London",
            date(2026, 12, 10),
        )
    # Every surface of her standing says booked, not due.
    with TestClient(create_app(settings), base_url=BASE_URL) as web:
        assert "Mia Wong" not in web.get("/today").text
        assert re.search(r"Mia Wong.*?booked", web.get("/people").text, re.DOTALL)
        page = web.get(f"/people/{people['Mia Wong']}").text
        assert "booked: a catch-up is planned on" in page

    # Rescheduled coffee, the lunch with Mia called off, nothing else new.
    content.text = calendar(
        event("coffee-1", "20261121T100000Z", "Coffee with Priya"),
        event("sync-1", "20261118T150000Z", "Project sync",
              "ATTENDEE;CN=Leo Park:mailto:leo@park.example"),
        event("visit-1", "20261210", "Kate Bell in London").replace(
            "DTSTART:20261210", "DTSTART;VALUE=DATE:20261210"),
    )  # fmt: skip
    again = run(db)
    assert (again.interactions, again.moved, again.booked) == (0, 1, 0)
    assert _interactions(db)[1][:3] == ("coffee", date(2026, 11, 21), "sync")
    with open_ctx(db) as ctx:
        assert people["Mia Wong"] in {s.person_id for s in due_standings(ctx)}
        priya = ctx.session.get(Person, people["Priya Shah"])
        assert priya is not None and priya.last_contact_on == date(2026, 11, 21)

    # The coffee leaves the calendar: the interaction it made goes; the one by hand stays.
    content.text = calendar(
        event("sync-1", "20261118T150000Z", "Project sync",
              "ATTENDEE;CN=Leo Park:mailto:leo@park.example"),
    )  # fmt: skip
    third = run(db)
    assert third.removed == 1
    assert [i[2] for i in _interactions(db)] == ["manual"]


def test_a_caldav_calendar_on_radicale(db: Database, radicale: Radicale) -> None:
    user = radicale.new_user()
    url = radicale.collection(user, "work", kind="calendar")
    with radicale.client(user) as http:
        answer = http.put(
            f"/{user}/work/walk.ics",
            content=calendar(event("walk-1", "20261122T080000Z", "Walk with Priya Shah")),
            headers={"Content-Type": "text/calendar"},
        )
        assert answer.status_code == 201
    people = _network(db)
    with open_ctx(db) as ctx:
        add_source(ctx, "cal", kind="caldav", url=radicale.root + "/", user=user,
                   password_command="echo any")  # fmt: skip
    report = run(db)
    assert (report.pulled, report.interactions) == (1, 1)
    assert ("walk", date(2026, 11, 22), "sync", [people["Priya Shah"]]) in _interactions(db)
    assert url.endswith("/work/")


def test_a_caldav_calendar_is_read_incrementally(
    db: Database, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run fetches nothing when nothing changed, yet what was booked stays booked; a
    rescheduled event is the only one fetched. Events still move from ahead to past by the
    day: the others are read from the copy kept of each calendar object."""
    from mentormap.services.sync.dav import Dav

    user = radicale.new_user()
    radicale.collection(user, "work", kind="calendar")
    objects = {
        "walk": event("walk-1", "20261122T080000Z", "Walk with Priya Shah"),
        "lunch": event("lunch-1", "20261203T120000Z", "Lunch with Mia"),
        "sync": event("sync-1", "20261118T150000Z", "Project sync",
                      "ATTENDEE;CN=Leo Park:mailto:leo@park.example"),
    }  # fmt: skip

    def put(name: str, text: str) -> None:
        with radicale.client(user) as http:
            answer = http.put(
                f"/{user}/work/{name}.ics",
                content=calendar(text),
                headers={"Content-Type": "text/calendar"},
            )
            assert answer.status_code in (201, 204), answer.text

    for name, text in objects.items():
        put(name, text)
    people = _network(db)
    with open_ctx(db) as ctx:
        add_source(ctx, "cal", kind="caldav", url=radicale.root + "/", user=user,
                   password_command="echo any")  # fmt: skip
    fetched: list[list[str]] = []
    fetch = Dav.fetch

    def counted(self: Dav, collection: str, kind: str, hrefs: list[str]) -> object:
        fetched.append(sorted(hrefs))
        return fetch(self, collection, kind, hrefs)

    monkeypatch.setattr(Dav, "fetch", counted)

    first = run(db)
    assert (first.pulled, first.interactions, first.booked) == (3, 1, 1)
    assert len(fetched[0]) == 3

    again = run(db)
    assert set(again.counts().values()) == {0}
    assert again.requests == 1 and len(fetched) == 1  # one sync-collection, nothing fetched
    with open_ctx(db) as ctx:
        mia = ctx.session.get(Person, people["Mia Wong"])
        assert mia is not None and standing_of(ctx, mia).booked_on == date(2026, 12, 3)

    put("walk", event("walk-1", "20261123T080000Z", "Walk with Priya Shah"))
    third = run(db)
    assert fetched[1:] == [[f"/{user}/work/walk.ics"]]
    assert (third.pulled, third.moved, third.interactions, third.booked) == (1, 1, 0, 0)
    assert ("walk", date(2026, 11, 23), "sync", [people["Priya Shah"]]) in _interactions(db)
    with open_ctx(db) as ctx:
        assert ctx.session.scalars(select(Booking)).one().on == date(2026, 12, 3)

    with radicale.client(user) as http:
        assert http.delete(f"/{user}/work/walk.ics").status_code in (200, 204)
    fourth = run(db)
    assert (fourth.pulled, fourth.removed) == (0, 1)
    assert len(fetched) == 2  # a deletion needs nothing fetched
    assert "walk" not in [i[0] for i in _interactions(db)]
