"""people: the clock each one is on, kept beside her check day

Revision ID: 0161
Revises: 0151

With the check day (0141) each person now keeps the clock it was worked out from: the day it
started (`clock_start_n`, a day number) and its cadence (`clock_cadence`, NULL without a clock).
Until her check day comes neither can change, so a list of thousands reads warmth and due dates
from them instead of working every clock out again; from her check day on, and whenever the
triggers of 0141 mark her, she is worked out in full (services/clock/standing.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0161"
down_revision: str | None = "0151"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("clock_start_n", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("clock_cadence", sa.Integer(), nullable=True))
    op.execute("UPDATE people SET clock_check_n = 0")  # work every clock out once more


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("clock_cadence")
        batch.drop_column("clock_start_n")
