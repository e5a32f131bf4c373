"""search_index: the full-text index (SQLite FTS5) and the triggers that keep it current

Revision ID: 0136
Revises: 0131

`mentormap search` and `who` read one FTS5 table, filled from people, interactions, advice,
achievements, agenda points, favours, goals and opportunities, and kept current by triggers on
those tables (services/search/index.py says what each entry holds). It is derived data only:
`mentormap search --reindex` makes it again, a backup leaves it out, a restore fills it.

The statements are frozen in `migrations/search_0136.py`. Anything of the index already there
(a development database) is dropped first, so the upgrade always ends in the same state.
A later migration that rebuilds one of the source tables on SQLite (batch mode "recreate")
drops its triggers and must create them again from that list.

PostgreSQL has no FTS5: there, search reads the tables themselves (services/search/postgres.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0136"
down_revision: str | None = "0131"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _drop(conn) -> None:
    from mentormap.migrations.search_0136 import STATEMENTS

    for statement in STATEMENTS:
        kind, name = statement.split()[1], statement.split()[2]
        if kind == "TRIGGER":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS search_index")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    from mentormap.migrations.search_0136 import POPULATE, STATEMENTS

    _drop(conn)
    for statement in [*STATEMENTS, *POPULATE]:
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _drop(conn)
