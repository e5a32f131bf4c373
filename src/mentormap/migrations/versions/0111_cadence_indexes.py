"""people, roles: index the cadence overrides, so the shortest one is a single index seek

Revision ID: 0111
Revises: 0101

The daily agenda skips everyone in conversation within the shortest cadence anyone has; finding
that cadence scanned every person and every role (about 6 ms on 20,000 people) on each request.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0111"
down_revision: str | None = "0101"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_people_owner_cadence", "people", ["owner_id", "cadence_days"])
    op.create_index("ix_roles_owner_cadence", "roles", ["owner_id", "cadence_days"])


def downgrade() -> None:
    op.drop_index("ix_roles_owner_cadence", table_name="roles")
    op.drop_index("ix_people_owner_cadence", table_name="people")
