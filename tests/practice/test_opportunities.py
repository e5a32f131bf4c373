"""Opportunities: statuses, deadlines in today, the thank-you on acceptance, the champion's
credit in the health report, passing one on to a mentee, and the migration of old states."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text

from mentormap.db import Database, alembic_config
from mentormap.settings import Settings
from tests.conftest import CliInvoke


def test_add_list_update_and_remove(cli: CliInvoke) -> None:
    cli("people", "add", "Chiyo Sato")
    added = cli(
        "opportunity", "add", "KubeCon CFP", "--from", "Chiyo", "--deadline", "2026-12-01",
        "--kind", "cfp",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Opportunity #1: KubeCon CFP (cfp) from Chiyo Sato, deadline 2026-12-01." in added.output
    rows = json.loads(cli("opportunity", "list", "--json").output)
    assert {k: rows[0][k] for k in ("id", "title", "from", "deadline", "status")} == {
        "id": 1,
        "title": "KubeCon CFP",
        "from": "Chiyo Sato",
        "deadline": "2026-12-01",
        "status": "considering",
    }
    cli("opportunity", "update", "1", "--title", "KubeCon EU CFP", "--deadline", "2026-12-03")
    cli("opportunity", "update", "1", "--status", "applied", "--kind", "conference")
    row = json.loads(cli("opportunity", "list", "--json").output)[0]
    assert (row["title"], row["deadline"], row["status"], row["kind"]) == (
        "KubeCon EU CFP", "2026-12-03", "applied", "conference",
    )  # fmt: skip
    cli("opportunity", "update", "1", "--no-deadline")
    assert json.loads(cli("opportunity", "list", "--json").output)[0]["deadline"] is None
    assert "Removed opportunity #1" in cli("opportunity", "remove", "1").output
    assert json.loads(cli("opportunity", "list", "--json").output) == []


def test_bad_values_are_refused_in_one_line(cli: CliInvoke) -> None:
    kind = cli("opportunity", "add", "X", "--kind", "job")
    assert kind.exit_code == 1 and "Unknown opportunity kind 'job'" in kind.output
    link = cli("opportunity", "add", "X", "--url", "javascript:alert(1)")
    assert link.exit_code == 1 and "not a web address" in link.output
    cli("opportunity", "add", "X")
    status = cli("opportunity", "update", "1", "--status", "won")
    assert status.exit_code == 1 and "Unknown status 'won'" in status.output
    missing = cli("opportunity", "update", "9", "--status", "done")
    assert missing.exit_code == 1 and "No opportunity with id 9" in missing.output


def test_accepting_opens_a_thank_you_to_who_brought_it(cli: CliInvoke) -> None:
    cli("people", "add", "Chiyo Sato")
    cli("opportunity", "add", "Rust Nation talk", "--from", "Chiyo")
    cli("opportunity", "add", "Own idea")
    plain = cli("opportunity", "update", "2", "--status", "accepted")
    assert "Follow-up" not in plain.output  # nobody to thank
    accepted = cli("opportunity", "update", "1", "--status", "accepted")
    assert "Say thank you to Chiyo Sato for the tip: Rust Nation talk (accepted)" in accepted.output
    follow_ups = json.loads(cli("followup", "list", "--json").output)
    assert [(f["name"], f["rule"], f["due_on"]) for f in follow_ups] == [
        ("Chiyo Sato", "thank_you", "2026-11-27")
    ]
    again = cli("opportunity", "update", "1", "--status", "accepted")
    assert "Follow-up" not in again.output  # only the change to accepted asks for thanks
    assert len(json.loads(cli("followup", "list", "--json").output)) == 1


def test_deadlines_within_two_weeks_are_in_today(cli: CliInvoke) -> None:
    cli("opportunity", "add", "Soon", "--deadline", "2026-12-09")  # 14 days
    cli("opportunity", "add", "Later", "--deadline", "2026-12-10")  # 15 days
    cli("opportunity", "add", "Gone", "--deadline", "2026-11-24")
    cli("opportunity", "add", "Applied", "--deadline", "2026-11-25", "--status", "applied")
    cli("opportunity", "add", "Declined", "--deadline", "2026-11-30", "--status", "declined")
    agenda = json.loads(cli("today", "--json").output)
    assert [(d["title"], d["days_left"]) for d in agenda["deadlines"]] == [
        ("Applied", 0),
        ("Soon", 14),
    ]
    screen = cli("today").output
    assert "Deadlines (next two weeks)" in screen
    assert "Soon (cfp, considering): 2026-12-09 (in 14 days)" in screen


def test_health_credits_champions_with_what_came_of_their_tips(cli: CliInvoke) -> None:
    cli("people", "add", "Chiyo Sato")
    cli("role", "add", "Chiyo Sato", "champion")
    for title, status, by in (
        ("Talk A", "accepted", "Chiyo"),
        ("Talk B", "done", "Chiyo"),
        ("Talk C", "done", None),
        ("Talk D", "declined", "Chiyo"),
        ("Talk E", "accepted", None),
        ("Talk F", "applied", "Chiyo"),
    ):
        cli("opportunity", "add", title, "--status", status, *(["--from", by] if by else []))
    cli(
        "opportunity",
        "add",
        "Program",
        "--kind",
        "program",
        "--status",
        "accepted",
        "--from",
        "Chiyo",
    )
    report = json.loads(cli("health", "--json").output)
    credits = [f["title"] for f in report["findings"] if f["key"] == "reciprocity.champion_credit"]
    assert credits == [
        "2 of your 4 talks came from Chiyo Sato",
        "Your one program came from Chiyo Sato",
    ]
    assert "Credit where due" in cli("health").output


def test_passing_one_on_to_a_mentee(cli: CliInvoke) -> None:
    cli("people", "add", "Aisha Khan")
    cli("people", "add", "Bo Chen")
    cli("role", "add", "Aisha Khan", "mentee")
    cli("opportunity", "add", "Grace Hopper scholarship", "--kind", "program", "--deadline", "+20d")
    refused = cli("opportunity", "pass", "1", "--to", "Bo Chen")
    assert refused.exit_code == 1 and "not your mentee" in refused.output
    passed = cli("opportunity", "pass", "1", "--to", "Aisha", "--note", "fits her SDK work")
    assert "Passed on to Aisha Khan: Grace Hopper scholarship." in passed.output
    assert json.loads(cli("opportunity", "list", "--json").output)[0]["passed_to"] == ["Aisha Khan"]
    view = json.loads(cli("mentee", "show", "Aisha", "--json").output)
    assert [(p["title"], p["note"]) for p in view["passed_on"]] == [
        ("Grace Hopper scholarship", "fits her SDK work")
    ]
    brief = cli("prep", "Aisha Khan").output
    assert "You pointed Aisha at Grace Hopper scholarship" in brief
    assert "Could you put Aisha forward for: Grace Hopper scholarship" not in brief
    cli("opportunity", "pass", "1", "--to", "Aisha", "--undo")
    assert json.loads(cli("mentee", "show", "Aisha", "--json").output)["passed_on"] == []


def test_migration_maps_the_old_states_and_kinds(tmp_path: Path, settings: Settings) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0181")
        old = [("cfp", "open"), ("job", "won"), ("program", "lost"), ("project", "passed")]
        for index, (kind, state) in enumerate([*old, ("cfp", "applied")]):
            conn.execute(
                text(
                    "INSERT INTO opportunities (id, kind, title, state, created_on, owner_id)"
                    " VALUES (:i, :k, 'T', :s, '2026-01-01', 1)"
                ),
                {"i": index + 1, "k": kind, "s": state},
            )
    engine.dispose()
    database = Database.open(replace(settings, database_url=url))  # upgrades to head
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, status FROM opportunities ORDER BY id")).all()
    database.close()
    assert [tuple(r) for r in rows] == [
        ("cfp", "considering"),
        ("role", "accepted"),
        ("program", "declined"),
        ("project", "declined"),
        ("cfp", "applied"),
    ]


def test_a_backup_from_before_the_new_statuses_restores(cli: CliInvoke, tmp_path: Path) -> None:
    cli("opportunity", "add", "Old job", "--kind", "role", "--status", "accepted")
    cli("opportunity", "add", "Old CFP", "--status", "considering")
    backup = tmp_path / "backup.json"
    cli("export", "--format", "json", "--output", str(backup))
    doc = json.loads(backup.read_text())
    doc["schema"] = "0181"  # as written before migration 0191
    for table in ("prospects", "opportunity_passes", "office_hours", "failure_stories"):
        doc["tables"].pop(table, None)
    doc["tables"].pop("mentee_notes", None)
    table = doc["tables"]["opportunities"]
    at, kind = table["columns"].index("status"), table["columns"].index("kind")
    table["columns"][at] = "state"
    old = {"accepted": "won", "considering": "open"}
    for row in table["rows"]:
        row[at] = old[row[at]]
        row[kind] = "job" if row[kind] == "role" else row[kind]
    backup.write_text(json.dumps(doc))
    target = tmp_path / "restored.db"
    restored = cli("--db", str(target), "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    rows = json.loads(cli("--db", str(target), "opportunity", "list", "--json").output)
    assert {(r["title"], r["kind"], r["status"]) for r in rows} == {
        ("Old job", "role", "accepted"),
        ("Old CFP", "cfp", "considering"),
    }
