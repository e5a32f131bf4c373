"""Every real file from other projects' test suites through the real import, into real SQLite.

The 812 files (vCards from Android, iPhone, Outlook, Lotus Notes, Evolution…; calendars from
icalendar, khal, ical4j…; contact CSVs) live outside the repository, in
`../shared/external-fixtures/` or the folder MENTORMAP_EXTERNAL_FIXTURES names; without them
these tests skip. No file may raise anything but a UserError, a refused file leaves the database
as it was, and at least 110 of the 116 vCards and 650 of the 685 calendars import.
`scripts/fixture_census.py` prints the same figures with the reasons for each refusal.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mentormap.db import Database
from mentormap.errors import UserError
from mentormap.models import Interaction, Person, PersonEmail, PersonPhone
from mentormap.services.interop.imports import import_file
from mentormap.services.unit import open_ctx
from mentormap.settings import Settings
from tests.conftest import TODAY, ZONE

ROOT = Path(__file__).resolve().parents[2]
FOLDER = Path(
    os.environ.get("MENTORMAP_EXTERNAL_FIXTURES") or ROOT.parent / "shared" / "external-fixtures"
)
pytestmark = [
    pytest.mark.skipif(not (FOLDER / "vcard").is_dir(), reason=f"no external fixtures at {FOLDER}"),
    # interop/ics.py silences this one for the CLI and web; pytest resets filters per test.
    pytest.mark.filterwarnings("ignore:Timezone .* is a globally unique TZID"),
]


def _rows(database: Database) -> tuple[int, ...]:
    with open_ctx(database) as ctx:
        return tuple(
            ctx.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Person, PersonEmail, PersonPhone, Interaction)
        )


def _walk(kind: str, tmp_path: Path) -> tuple[Counter[str], list[str]]:
    """Import each file of one kind into one database; (imported/refused counts, refusals)."""
    database = Database.open(
        Settings(
            database_url=f"sqlite:///{tmp_path / f'{kind}.db'}",
            timezone=ZoneInfo(ZONE),
            today_override=TODAY,
        )
    )
    counts: Counter[str] = Counter()
    refusals: list[str] = []
    try:
        files = sorted(p for p in (FOLDER / kind).iterdir() if p.is_file())
        assert files
        for path in files:
            before = _rows(database)
            try:
                with open_ctx(database) as ctx:
                    import_file(ctx, path.read_bytes())
            except UserError as error:  # anything else fails the test with its traceback
                counts["refused"] += 1
                message = str(error)
                assert "\n" not in message.strip(), path.name  # one line
                refusals.append(f"{path.name}: {message}")
                assert _rows(database) == before, f"{path.name} left rows behind"
            else:
                counts["imported"] += 1
    finally:
        database.close()
    return counts, refusals


def test_real_vcards_and_contact_csvs_import(tmp_path: Path) -> None:
    counts, refusals = _walk("vcard", tmp_path)
    assert sum(counts.values()) == 116
    assert counts["imported"] >= 110, refusals
    csv_counts, _ = _walk("csv", tmp_path)
    assert sum(csv_counts.values()) == 11 and csv_counts["imported"] >= 8


def test_real_calendars_import(tmp_path: Path) -> None:
    counts, refusals = _walk("ics", tmp_path)
    assert sum(counts.values()) == 685
    assert counts["imported"] >= 650, refusals
