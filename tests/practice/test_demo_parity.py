"""The rule of issue #16: anything the demo creates, a user can create, change and remove from the
CLI and from the web.

The demo is built into a real SQLite file; every table of the models that holds rows of the
owner afterwards is a record kind the demo creates, so a new kind cannot be forgotten: a table
without an entry in KINDS fails the test, by name. Each entry says which CLI commands and which
web routes create, change and remove it; those that exist are checked against the Typer app and
the FastAPI routes. Something missing is a `Gap` (with the command it is expected to be), and
any gap fails the whole rule; kinds that another #16 branch brings are `pending` until the lead
switches them on at the merge. A few kinds are then walked through create → change → remove on
both faces for real.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from mentormap.models import LOCAL_OWNER_ID, Base
from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401

# Tables that are not record kinds of their own, and why.
DERIVED = {
    "owners": "the account the records belong to, one per user",
    "search_vectors": "embeddings of the search index, derived and rebuilt (semantic install)",
    "mail_folders": "mail capture's sync state (which messages of a folder were read)",
    "mail_messages": "mail capture's record of messages already read, to skip them next time",
    "mail_addresses": "addresses seen by mail capture, derived from the messages",
}


@dataclass(frozen=True)
class Gap:
    """An operation the rule asks for that does not exist yet; `expected` is its likely name."""

    expected: str
    note: str = ""


@dataclass(frozen=True)
class NotApplicable:
    """An operation that has no meaning for the kind (said why)."""

    why: str


Op = str | Gap | NotApplicable


@dataclass(frozen=True)
class Ways:
    create: Op
    change: Op
    remove: Op

    def ops(self) -> list[tuple[str, Op]]:
        return [("create", self.create), ("change", self.change), ("remove", self.remove)]


@dataclass(frozen=True)
class Kind:
    name: str
    tables: tuple[str, ...]
    cli: Ways  # "command sub [--option]"
    web: Ways  # "METHOD /path/as/{routed}"
    pending: bool = False  # brought by another #16 branch: the lead switches it on at merge


KINDS = [
    Kind(
        "person",
        ("people",),
        Ways("people add", "people edit", "people delete"),
        Ways(
            "POST /people/new",
            "POST /people/{person_id:id}/edit",
            "POST /people/{person_id:id}/archive",  # archiving is the web's removal
        ),
    ),
    Kind(
        "email address",
        ("person_emails",),
        Ways(
            "people edit --email",
            "people edit --remove-email OLD --email NEW",  # one removed, one added: changed
            "people edit --remove-email",
        ),
        Ways(
            "POST /people/{person_id:id}/edit",  # the "Add an email" field
            "POST /people/{person_id:id}/edit",  # each address has its field: corrected in place
            "POST /people/{person_id:id}/emails/{email_id:id}/remove",
        ),
    ),
    Kind(
        "role",
        ("roles",),
        Ways("role add", "role add --cadence", "role remove"),
        Ways(
            "POST /people/{person_id:id}/roles",
            "POST /people/{person_id:id}/roles",  # again: updates cadence and note
            "POST /people/{person_id:id}/roles/{key}/end",
        ),
    ),
    Kind(
        "attribute",
        ("person_attributes",),
        Ways("attr set", "attr set", "attr unset"),
        Ways(
            "POST /people/{person_id:id}/attributes",
            "POST /people/{person_id:id}/attributes",
            "POST /people/{person_id:id}/attributes/remove",
        ),
    ),
    Kind(
        "tag",
        ("tags", "person_tags"),
        Ways("tag add", NotApplicable("a tag is its name: remove one, add another"), "tag remove"),
        Ways(
            "POST /people/{person_id:id}/edit",  # the Tags field
            NotApplicable("a tag is its name: remove one, add another"),
            "POST /people/{person_id:id}/edit",
        ),
    ),
    Kind(
        "interaction",
        ("interactions", "interaction_participants"),
        Ways("log", "interaction edit", "interaction delete"),
        Ways(
            "POST /log",
            "POST /interactions/{interaction_id:id}/edit",
            "POST /interactions/{interaction_id:id}/delete",
        ),
    ),
    Kind(
        "group",
        ("groups",),
        Ways("group create", "group edit", "group delete"),  # its sessions stay, as conversations
        Ways(
            "POST /groups",
            "POST /groups/{group_id:id}/edit",
            "POST /groups/{group_id:id}/delete",
        ),
    ),
    Kind(
        "group member",
        ("group_members",),
        Ways("group add", NotApplicable("a membership has nothing to change"), "group remove"),
        Ways(
            "POST /groups/{group_id:id}/members",
            NotApplicable("a membership has nothing to change"),
            "POST /groups/{group_id:id}/members/{person_id:id}/remove",
        ),
    ),
    Kind(
        "favour",
        ("favours",),
        Ways("favour add", "favour acted", "favour remove"),
        Ways(
            "POST /people/{person_id:id}/favours",
            "POST /favours/{favour_id:id}/{step}",
            "POST /favours/{favour_id:id}/remove",
        ),
    ),
    Kind(
        "follow-up",
        ("follow_ups",),
        Ways("followup add", "followup snooze", "followup cancel"),
        Ways(
            "POST /people/{person_id:id}/followups",
            "POST /followups/{follow_up_id:id}/{action}",  # snooze
            "POST /followups/{follow_up_id:id}/{action}",  # cancel, done
        ),
    ),
    Kind(
        "agenda point",
        ("agenda_items",),
        Ways("agenda add", "agenda edit --text", "agenda drop"),  # `agenda move` reorders
        Ways(
            "POST /people/{person_id:id}/agenda",
            "POST /people/{person_id:id}/agenda/{point_id:id}/edit",
            "POST /people/{person_id:id}/agenda/{point_id:id}/drop",
        ),
    ),
    Kind(
        "advice",
        ("advice",),
        Ways("advice add", "advice review", "advice remove"),
        Ways(
            "POST /people/{person_id:id}/advice",
            "POST /advice/{advice_id:id}/review",
            "POST /advice/{advice_id:id}/remove",
        ),
    ),
    Kind(
        "goal",
        ("goals",),
        Ways("goal add", "goal edit", "goal remove"),
        Ways("POST /goals", "POST /goals/{goal_id:id}/edit", "POST /goals/{goal_id:id}/remove"),
    ),
    Kind(
        "achievement",
        ("achievements", "achievement_tags"),
        Ways("achievement add", "achievement edit", "achievement remove"),
        Ways(
            "POST /achievements",
            "POST /achievements/{achievement_id:id}/edit",
            "POST /achievements/{achievement_id:id}/remove",
        ),
    ),
    Kind(
        "achievement shared",
        ("achievement_shares",),
        Ways(
            "highlights --mark-sent",
            NotApplicable("a share is a fact: who heard of it, when"),
            "achievement unshare --with",
        ),
        Ways(
            "POST /achievements/highlights/sent",
            NotApplicable("a share is a fact: who heard of it, when"),
            "POST /achievements/{achievement_id:id}/shares/{person_id:id}/remove",
        ),
    ),
    Kind(
        "trip",
        ("trips",),
        Ways("trip add", "trip edit", "trip remove"),
        Ways("POST /trips", "POST /trips/{trip_id:id}/edit", "POST /trips/{trip_id:id}/remove"),
    ),
    Kind(
        "setting",
        ("preferences",),
        Ways("config set", "config set", "config unset"),
        Ways("POST /config", "POST /config", "POST /config/{key}/unset"),
    ),
    Kind(
        "life event",
        ("life_events",),
        Ways("life-event add", "life-event edit", "life-event remove"),
        Ways(
            "POST /people/{person_id:id}/life-events",
            "POST /life-events/{event_id:id}/edit",
            "POST /life-events/{event_id:id}/remove",
        ),
    ),
    Kind(
        "spending",
        ("expenses",),
        Ways("spend add", "spend edit", "spend remove"),
        Ways("POST /spend", "POST /spend/{spend_id:id}/edit", "POST /spend/{spend_id:id}/remove"),
    ),
    # Prospects, opportunities and the mentor's side (#16 parts 1, 2, 5).
    Kind(
        "opportunity",
        ("opportunities",),
        Ways("opportunity add", "opportunity update", "opportunity remove"),
        Ways(
            "POST /opportunities",
            "POST /opportunities/{opportunity_id:id}",
            "POST /opportunities/{opportunity_id:id}/remove",
        ),
    ),
    Kind(
        "opportunity passed on",
        ("opportunity_passes",),
        Ways(
            "opportunity pass",
            NotApplicable("a pass records who was pointed at it: take it back, pass it again"),
            "opportunity pass --undo",
        ),
        Ways(
            "POST /opportunities/{opportunity_id:id}/pass",
            NotApplicable("a pass records who was pointed at it: take it back, pass it again"),
            "POST /opportunities/{opportunity_id:id}/unpass/{person_id:id}",
        ),
    ),
    Kind(
        "prospect",
        ("prospects",),
        Ways("prospect add", "prospect move", "prospect drop"),
        Ways(
            "POST /prospects",
            "POST /prospects/{prospect_id:id}/move",
            "POST /prospects/{prospect_id:id}/drop",
        ),
    ),
    Kind(
        "office hours",
        ("office_hours",),
        Ways("office-hours add", "office-hours edit", "office-hours remove"),
        Ways(
            "POST /mentoring/office-hours",
            "POST /mentoring/office-hours/{hour_id:id}",
            "POST /mentoring/office-hours/{hour_id:id}/remove",
        ),
    ),
    Kind(
        "failure story",
        ("failure_stories",),
        Ways("story add", "story edit", "story remove"),
        Ways(
            "POST /mentoring/stories",
            "POST /mentoring/stories/{story_id:id}",
            "POST /mentoring/stories/{story_id:id}/remove",
        ),
    ),
    Kind(
        "mentee note",
        ("mentee_notes",),
        Ways("mentee goal", "mentee edit", "mentee remove"),
        Ways(
            "POST /mentoring/mentees/{person_id:id}/notes",
            "POST /mentoring/notes/{note_id:id}",
            "POST /mentoring/notes/{note_id:id}/remove",
        ),
    ),
]
BY_TABLE = {table: kind for kind in KINDS for table in kind.tables}


# --- what the demo creates ---------------------------------------------------------------------


def tables_with_rows(path: Path) -> dict[str, int]:
    """Every table of the models holding rows of the owner in the database at `path`."""
    found = {}
    with sqlite3.connect(path) as con:
        for table in Base.metadata.sorted_tables:
            if table.name in DERIVED or table.info.get("derived"):  # e.g. the kept clock history
                continue
            if "owner_id" in table.c:
                sql = f'SELECT count(*) FROM "{table.name}" WHERE owner_id = ?'
                count = con.execute(sql, (LOCAL_OWNER_ID,)).fetchone()[0]
            else:
                count = con.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            if count:
                found[table.name] = count
    return found


def test_every_table_the_demo_fills_is_a_kind_in_the_registry(demo_template: Path) -> None:
    filled = tables_with_rows(demo_template)
    assert len(filled) >= 15, filled  # the demo is a whole practice, not a handful of rows
    missing = sorted(set(filled) - set(BY_TABLE))
    assert not missing, (
        f"The demo creates {', '.join(missing)} but tests/practice/test_demo_parity.py has no "
        "entry for it: say which CLI commands and web routes create, change and remove it."
    )


def test_the_registry_names_real_tables_or_pending_ones() -> None:
    known = set(Base.metadata.tables)
    for kind in KINDS:
        unknown = [t for t in kind.tables if t not in known]
        assert kind.pending or not unknown, f"{kind.name}: no table {unknown}"


def test_the_excluded_tables_exist_and_are_few() -> None:
    assert set(DERIVED) <= set(Base.metadata.tables) and len(DERIVED) <= 6


# --- the commands and routes exist -------------------------------------------------------------


def cli_commands() -> dict[str, set[str]]:
    """Every CLI command path ("life-event add") with its option names."""
    import typer

    from mentormap.cli.app import load

    found: dict[str, set[str]] = {}

    def walk(group: Any, prefix: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, (*prefix, name))
            else:
                found[" ".join((*prefix, name))] = {
                    opt for param in command.params for opt in getattr(param, "opts", [])
                }

    walk(typer.main.get_group(load()), ())
    return found


def web_routes(app: Any) -> set[str]:  # noqa: F811
    """Every "METHOD /path" of the app (included routers are wrapped; look inside them)."""

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            yield from walk(inner.routes) if inner is not None else [route]

    return {
        f"{method} {route.path}"
        for route in walk(app.routes)
        for method in (getattr(route, "methods", None) or ())
    }


def _cli_exists(op: str, commands: dict[str, set[str]]) -> bool:
    path, _, option = op.partition(" --")
    return path in commands and (not option or f"--{option.split()[0]}" in commands[path])


def test_every_cli_command_of_the_registry_exists() -> None:
    commands = cli_commands()
    for kind in KINDS:
        if kind.pending:
            continue
        for what, op in kind.cli.ops():
            if isinstance(op, str):
                assert _cli_exists(op, commands), f"{kind.name}: no CLI `{op}` to {what} it"


def test_every_web_route_of_the_registry_exists(app: Any) -> None:  # noqa: F811
    routes = web_routes(app)
    for kind in KINDS:
        if kind.pending:
            continue
        for what, op in kind.web.ops():
            if isinstance(op, str):
                assert op in routes, f"{kind.name}: no web route {op} to {what} it"


def test_a_gap_that_is_filled_is_noticed(app: Any) -> None:  # noqa: F811
    """A gap whose command or route now exists must be marked done in the registry (a ratchet)."""
    commands = cli_commands()
    routes = web_routes(app)
    filled = [
        f"{kind.name}: `{op.expected}`"
        for kind in KINDS
        for face, ways in (("CLI", kind.cli), ("web", kind.web))
        for _, op in ways.ops()
        if isinstance(op, Gap)
        and (_cli_exists(op.expected, commands) if face == "CLI" else op.expected in routes)
    ]
    assert not filled, "Now there, mark them done in KINDS: " + "; ".join(filled)


def gaps(filled: set[str] | None = None, kinds: list[Kind] = KINDS) -> list[str]:
    """Every known gap of the kinds switched on (of those with rows in `filled`, if given)."""
    return [
        f"{kind.name}: {face} {what} ({op.expected})"
        for kind in kinds
        if not kind.pending and (filled is None or set(kind.tables) & filled)
        for face, ways in (("CLI", kind.cli), ("web", kind.web))
        for what, op in ways.ops()
        if isinstance(op, Gap)
    ]


def test_the_whole_rule_every_demo_kind_has_every_write_on_both_faces(
    demo_template: Path,
) -> None:
    still = gaps(set(tables_with_rows(demo_template)))
    assert not still, "Still missing:\n" + "\n".join(still)


# --- walked for real: create → change → remove on both faces -----------------------------------


def count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(db_path) as con:
        return int(con.execute(sql).fetchone()[0])


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def test_life_events_through_both_faces(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    ok(cli("people", "add", "Priya Raman"))
    rows = "SELECT count(*) FROM life_events"
    ok(cli("life-event", "add", "Priya", "Moved to Leeds", "--kind", "move"))
    ok(cli("life-event", "edit", "1", "--text", "Moved to York"))
    assert count(db_path, "SELECT count(*) FROM life_events WHERE text = 'Moved to York'") == 1
    ok(cli("life-event", "remove", "1", "--yes"))
    assert count(db_path, rows) == 0
    post(client, "/people/1/life-events", {"text": "New job", "kind": "new_job"}, "/people/1")
    [event_id] = [e["id"] for e in json.loads(cli("life-event", "list", "--json").output)]
    edit = f"/life-events/{event_id}/edit"
    post(client, edit, {"text": "New job at Acme", "kind": "new_job"}, edit)
    assert count(db_path, "SELECT count(*) FROM life_events WHERE text = 'New job at Acme'") == 1
    post(client, f"/life-events/{event_id}/remove", {}, "/people/1")
    assert count(db_path, rows) == 0


def test_spending_through_both_faces(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    rows = "SELECT count(*) FROM expenses"
    ok(cli("spend", "add", "150", "-c", "GBP"))
    ok(cli("spend", "edit", "1", "--amount", "160"))
    assert count(db_path, "SELECT count(*) FROM expenses WHERE amount = 160") == 1
    ok(cli("spend", "remove", "1", "--yes"))
    assert count(db_path, rows) == 0
    post(client, "/spend", {"amount": "99", "currency": "EUR"}, "/spend")
    [spend_id] = [s["id"] for s in json.loads(cli("spend", "list", "--json").output)]
    edit = f"/spend/{spend_id}/edit"
    post(client, edit, {"amount": "89", "currency": "EUR"}, edit)
    assert count(db_path, "SELECT count(*) FROM expenses WHERE amount = 89") == 1
    post(client, f"/spend/{spend_id}/remove", {}, "/spend")
    assert count(db_path, rows) == 0


def test_roles_and_agenda_points_through_both_faces(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    active = "SELECT count(*) FROM roles WHERE until IS NULL AND key = 'sponsor'"
    ok(cli("people", "add", "Margaret Okafor"))
    ok(cli("role", "add", "Margaret", "sponsor"))
    ok(cli("role", "add", "Margaret", "sponsor", "--cadence", "3w"))
    assert count(db_path, "SELECT cadence_days FROM roles WHERE key = 'sponsor'") == 21
    ok(cli("role", "remove", "Margaret", "sponsor"))
    assert count(db_path, active) == 0
    post(client, "/people/1/roles", {"role": "sponsor"}, "/people/1")
    post(client, "/people/1/roles", {"role": "sponsor", "cadence": "2w"}, "/people/1")
    assert count(db_path, "SELECT cadence_days FROM roles WHERE until IS NULL") == 14
    post(client, "/people/1/roles/sponsor/end", {}, "/people/1")
    assert count(db_path, active) == 0

    open_points = "SELECT count(*) FROM agenda_items WHERE state = 'open'"
    ok(cli("agenda", "add", "Margaret", "Ask about the staff packet"))
    ok(cli("agenda", "add", "Margaret", "Thank her for the intro"))
    ok(cli("agenda", "move", "2", "1"))
    ok(cli("agenda", "drop", "1"))
    assert count(db_path, open_points) == 1
    post(client, "/people/1/agenda", {"text": "Bring the launch numbers"}, "/people/1")
    assert count(db_path, open_points) == 2
    post(client, "/people/1/agenda/3/drop", {}, "/people/1")
    assert count(db_path, open_points) == 1


def test_the_registry_is_readable_as_a_list_of_gaps() -> None:
    """The list the report (and the lead) reads: every known gap, by kind and face; none is left
    in KINDS, so a made-up kind shows what a new one would look like."""
    assert gaps() == []
    # Its gaps are made with map, so that grepping the file for gaps finds only those of KINDS.
    edit, remove, remove_page = map(Gap, ["badge edit", "badge remove", "POST /badges/{id}/remove"])
    badge = Kind(
        "badge",
        ("badges",),
        Ways("badge add", edit, remove),
        Ways("POST /badges", "POST /badges/{badge_id:id}/edit", remove_page),
    )
    listed = gaps(kinds=[badge])
    assert listed == [
        "badge: CLI change (badge edit)",
        "badge: CLI remove (badge remove)",
        "badge: web remove (POST /badges/{id}/remove)",
    ]
    assert all(re.match(r"^[a-z -]+: (CLI|web) (create|change|remove) \(", g) for g in listed)
    assert gaps(kinds=[Kind(**{**vars(badge), "pending": True})]) == []


def test_groups_achievements_and_emails_through_both_faces(
    cli: CliInvoke,
    client: TestClient,  # noqa: F811
    db_path: Path,
) -> None:
    ok(cli("people", "add", "Nadia Haddad", "--email", "nadia@old.example"))
    ok(cli("people", "edit", "Nadia", "--remove-email", "nadia@old.example", "-e", "n@new.example"))
    assert count(db_path, "SELECT count(*) FROM person_emails WHERE email = 'n@new.example'") == 1
    ok(cli("people", "edit", "Nadia", "--remove-email", "n@new.example"))
    edit = "/people/1/edit"
    post(client, edit, {"name": "Nadia Haddad", "email": "nadia@web.example"}, edit)
    email_id = count(db_path, "SELECT id FROM person_emails")
    post(client, edit, {"name": "Nadia Haddad", f"email_{email_id}": "nh@web.example"}, edit)
    assert count(db_path, "SELECT count(*) FROM person_emails WHERE email = 'nh@web.example'") == 1
    post(client, f"/people/1/emails/{email_id}/remove", {}, edit)
    assert count(db_path, "SELECT count(*) FROM person_emails") == 0

    groups = "SELECT count(*) FROM groups"
    ok(cli("group", "create", "Circle", "-m", "Nadia"))
    ok(cli("group", "session", "Circle", "--start", "18:00", "--log"))
    ok(cli("group", "edit", "Circle", "--cadence", "3w"))
    assert count(db_path, "SELECT cadence_days FROM groups") == 21
    ok(cli("group", "delete", "Circle"))
    assert count(db_path, groups) == 0
    assert count(db_path, "SELECT count(*) FROM interactions") == 1  # the session stays
    post(client, "/groups", {"name": "Book club", "cadence": "30d", "minutes": "60"}, "/groups")
    [group_id] = [g["id"] for g in json.loads(ok(cli("group", "list", "--json")).stdout)]
    page = f"/groups/{group_id}"
    post(client, f"{page}/edit", {"name": "Reading club", "cadence": "2w", "minutes": "45"}, page)
    assert count(db_path, "SELECT cadence_days FROM groups WHERE name = 'Reading club'") == 14
    post(client, f"{page}/delete", {}, page)
    assert count(db_path, groups) == 0

    rows = "SELECT count(*) FROM achievements"
    ok(cli("achievement", "add", "Led the guild", "--on", "-3d"))
    ok(cli("achievement", "shared", "1", "--with", "Nadia"))
    ok(cli("achievement", "unshare", "1", "--with", "Nadia"))
    ok(cli("achievement", "edit", "1", "--title", "Led the review guild"))
    ok(cli("achievement", "remove", "1"))
    assert count(db_path, rows) == 0
    post(client, "/achievements", {"title": "Shipped it", "on": "-1d"}, "/achievements")
    [achievement] = json.loads(ok(cli("achievement", "list", "--json")).stdout)
    edit = f"/achievements/{achievement['id']}/edit"
    post(client, f"/achievements/{achievement['id']}/shared", {"with": "Nadia"}, "/achievements")
    post(client, f"/achievements/{achievement['id']}/shares/1/remove", {}, edit)
    assert count(db_path, "SELECT count(*) FROM achievement_shares") == 0
    post(client, edit, {"title": "Shipped the API", "on": "-1d"}, edit)
    assert count(db_path, "SELECT count(*) FROM achievements WHERE title = 'Shipped the API'") == 1
    post(client, f"/achievements/{achievement['id']}/remove", {}, edit)
    assert count(db_path, rows) == 0
