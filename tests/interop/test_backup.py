"""Backup → restore gives back exactly what was there, ids and all; restore refuses to mix."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from mentormap import models as m
from mentormap.db import Database
from mentormap.errors import InvalidInput
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import refresh_every_last_contact
from mentormap.services.interop.backup import backup_chunks, owned_tables, restore
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY, CliInvoke

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NAME = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
DAY = st.dates(date(1990, 1, 1), date(2030, 12, 31))
INSTANT = st.datetimes(datetime(1990, 1, 1), datetime(2030, 12, 31))
MONEY = st.decimals(Decimal("0"), Decimal("99999.99"), places=2)
COORD = st.none() | st.floats(-90, 90, allow_nan=False)
LINK = st.builds("https://example.com/{}".format, st.text("abc/é?=", max_size=20)) | st.just(
    "mailto:a@example.com"
)


def _settings(path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo("Europe/London"), today_override=TODAY
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty database, copied for each example instead of migrating again."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    Database.open(_settings(path)).close()
    return path


_counter = itertools.count()


def _fresh(template: Path, folder: Path) -> Database:
    path = folder / f"db{next(_counter)}.db"
    shutil.copy(template, path)
    return Database.open(_settings(path))


@st.composite
def networks(draw: st.DrawFn) -> list[object]:
    """Rows across every kind of table, with awkward values (unicode, floats, money, NULLs)."""
    rows: list[object] = []
    n_people = draw(st.integers(1, 4))
    for pid in range(1, n_people + 1):
        rows.append(
            m.Person(
                id=pid,
                name=draw(NAME),
                company=draw(st.none() | TEXT),
                notes=draw(TEXT),
                latitude=draw(COORD),
                longitude=draw(COORD),
                met_on=draw(st.none() | DAY),
                birthday=draw(st.sampled_from([None, "--02-29", "1980-01-31"])),
                cadence_days=draw(st.none() | st.integers(1, 400)),
                archived=draw(st.booleans()),
                last_contact_on=draw(st.none() | DAY),
                created_at=draw(INSTANT),
                updated_at=draw(INSTANT),
            )
        )
        rows.append(m.PersonEmail(person_id=pid, email=f"p{pid}@example.com", label=draw(TEXT)))
        rows.append(m.PersonPhone(person_id=pid, phone="+44 1", normalized="+441"))
        rows.append(m.PersonLink(person_id=pid, kind="site", url=draw(LINK)))
        rows.append(m.PersonAttribute(person_id=pid, key="region", value=draw(TEXT)))
        rows.append(m.LifeEvent(person_id=pid, occurred_on=draw(st.none() | DAY), text=draw(TEXT)))
        rows.append(m.Role(person_id=pid, key="contact", since=draw(DAY), note=draw(TEXT)))
    rows.append(m.Tag(id=1, name="mentor"))
    rows.append(m.PersonTag(person_id=1, tag_id=1))
    rows.append(m.Group(id=1, name=draw(NAME), cadence_days=30, session_minutes=60))
    rows.append(m.GroupMember(group_id=1, person_id=1, since=draw(DAY)))
    for iid in range(1, draw(st.integers(1, 5)) + 1):
        rows.append(
            m.Interaction(
                id=iid,
                occurred_at=draw(INSTANT),
                occurred_on=draw(DAY),
                kind="coffee",
                direction="mutual",
                notes=draw(TEXT),
                needs_reply=draw(st.booleans()),
                group_id=draw(st.none() | st.just(1)),
                external_uid=draw(st.none() | TEXT),
                created_at=draw(INSTANT),
            )
        )
        rows.append(m.InteractionParticipant(interaction_id=iid, person_id=1))
    rows.append(
        m.Favour(
            id=1,
            person_id=1,
            direction="received",
            kind="referral",
            description=draw(TEXT),
            occurred_on=draw(DAY),
            interaction_id=1,
        )
    )
    rows.append(
        m.FollowUp(
            title=draw(TEXT),
            person_id=1,
            due_on=draw(st.none() | DAY),
            interaction_id=1,
            favour_id=1,
            created_at=draw(INSTANT),
        )
    )
    rows.append(
        m.AgendaItem(
            person_id=1, text=draw(TEXT), position=draw(st.integers(0, 9)), created_at=draw(INSTANT)
        )
    )
    rows.append(
        m.Advice(
            person_id=1,
            given_on=draw(DAY),
            text=draw(TEXT),
            followed=draw(st.none() | st.booleans()),
        )
    )
    rows.append(
        m.Achievement(id=1, occurred_on=draw(DAY), title=draw(TEXT), created_at=draw(INSTANT))
    )
    rows.append(m.AchievementTag(achievement_id=1, tag_id=1))
    rows.append(m.AchievementShare(achievement_id=1, person_id=1, shared_on=draw(DAY)))
    rows.append(m.Goal(title=draw(TEXT), created_on=draw(DAY), top=draw(st.booleans())))
    start, end = sorted([draw(DAY), draw(DAY)])
    rows.append(m.Trip(city=draw(NAME), start_on=start, end_on=end, latitude=draw(COORD)))
    rows.append(m.Opportunity(kind="cfp", title=draw(TEXT), created_on=draw(DAY), brought_by_id=1))
    rows.append(m.Expense(spent_on=draw(DAY), amount=draw(MONEY), currency="EUR", person_id=1))
    rows.append(m.Preference(key="currency", value=draw(st.sampled_from(["EUR", "GBP"]))))
    rows.append(m.Preference(key="mood", value=draw(TEXT)))  # a key this version does not know
    return rows


def _dump(ctx: Ctx) -> dict[str, list[tuple[object, ...]]]:
    """Every owned table's rows as Python values, in primary-key order."""
    return {
        table.name: [
            tuple(row)
            for row in ctx.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in owned_tables()
    }


def _backup(db: Database) -> str:
    with open_ctx(db) as ctx:
        return "".join(backup_chunks(ctx))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(networks())
def test_backup_restore_round_trip(template: Path, tmp_path: Path, rows: list[object]) -> None:
    source = _fresh(template, tmp_path)
    with open_ctx(source) as ctx:
        order = [table.name for table in owned_tables()]
        for name in order:  # parents first: most of these models have no relationships
            ctx.session.add_all([r for r in rows if r.__tablename__ == name])  # type: ignore[attr-defined]
            ctx.session.flush()
        # As in any real database, each person's contact dates follow from her interactions
        # (a restore works them out again rather than trusting the file).
        refresh_every_last_contact(ctx)
    text = _backup(source)
    json.loads(text)  # one valid JSON document
    target = _fresh(template, tmp_path)
    with open_ctx(target) as ctx:
        restore(ctx, text.encode())
    with open_ctx(source) as a, open_ctx(target) as b:
        assert _dump(a) == _dump(b)
    again = json.loads(_backup(target))
    first = json.loads(text)
    first.pop("exported_at"), again.pop("exported_at")
    assert again == first
    source.close()
    target.close()


def test_demo_network_round_trips_through_the_cli(
    demo_cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backup.json"
    assert demo_cli("export", "--format", "json", "-o", str(backup)).exit_code == 0
    monkeypatch.setenv("MENTORMAP_DB", str(tmp_path / "restored.db"))
    result = demo_cli("restore", str(backup))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Restored ")
    again = json.loads(demo_cli("export", "--format", "json").stdout)
    first = json.loads(backup.read_text())
    first.pop("exported_at"), again.pop("exported_at")
    assert again == first
    assert len(first["tables"]["people"]["rows"]) == 80


def test_restore_refuses_a_database_with_data(demo_cli: CliInvoke, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    demo_cli("export", "--format", "json", "-o", str(backup))
    result = demo_cli("restore", str(backup))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Restore needs an empty database, and this one has")
    listed = json.loads(demo_cli("people", "list", "--json").stdout)
    assert len(listed) == 80


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "This is not a mentormap backup (not a JSON object"),
        (b'{"format": "other"}', "no mentormap-backup header"),
        (b'{"format": "mentormap-backup", "version": 9}', "Backup version 9"),
        (
            b'{"format": "mentormap-backup", "version": 1, "schema": "9999", "tables": {}}',
            "does not know; restore it with the version that made it",
        ),
        (
            b'{"format": "mentormap-backup", "version": 1, "schema": "0001", "tables": '
            b'{"people": {"columns": ["id", "shoe"], "rows": []}}}',
            "unknown column 'shoe'",
        ),
        (
            b'{"format": "mentormap-backup", "version": 1, "schema": "0001", "tables": '
            b'{"people": {"columns": ["id", "name", "created_at", "updated_at", "archived"], '
            b'"rows": [[1, "A", "yesterday", "x", false]]}}}',
            "people row 1, column created_at: 'yesterday' is not a valid date",
        ),
        (
            b'{"format": "mentormap-backup", "version": 1, "schema": "0001", "tables": '
            b'{"person_emails": {"columns": ["id", "person_id", "email"], '
            b'"rows": [[1, 99, "a@b.co"]]}}}',
            "person_emails row 1, column person_id: no people row with id 99",
        ),
    ],
)
def test_restore_rejects_bad_backups(ctx: Ctx, content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        restore(ctx, content)


def test_restore_of_big_tables_rebuilds_their_indexes(
    demo_cli: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from mentormap.services.interop import backup as backup_service

    backup = tmp_path / "backup.json"
    demo_cli("export", "--format", "json", "-o", str(backup))
    monkeypatch.setattr(backup_service, "BIG_TABLE", 10)  # every demo table counts as big
    target = tmp_path / "restored.db"
    monkeypatch.setenv("MENTORMAP_DB", str(target))
    assert demo_cli("restore", str(backup)).exit_code == 0
    query = "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name"
    restored = sqlite3.connect(target).execute(query).fetchall()
    fresh = tmp_path / "fresh.db"
    monkeypatch.setenv("MENTORMAP_DB", str(fresh))
    demo_cli("people", "list")
    assert restored == sqlite3.connect(fresh).execute(query).fetchall()
    monkeypatch.setenv("MENTORMAP_DB", str(target))
    assert len(json.loads(demo_cli("people", "list", "--json").stdout)) == 80
