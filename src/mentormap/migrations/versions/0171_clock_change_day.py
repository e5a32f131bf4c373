"""people: the next day her clock changes on its own, beside the check day

Revision ID: 0171
Revises: 0161

The check day (0141) is the earlier of her due date and the next day a role of hers begins or
ends. Lists need the second on its own: the clock kept on her (0161) stays true after she falls
due, until that day comes, so a list of thousands reads it without working any clock out again.
`clock_change_n` is that day as a day number (far in the future when nothing is planned).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0171"
down_revision: str | None = "0161"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("clock_change_n", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index("ix_people_owner_clock_change", "people", ["owner_id", "clock_change_n"])
    op.execute("UPDATE people SET clock_check_n = 0")  # work every clock out once more


def downgrade() -> None:
    op.drop_index("ix_people_owner_clock_change", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("clock_change_n")
