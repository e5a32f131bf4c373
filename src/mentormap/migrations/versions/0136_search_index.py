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

PostgreSQL has no FTS5: there, search reads the tables themselves with its own text search
(services/search/postgres.py). This migration gives it `mentormap_unaccent`, an immutable
wrapper of the `unaccent` extension (created when the role may; without it the wrapper returns
its text unchanged and search is only case-blind), and a GIN index over the conversations' text.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0136"
down_revision: str | None = "0131"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL: as services/search/postgres.py reads them when 0136 was made (a test keeps the
# index's expression equal to the one the service queries).
UNACCENT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION mentormap_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT {body} $$"
)
INTERACTIONS_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_interactions_search ON interactions USING gin "
    "(to_tsvector('english'::regconfig, mentormap_unaccent((coalesce(kind, '') || ' ' || "
    "coalesce(location, '') || ' ' || CASE WHEN private THEN '' ELSE coalesce(notes, '') END))))"
)


def _drop(conn) -> None:
    from mentormap.migrations.search_0136 import STATEMENTS

    for statement in STATEMENTS:
        kind, name = statement.split()[1], statement.split()[2]
        if kind == "TRIGGER":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS search_index")


def _upgrade_postgresql(conn) -> None:
    from sqlalchemy.exc import DBAPIError

    body = "$1"
    savepoint = conn.begin_nested()
    try:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DBAPIError:  # not allowed to: search stays case-blind but not accent-blind
        savepoint.rollback()
    else:
        savepoint.commit()
    schema = conn.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
    ).scalar()
    if schema:
        body = f"{schema}.unaccent('{schema}.unaccent'::regdictionary, $1)"
    conn.exec_driver_sql(UNACCENT_FUNCTION.format(body=body))
    conn.exec_driver_sql(INTERACTIONS_INDEX)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        _upgrade_postgresql(conn)
        return
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
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_interactions_search")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS mentormap_unaccent(text)")
