"""Birthdays: entered with or without a year, imported, exported, shown, and in Today."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from mentormap.domain.lives import birthday_in, month_days_between, parse_birthday
from mentormap.errors import InvalidInput
from mentormap.services.context import Ctx
from mentormap.services.interop.exports import export_chunks
from mentormap.services.interop.imports import import_file
from mentormap.services.people.lives import upcoming_birthdays
from mentormap.services.people.people import add_person, set_archived
from tests.conftest import TODAY, CliInvoke
from tests.web.conftest import app, client, post, token  # noqa: F401

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ines Duarte\r\nEMAIL:ines@example.org\r\n"
    "BDAY:--0317\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olu Bakare\r\nEMAIL:olu@example.org\r\n"
    "BDAY:1980-11-27\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1984-03-07", "1984-03-07"),
        ("03-07", "--03-07"),
        ("--3-7", "--03-07"),
        ("02-29", "--02-29"),
        ("  ", None),
    ],
)
def test_a_birthday_is_read_with_or_without_its_year(typed: str, stored: str | None) -> None:
    assert parse_birthday(typed) == stored


@pytest.mark.parametrize("typed", ["1983-02-29", "13-01", "02-30", "next week", "1850-01-01"])
def test_a_wrong_birthday_is_refused_in_one_sentence(typed: str) -> None:
    with pytest.raises(InvalidInput, match="is not a birthday; write YYYY-MM-DD"):
        parse_birthday(typed)


def test_29_february_falls_on_28_february_in_other_years() -> None:
    assert birthday_in("--02-29", 2027) == date(2027, 2, 28)
    assert birthday_in("2000-02-29", 2028) == date(2028, 2, 29)
    # The database is asked for 29 February too when a common year's 28th is in range.
    assert "02-29" in (month_days_between(date(2027, 2, 27), date(2027, 3, 1)) or [])
    assert "02-29" not in (month_days_between(date(2027, 3, 1), date(2027, 3, 7)) or [])


def test_upcoming_birthdays_cross_the_year_and_skip_the_archived(ctx: Ctx) -> None:
    add_person(ctx, "Leap Year", birthday="2000-02-29")
    add_person(ctx, "New Year", birthday="--01-02")
    add_person(ctx, "Eve", birthday="1990-12-31")
    gone = add_person(ctx, "Gone Away", birthday="--12-30")
    set_archived(ctx, gone)
    found = upcoming_birthdays(ctx, date(2026, 12, 28), date(2027, 3, 1))
    assert [(b.name, b.on, b.age) for b in found] == [
        ("Eve", date(2026, 12, 31), 36),
        ("New Year", date(2027, 1, 2), None),
        ("Leap Year", date(2027, 2, 28), 27),
    ]
    # A long range (a calendar feed's year) lists each birthday once per year it falls in.
    year = upcoming_birthdays(ctx, date(2027, 1, 1), date(2028, 12, 31))
    assert [b.on for b in year if b.name == "Leap Year"] == [date(2027, 2, 28), date(2028, 2, 29)]


def test_imports_store_a_birthday_and_fill_only_an_empty_one(ctx: Ctx) -> None:
    olu = add_person(ctx, "Olu Bakare", emails=["olu@example.org"], birthday="--01-01")
    plan = import_file(ctx, VCARD.encode())
    assert [i.action for i in plan.items] == ["new", "skipped"]
    ctx.session.refresh(olu)
    assert olu.birthday == "--01-01"  # what she typed is never overwritten
    ines = [p for p in upcoming_birthdays(ctx, date(2027, 3, 1), date(2027, 3, 31))]
    assert [(b.name, b.age) for b in ines] == [("Ines Duarte", None)]
    olu.birthday = None
    ctx.session.flush()
    plan = import_file(ctx, VCARD.encode())
    assert "adds birthday" in plan.items[1].reason
    ctx.session.refresh(olu)
    assert olu.birthday == "1980-11-27"


def test_exports_write_the_birthday(ctx: Ctx) -> None:
    add_person(ctx, "Ines Duarte", birthday="--03-17")
    add_person(ctx, "Olu Bakare", birthday="1980-11-27")
    vcard = "".join(export_chunks(ctx, "vcard"))
    assert "BDAY:--0317" in vcard and "BDAY:19801127" in vcard
    csv = "".join(export_chunks(ctx, "csv"))
    assert "--03-17" in csv and "1980-11-27" in csv


def test_cli_sets_shows_and_clears_a_birthday(cli: CliInvoke) -> None:
    assert cli("people", "add", "Olu Bakare", "--birthday", "1980-11-27").exit_code == 0
    shown = cli("people", "show", "Olu")
    assert "27 November 1980" in shown.output
    assert json.loads(cli("people", "show", "Olu", "--json").output)["birthday"] == "1980-11-27"
    assert cli("people", "edit", "Olu", "--birthday", "11-27").exit_code == 0
    assert json.loads(cli("people", "show", "Olu", "--json").output)["birthday"] == "--11-27"
    bad = cli("people", "edit", "Olu", "--birthday", "11-31")
    assert bad.exit_code == 1 and "'11-31' is not a birthday" in bad.output
    assert cli("people", "edit", "Olu", "--birthday", "").exit_code == 0
    assert json.loads(cli("people", "show", "Olu", "--json").output)["birthday"] is None


def test_today_lists_the_weeks_birthdays_with_their_age(cli: CliInvoke) -> None:
    # TODAY is Wednesday 25 November 2026: the week runs to Tuesday 1 December.
    cli("people", "add", "Olu Bakare", "--birthday", "1980-11-27")
    cli("people", "add", "Ines Duarte", "--birthday", "12-01")
    cli("people", "add", "Too Late", "--birthday", "12-02")
    cli("people", "add", "Was Yesterday", "--birthday", "11-24")
    agenda = json.loads(cli("today", "--json").output)
    assert agenda["birthdays"] == [
        {"person_id": 1, "name": "Olu Bakare", "on": "2026-11-27", "age": 46, "days_away": 2},
        {"person_id": 2, "name": "Ines Duarte", "on": "2026-12-01", "age": None, "days_away": 6},
    ]
    text = cli("today").output
    assert "Birthdays this week" in text and "Olu Bakare: Fri 27 Nov, turns 46" in text


def test_the_time_zone_decides_whose_birthday_is_today(
    cli: CliInvoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a fixed day, "today" is her day where she is, not the machine's or UTC's."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    monkeypatch.delenv("MENTORMAP_TODAY")
    monkeypatch.setenv("MENTORMAP_TZ", "Pacific/Kiritimati")  # UTC+14: a day ahead most hours
    here = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    cli("people", "add", "Olu Bakare", "--birthday", f"--{here:%m-%d}")
    [birthday] = json.loads(cli("today", "--json").output)["birthdays"]
    assert (birthday["on"], birthday["days_away"]) == (here.isoformat(), 0)


def test_web_form_sets_a_birthday_and_refuses_a_wrong_one(client: TestClient) -> None:  # noqa: F811
    post(client, "/people/new", {"name": "Olu Bakare"}, form_page="/people/new")
    form = client.get("/people/1/edit").text
    assert 'name="birthday"' in form
    base = {"name": "Olu Bakare", "keeps_clock": "role"}
    bad = post(client, "/people/1/edit", {**base, "birthday": "11-31"}, "/people/1/edit")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert 'id="birthday-error"' in bad.text and "is not a birthday" in bad.text  # type: ignore[attr-defined]
    ok = post(client, "/people/1/edit", {**base, "birthday": "1980-11-27"}, "/people/1/edit")
    assert ok.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/people/1").text
    assert "<dt>Birthday</dt><dd>27 November 1980</dd>" in page
    today_page = client.get("/today").text
    assert 'id="birthdays"' in today_page and "turns 46" in today_page
    post(client, "/people/1/edit", {**base, "birthday": ""}, "/people/1/edit")
    assert "<dt>Birthday</dt>" not in client.get("/people/1").text


def test_today_of_the_fixture_clock_is_a_wednesday() -> None:
    assert TODAY.weekday() == 2
