"""indexes for the people list: sort by name ignoring case, and the city filter choices

Revision ID: 0071
Revises: 0031
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0071"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The people list sorts by lower(name): an expression index lets a page read 50 rows in
    # order instead of sorting the whole network (SQLite and PostgreSQL both support it).
    op.create_index(
        "ix_people_owner_lower_name", "people", ["owner_id", sa.text("lower(name)")], unique=False
    )
    op.create_index("ix_people_owner_city", "people", ["owner_id", "city"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_people_owner_city", table_name="people")
    op.drop_index("ix_people_owner_lower_name", table_name="people")
