"""people: when the latest outbound or mutual interaction happened, for the owed-replies check

Revision ID: 0091
Revises: 0071

The daily agenda asks, for every message still needing a reply, whether something went back to
that person afterwards. Answering that from the history means walking each person's interactions
(about 60 ms on a million interactions). With the latest outgoing instant and day kept on the
person (next to last_contact_on, by the same service), almost every message is settled by two
comparisons; only a reply logged on the same day as the message still needs the walk.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0091"
down_revision: str | None = "0071"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("last_outgoing_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("last_outgoing_on", sa.Date(), nullable=True))
    # One grouped pass over the history (UPDATE ... FROM: PostgreSQL, and SQLite since 3.33).
    op.execute(
        "UPDATE people SET last_outgoing_at = t.last_at, last_outgoing_on = t.last_on FROM ("
        " SELECT ip.person_id AS pid, max(i.occurred_at) AS last_at, max(i.occurred_on) AS last_on"
        " FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id"
        " WHERE i.direction IN ('outbound', 'mutual')"
        " GROUP BY ip.person_id) AS t WHERE people.id = t.pid"
    )


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("last_outgoing_on")
        batch.drop_column("last_outgoing_at")
