"""search_index again: prefix indexes, cheaper triggers, and the changes meaning search reads

Revision ID: 0221
Revises: 0191

On SQLite the FTS5 table is made again with prefix indexes of 2, 3 and 4 letters (`kube*`
read one list instead of merging the lists of every word it begins), and its triggers again:
they look for the letters to spell out (ø → o) only in text that is not all ASCII (two thirds
of what a write to the index cost), and while meaning search is on they note each written
entry in `search_changes`, so a search embeds those only instead of reading every entry.
The statements are frozen in `migrations/search_0221.py`; the entries' text is unchanged, so
embeddings already made stay good.

`search_state` holds counters of the derived search data (`vectors`: bumped whenever any
embedding changes, so a process holding them in memory knows to read them again).
PostgreSQL gets the two tables; its text search needs no prefix index (GIN serves `:*`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0221"
down_revision: str | None = "0191"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _drop_index(conn, statements: list[str]) -> None:
    for statement in statements:
        kind, name = statement.split()[1], statement.split()[2]
        if kind == "TRIGGER":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS search_index")


def _make_index(conn, statements: list[str], populate: list[str]) -> None:
    for statement in [*statements, *populate]:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql("INSERT INTO search_index (search_index) VALUES ('optimize')")


def upgrade() -> None:
    op.create_table(
        "search_changes",
        sa.Column("rid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("rid", name=op.f("pk_search_changes")),
    )
    op.create_table(
        "search_state",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_search_state")),
    )
    conn = op.get_bind()
    conn.exec_driver_sql("INSERT INTO search_state (key, value) VALUES ('vectors', 0)")
    if conn.dialect.name != "sqlite":
        return
    from mentormap.migrations import search_0136, search_0221

    _drop_index(conn, search_0136.STATEMENTS)
    _drop_index(conn, search_0221.STATEMENTS)
    _make_index(conn, search_0221.STATEMENTS, search_0221.POPULATE)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        from mentormap.migrations import search_0136, search_0221

        _drop_index(conn, search_0221.STATEMENTS)
        _make_index(conn, search_0136.STATEMENTS, search_0136.POPULATE)
    op.drop_table("search_state")
    op.drop_table("search_changes")
