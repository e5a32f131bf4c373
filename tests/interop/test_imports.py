"""Importing through the service and the CLI: matching, the plan, all-or-nothing, calendars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mentormap.interop.records import ParseError
from mentormap.models import Interaction, Person, PersonEmail, PersonLink, PersonPhone
from mentormap.services.context import Ctx
from mentormap.services.interop.imports import import_file
from mentormap.services.people.people import add_person
from tests.conftest import CliInvoke

FIXTURES = Path(__file__).parents[1] / "fixtures"
LINKEDIN = FIXTURES / "linkedin" / "preamble_bom_with_url.csv"


def people_count(ctx: Ctx) -> int:
    return ctx.session.scalar(select(func.count(Person.id))) or 0


def test_linkedin_import_creates_people_with_how_and_when_met(ctx: Ctx) -> None:
    plan = import_file(ctx, LINKEDIN.read_bytes())
    assert plan.format == "linkedin"
    assert plan.counts == {"new": 3, "updated": 0, "merged": 0, "skipped": 0}
    priya = ctx.session.scalars(select(Person).where(Person.name == "Priya Raman")).one()
    assert priya.how_met == "Connected on LinkedIn"
    assert priya.met_on.isoformat() == "2024-03-12"
    assert priya.company == "Atlassian" and priya.title == "Principal Engineer"
    assert [e.email for e in priya.emails] == ["priya@example.com"]
    assert [(link.kind, link.url) for link in priya.links] == [
        ("linkedin", "https://linkedin.com/in/priyaraman")
    ]


def test_reimport_changes_nothing(ctx: Ctx) -> None:
    import_file(ctx, LINKEDIN.read_bytes())
    again = import_file(ctx, LINKEDIN.read_bytes())
    assert again.counts == {"new": 0, "updated": 0, "merged": 0, "skipped": 3}
    assert all("nothing new" in item.reason for item in again.items)
    assert people_count(ctx) == 3


def test_dry_run_writes_nothing(ctx: Ctx) -> None:
    plan = import_file(ctx, LINKEDIN.read_bytes(), dry_run=True)
    assert plan.counts["new"] == 3
    assert people_count(ctx) == 0


@pytest.mark.parametrize(
    ("existing", "how"),
    [
        ({"emails": ["PRIYA@example.com"]}, "email"),
        ({"links": ["http://linkedin.com/in/priyaraman/"]}, "LinkedIn URL"),
        ({"company": "Atlassian Pty Ltd"}, "name and company"),
        ({}, "name"),
    ],
)
def test_matches_existing_person(ctx: Ctx, existing: dict[str, object], how: str) -> None:
    name = "Priya Raman" if how.startswith("name") else "P. Raman (old entry)"
    person = add_person(ctx, name, **existing)  # type: ignore[arg-type]
    plan = import_file(ctx, LINKEDIN.read_bytes())
    priya = next(item for item in plan.items if item.name == "Priya Raman")
    assert priya.action == "updated"
    assert priya.person_id == person.id
    assert f"by {how}" in priya.reason
    assert people_count(ctx) == 3


def test_matches_by_normalised_phone(ctx: Ctx) -> None:
    person = add_person(ctx, "Someone Else", phones=["+61400123456"])
    vcf = FIXTURES / "vcard" / "google_several_values.vcf"
    plan = import_file(ctx, vcf.read_bytes())
    assert plan.items[0].person_id == person.id and "by phone" in plan.items[0].reason


def test_same_name_other_company_is_another_person(ctx: Ctx) -> None:
    add_person(ctx, "Priya Raman", company="Canva")
    plan = import_file(ctx, LINKEDIN.read_bytes())
    assert plan.counts["new"] == 3
    assert people_count(ctx) == 4


def test_update_fills_gaps_and_never_overwrites(ctx: Ctx) -> None:
    person = add_person(ctx, "Priya Raman", emails=["priya@example.com"], title="Distinguished")
    import_file(ctx, LINKEDIN.read_bytes())
    ctx.session.refresh(person)
    assert person.title == "Distinguished"  # kept
    assert person.company == "Atlassian"  # filled in
    assert person.how_met == "Connected on LinkedIn"


def test_duplicates_inside_one_file_are_merged(ctx: Ctx) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Lima,,ana@example.com,Acme,CTO,12 Mar 2024\n"
        "Ana,Lima,https://www.linkedin.com/in/ana,ana@example.com,Acme,,12 Mar 2024\n"
    )
    plan = import_file(ctx, text.encode())
    assert [item.action for item in plan.items] == ["new", "merged"]
    assert "same person as line 2 (by email)" in plan.items[1].reason
    ana = ctx.session.scalars(select(Person)).one()
    assert [link.url for link in ana.links] == ["https://linkedin.com/in/ana"]


def test_a_bad_record_stops_the_whole_import(ctx: Ctx) -> None:
    bad = (FIXTURES / "bad" / "linkedin_bad_date.csv").read_bytes()
    with pytest.raises(ParseError, match="line 3"):
        import_file(ctx, bad)


def test_skip_bad_imports_the_rest_and_lists_the_bad(ctx: Ctx) -> None:
    bad = (FIXTURES / "bad" / "linkedin_bad_date.csv").read_bytes()
    plan = import_file(ctx, bad, skip_bad=True)
    assert plan.counts == {"new": 1, "updated": 0, "merged": 0, "skipped": 1}
    assert plan.bad_records == ["line 3: Connected On 'someday' is not a date like 12 Mar 2024."]
    assert people_count(ctx) == 1


def test_google_import_keeps_several_emails_and_phones(ctx: Ctx) -> None:
    import_file(ctx, (FIXTURES / "google" / "legacy_layout.csv").read_bytes())
    person = ctx.session.scalars(select(Person)).one()
    assert person.birthday == "1936-08-17"
    phones = ctx.session.scalars(select(PersonPhone.normalized).order_by(PersonPhone.id)).all()
    assert phones == ["+16175550199", "+16175550100", "+16175550101"]
    assert ctx.session.scalar(select(PersonEmail.label)) == "work"


def test_csv_with_map(ctx: Ctx) -> None:
    data = (FIXTURES / "csv" / "custom_columns.csv").read_bytes()
    plan = import_file(
        ctx, data, mapping=["Full name=name", "Work email=email", "Employer=company"]
    )
    assert plan.counts["new"] == 2
    emails = ctx.session.scalars(select(PersonEmail.email).order_by(PersonEmail.email)).all()
    assert emails == ["dana@example.com", "fox@example.com", "trustno1@example.org"]


# --- calendars -------------------------------------------------------------------------------


def _network(ctx: Ctx) -> dict[str, Person]:
    return {
        "priya": add_person(ctx, "Priya Raman", emails=["priya@example.com"]),
        "chidi": add_person(ctx, "Chidi Okafor", emails=["chidi@example.com"]),
        "ruth": add_person(ctx, "Ruth Mensah"),
    }


def test_calendar_events_become_interactions(ctx: Ctx) -> None:
    people = _network(ctx)
    data = (FIXTURES / "ics" / "google_recurring_with_exception.ics").read_bytes()
    plan = import_file(ctx, data)
    assert plan.counts["new"] == 7
    assert [i.reason for i in plan.items if i.action == "skipped"] == ["cancelled"]
    rows = ctx.session.scalars(select(Interaction).order_by(Interaction.occurred_on)).all()
    assert len(rows) == 7 and {r.source for r in rows} == {"ics"}
    assert rows[0].external_uid == "7kq1a2b3c4d5e6@google.com/2026-10-01"
    ctx.session.refresh(people["priya"])
    assert people["priya"].last_contact_on.isoformat() == "2026-11-19"


def test_calendar_reimport_adds_nothing_twice(ctx: Ctx) -> None:
    _network(ctx)
    data = (FIXTURES / "ics" / "google_recurring_with_exception.ics").read_bytes()
    import_file(ctx, data)
    again = import_file(ctx, data)
    assert again.counts["new"] == 0
    assert {i.reason for i in again.items} == {"already imported", "cancelled"}
    assert ctx.session.scalar(select(func.count(Interaction.id))) == 7


def test_calendar_skips_declined_cancelled_future_and_strangers(ctx: Ctx) -> None:
    _network(ctx)
    outlook = (FIXTURES / "ics" / "outlook_declined_and_cancelled.ics").read_bytes()
    plan = import_file(ctx, outlook, me=["me@example.com"])
    assert [(i.action, i.reason) for i in plan.items] == [
        ("skipped", "declined"),
        ("skipped", "cancelled"),
        ("new", "2026-11-17 with 1 person"),  # "Coffee with Chidi": a unique first name
    ]
    apple = (FIXTURES / "ics" / "all_day_floating_no_uid.ics").read_bytes()
    plan = import_file(ctx, apple)
    assert [(i.action, i.reason) for i in plan.items] == [
        ("new", "2026-09-12 with 2 people"),
        ("new", "2026-11-20 with 1 person"),
        ("skipped", "planned, not happened yet"),
    ]
    kinds = ctx.session.scalars(select(Interaction.kind).order_by(Interaction.occurred_on)).all()
    assert kinds == ["meetup", "coffee", "meetup"]


def test_calendar_event_with_nobody_known_is_skipped(ctx: Ctx) -> None:
    data = (FIXTURES / "ics" / "outlook_declined_and_cancelled.ics").read_bytes()
    plan = import_file(ctx, data)
    assert plan.items[-1].reason == "nobody from your network"


# --- through the CLI -------------------------------------------------------------------------


def test_cli_import_prints_summary(cli: CliInvoke) -> None:
    result = cli("import", str(LINKEDIN))
    assert result.exit_code == 0, result.output
    assert "Imported linkedin: 3 new, 0 updated, 0 merged, 0 skipped." in result.stdout
    listed = json.loads(cli("people", "list", "--json").stdout)
    assert sorted(p["name"] for p in listed) == ["Chidi Okafor", "José Álvarez", "Priya Raman"]


def test_cli_dry_run_shows_plan_and_writes_nothing(cli: CliInvoke) -> None:
    result = cli("import", str(LINKEDIN), "--dry-run")
    assert result.exit_code == 0
    assert "new" in result.stdout and "not in your network" in result.stdout
    assert "Nothing was changed" in result.stdout
    assert json.loads(cli("people", "list", "--json").stdout) == []


def test_cli_json_plan_shape(cli: CliInvoke) -> None:
    result = cli("import", str(LINKEDIN), "--dry-run", "--json")
    plan = json.loads(result.stdout)
    assert set(plan) == {"format", "dry_run", "counts", "items", "bad_records", "warnings"}
    assert plan["items"][0] == {
        "action": "new",
        "name": "Priya Raman",
        "where": "line 5",
        "reason": "not in your network",
        "person_id": None,
    }


def test_cli_bad_file_is_one_line_and_writes_nothing(cli: CliInvoke) -> None:
    result = cli("import", str(FIXTURES / "bad" / "linkedin_bad_date.csv"))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: line 3: Connected On 'someday' is not a date like 12 Mar 2024. "
        "Run again with --skip-bad to leave it out and import the rest.\n"
    )
    assert json.loads(cli("people", "list", "--json").stdout) == []


def test_cli_skip_bad_reports_each_skipped_record(cli: CliInvoke) -> None:
    result = cli("import", str(FIXTURES / "bad" / "linkedin_bad_date.csv"), "--skip-bad")
    assert result.exit_code == 0
    assert "unreadable: Connected On 'someday'" in result.stdout
    assert "1 unreadable record(s) were left out" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "/nonexistent/file.csv"], "Error: No file '/nonexistent/file.csv'."),
        (["import", str(LINKEDIN), "--format", "xls"], "Error: Unknown format 'xls'"),
        (["import", str(LINKEDIN), "--format", "vcard"], "Error: line 1: this is not a vCard"),
        (["import", str(LINKEDIN), "--map", "Bogus=name"], "Error: --map: no column named"),
    ],
)
def test_cli_import_errors(cli: CliInvoke, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_cli_import_calendar(demo_cli: CliInvoke, tmp_path: Path) -> None:
    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:demo-1\nDTSTART:20261120T120000Z\n"
        "SUMMARY:Lunch with Priya Raman\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    first = demo_cli("import", str(ics))
    assert "Imported ics: 1 new" in first.stdout, first.output
    second = demo_cli("import", str(ics))
    assert "already imported" in second.stdout
    timeline = json.loads(demo_cli("timeline", "Priya Raman", "--json").stdout)
    assert any(row["kind"] == "lunch" and row["occurred_on"] == "2026-11-20" for row in timeline)


def test_links_are_stored_normalised(ctx: Ctx) -> None:
    import_file(ctx, (FIXTURES / "vcard" / "google_several_values.vcf").read_bytes())
    kinds = ctx.session.execute(select(PersonLink.kind, PersonLink.url)).all()
    assert sorted(kinds) == [
        ("github", "https://github.com/priyar"),
        ("linkedin", "https://linkedin.com/in/priyaraman"),
    ]


def test_record_pointing_at_two_people_says_so(ctx: Ctx) -> None:
    ana = add_person(ctx, "Ana Lima", emails=["ana@example.com"])
    other = add_person(ctx, "Ana L.", phones=["+44 7700 900123"])
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEMAIL:ana@example.com\n"
        "TEL:+447700900123\nEND:VCARD\n"
    )
    plan = import_file(ctx, text.encode())
    assert plan.items[0].person_id == ana.id
    assert f"also looks like #{other.id}: see `mentormap people duplicates`" in plan.items[0].reason
