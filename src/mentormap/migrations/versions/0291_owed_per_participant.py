"""interaction_participants.owed: the owed-reply rule worked out at the commit, not on every read

Revision ID: 0291
Revises: 0281

Until now `owed_state` only said whether a message *could* be owed (1), and Today applied the
full rule to those on every load: for a reply sent the same day, that meant walking the
sender's whole history (30 ms of Today's 100 on a 20,000-person network on PostgreSQL).

Now the commit applies the full rule once, per participant: `owed` is true when she sent the
message, it is marked as needing a reply, and nothing went back to her after it. The message's
`owed_state` is 1 when any participant is owed, 0 when none is, 2 while it waits to be worked
out; Today reads the rows at 1 with their owed participants, and applies the full rule itself
only to rows still at 2.

0151's triggers already mark every input of the rule: each service that writes a conversation
sets the latest-outgoing columns of everyone in it (`refresh_last_contact`), and a trigger
`UPDATE OF` those columns fires whenever they are set, changed or not (on SQLite and on
PostgreSQL), so an answer logged the same day with an earlier time is seen too. No trigger is
added: one per participant written would cost a restore or a mail import more than it saves.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0291"
down_revision: str | None = "0281"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of the table on SQLite would drop its triggers.
    op.add_column(
        "interaction_participants",
        sa.Column("owed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE interactions SET owed_state = 2 WHERE needs_reply")


def downgrade() -> None:
    # Not a batch copy either, for the same reason (SQLite drops a column since 3.35).
    op.execute("ALTER TABLE interaction_participants DROP COLUMN owed")
    op.execute("UPDATE interactions SET owed_state = 2 WHERE needs_reply")
