"""people: the last conversation and the last highlights email, and what keeps her clock

Revision ID: 0101
Revises: 0091

A ping keeps a friend's clock but not a role model's (domain/clock.py). With the latest
conversation and the latest highlights email kept on the person next to last_contact_on (by the
same service), every role's clock reads one column, and the standing of the whole network stays
a single query. `keeps_clock` holds her own setting: NULL (her roles decide), 'any' or
'conversation'.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0101"
down_revision: str | None = "0091"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONVERSATIONS = "('call', 'video', 'coffee', 'lunch', 'walk', 'meetup', 'group_session', 'event')"


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("last_conversation_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("last_highlights_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("keeps_clock", sa.String(20), nullable=True))
    for column, kinds in (
        ("last_conversation_on", CONVERSATIONS),
        ("last_highlights_on", "('highlights_email')"),
    ):
        op.execute(
            f"UPDATE people SET {column} = t.last_on FROM ("
            " SELECT ip.person_id AS pid, max(i.occurred_on) AS last_on"
            " FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id"
            f" WHERE i.kind IN {kinds}"
            " GROUP BY ip.person_id) AS t WHERE people.id = t.pid"
        )
    op.create_index(
        "ix_people_owner_archived_conversation",
        "people",
        ["owner_id", "archived", "last_conversation_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_people_owner_archived_conversation", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("keeps_clock")
        batch.drop_column("last_highlights_on")
        batch.drop_column("last_conversation_on")
