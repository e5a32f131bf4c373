"""`people list` on a large network: each lookup is one statement, and it agrees with the
standing person by person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.generate import build_network, settings_for
from sqlalchemy import event

from mentormap.db import Database
from mentormap.services.clock.standing import standings
from mentormap.services.people.people import PeopleFilter, list_people
from mentormap.services.unit import open_ctx


def test_people_list_looks_everyone_up_at_once(tmp_path: Path) -> None:
    path = tmp_path / "network.db"
    build_network(path, 2_000, 6_000)
    db = Database.open(settings_for(path))
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    with open_ctx(db) as ctx:
        found = list_people(ctx)
        listed = len(statements)
        where = standings(ctx, [p.id for p in found])
        page = list_people(ctx, PeopleFilter(sort="due", limit=50, offset=10))
    db.close()
    # The people, then their roles, tags, emails and clocks (read from the copies kept on
    # people, after two one-row checks): not one of each per 900 ids.
    assert listed <= 8, statements
    assert len(found) > 1_900
    for summary in found:
        standing = where[summary.id]
        assert summary.warmth == (standing.warmth.value if standing.warmth else None)
        assert summary.due_on == standing.due_on
    due = [p.due_on for p in page if p.due_on is not None]
    assert len(page) == 50 and due == sorted(due)
