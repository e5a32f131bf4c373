"""search_vectors: the embedding of each search index entry, for meaning search

Revision ID: 0181
Revises: 0171

Derived data (like the full-text index): filled by `mentormap semantic install` and at search
time when a model2vec model is set; never in a backup.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0181"
down_revision: str | None = "0171"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_vectors",
        sa.Column("rid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("digest", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("rid"),
    )


def downgrade() -> None:
    op.drop_table("search_vectors")
