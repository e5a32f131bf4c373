"""owed replies index: a partial index over the few inbound interactions still needing a reply

Revision ID: 0031
Revises: 0001
Create Date: 2026-11-25 18:30:00

Without it the daily agenda scans every interaction to find the handful marked "needs reply"
(about 220 ms on a million interactions); with it, the scan touches only those rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_interactions_owed",
        "interactions",
        ["owner_id", "occurred_on"],
        unique=False,
        sqlite_where=sa.text("needs_reply = 1"),
        postgresql_where=sa.text("needs_reply"),
    )


def downgrade() -> None:
    op.drop_index("ix_interactions_owed", table_name="interactions")
