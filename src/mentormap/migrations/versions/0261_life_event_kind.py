"""life_event_kind: what kind of news a life event is, and the owner indexes Today and money read

Revision ID: 0261
Revises: 0211

`life_events.kind` (new_job, move, baby, promotion, wedding, award, other) picks the prompt to
congratulate; rows from before are "other". Today reads recent news by owner and day, and the
health report's money area sums a year's spending by owner and day: an index each.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0261"
down_revision: str | None = "0211"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild), so no trigger is lost on SQLite.
    op.add_column(
        "life_events",
        sa.Column("kind", sa.String(length=20), nullable=False, server_default="other"),
    )
    op.create_index("ix_life_events_owner_occurred", "life_events", ["owner_id", "occurred_on"])
    op.create_index("ix_expenses_owner_spent", "expenses", ["owner_id", "spent_on"])


def downgrade() -> None:
    op.drop_index("ix_expenses_owner_spent", table_name="expenses")
    op.drop_index("ix_life_events_owner_occurred", table_name="life_events")
    with op.batch_alter_table("life_events") as batch_op:
        batch_op.drop_column("kind")
