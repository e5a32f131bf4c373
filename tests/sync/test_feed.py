"""The private reminder feed: served by the web app at a secret address, with a reminder on
every event; a wrong or rotated secret is a 404."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import FollowUp, Person
from mentormap.services.sync.feed import slot
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.conftest import CliInvoke
from tests.web.conftest import BASE_URL

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_slot_falls_inside_both_working_days() -> None:
    day = date(2026, 11, 30)
    both = slot(day, LONDON, "09:00-17:30", NEW_YORK, "09:00-17:00")
    assert both == datetime(2026, 11, 30, 14, 0, tzinfo=LONDON)  # 09:00 in New York
    alone = slot(day, LONDON, None, None, None)
    assert alone == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)
    # No half hour in common: her own morning.
    far = slot(day, LONDON, "09:00-10:00", NEW_YORK, "09:00-17:00")
    assert far == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        yield client


def test_the_feed_serves_reminders_at_its_secret_address_only(
    db: Database, cli: CliInvoke, web: TestClient
) -> None:
    with open_ctx(db) as ctx:
        nia = Person(
            name="Nia Cole",
            met_on=date(2025, 1, 1),  # a contact never caught up with: due
            timezone="America/New_York",
            work_hours="09:00-17:00",
            birthday="--12-01",
        )
        ctx.session.add(nia)
        ctx.session.flush()
        ctx.session.add(
            FollowUp(
                title="Send the talk slides",
                person_id=nia.id,
                due_on=date(2026, 11, 27),
                owed_by="me",
                state="open",
            )
        )
    found = cli("feed", "url", "--json")
    assert found.exit_code == 0
    address = json.loads(found.output)["url"]
    path = urlsplit(address).path
    assert path.startswith("/feed/") and len(path) > 30

    served = web.get(path)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/calendar")
    events = {
        str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(served.text).walk("VEVENT")
    }
    catch_up = events["Catch up with Nia Cole"]
    # Overdue: today, at 09:00 in New York, inside both working days.
    assert catch_up.decoded("DTSTART").astimezone(LONDON) == datetime(
        2026, 11, 25, 14, 0, tzinfo=LONDON
    )
    assert events["Follow up: Send the talk slides (Nia Cole)"].decoded("DTSTART") == date(
        2026, 11, 27
    )
    birthday = events["Nia Cole's birthday"]
    assert birthday.decoded("DTSTART") == date(2026, 12, 1)
    assert "FREQ=YEARLY" in birthday["RRULE"].to_ical().decode()
    assert all(any(c.name == "VALARM" for c in e.subcomponents) for e in events.values())

    assert web.get("/feed/not-the-secret.ics").status_code == 404
    assert cli("feed", "rotate").exit_code == 0
    assert web.get(path).status_code == 404
    fresh = urlsplit(json.loads(cli("feed", "url", "--json").output)["url"]).path
    assert fresh != path and web.get(fresh).status_code == 200
    settings = cli("config", "get", "--json")
    assert settings.exit_code == 0 and "feed_secret" not in settings.output
    assert fresh.split("/")[-1][:-4] not in settings.output


def test_the_feed_writer_escapes_what_a_title_can_hold() -> None:
    from mentormap.interop.feed import FeedItem, write_feed

    title = "Coffee, lunch; or a walk\nwith Zoë \\ Ana " + "long " * 30
    text = write_feed(
        [FeedItem("a@x", title, date(2026, 12, 1), description="line\u2028two")],
        datetime(2026, 11, 25, 8, 0, tzinfo=LONDON),
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    [parsed] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(parsed["SUMMARY"]) == title
    assert str(parsed["DESCRIPTION"]) == "line\ntwo"
    [alarm] = parsed.subcomponents
    assert alarm.decoded("TRIGGER").total_seconds() == 9 * 3600
