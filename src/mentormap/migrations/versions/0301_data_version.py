"""data_version: a mark on each owner that changes with every commit that wrote her rows

Revision ID: 0301
Revises: 0291

The API keeps its answers to reads in each worker's memory (`web.response_cache`) under the
owner's data version, so a read repeated before anything changed costs one statement. Every
commit that wrote sets a new random value (`db._new_data_version`); a random one, not a count,
so a restored or rebuilt database never meets an old answer under a number it reused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0301"
down_revision: str | None = "0291"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not a batch copy: SQLite would drop the old owners table, and with foreign keys on, a
    # dropped owners table takes every row of every network with it (ON DELETE CASCADE).
    op.add_column(
        "owners", sa.Column("data_version", sa.BigInteger(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.execute("ALTER TABLE owners DROP COLUMN data_version")  # SQLite since 3.35, PostgreSQL
