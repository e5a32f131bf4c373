"""interaction_participants.owed: the owed-reply rule worked out at the commit, not on every read

Revision ID: 0291
Revises: 0281

Until now `owed_state` only said whether a message *could* be owed (1), and Today applied the
full rule to those on every load: for a reply sent the same day, that meant walking the
sender's whole history (25 ms of Today's 100 on a 20,000-person network on PostgreSQL).

Now the commit applies the full rule once, per participant: `owed` is true when she sent the
message, it is marked as needing a reply, and nothing went back to her after it. The message's
`owed_state` is 1 when any participant is owed, 0 when none is, 2 while it waits to be worked
out; Today reads the rows at 1 with their owed participants, and applies the full rule itself
only to rows still at 2.

The rule's inputs now include every answer, not only the sender's latest outgoing instant: a
reply logged later the same day, with an earlier time, answers without moving it. So these
triggers add to 0151's: a participant added to or removed from any conversation, and a
conversation's direction or time changed, mark the needs-reply messages of everyone in it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0291"
down_revision: str | None = "0281"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARK = "UPDATE interactions SET owed_state = 2 WHERE needs_reply AND id IN"
HERS = "(SELECT interaction_id FROM interaction_participants WHERE person_id = {})"
THEIRS = (
    "(SELECT theirs.interaction_id FROM interaction_participants AS theirs "
    "JOIN interaction_participants AS here ON here.person_id = theirs.person_id "
    "WHERE here.interaction_id = {})"
)
TIMING = "direction, occurred_at, occurred_on"


def _sqlite() -> list[str]:
    return [
        "CREATE TRIGGER owed_check_answer_insert AFTER INSERT ON interaction_participants "
        f"BEGIN {MARK} {HERS.format('NEW.person_id')}; END",
        "CREATE TRIGGER owed_check_answer_delete AFTER DELETE ON interaction_participants "
        f"BEGIN {MARK} {HERS.format('OLD.person_id')}; END",
        f"CREATE TRIGGER owed_check_answer_update AFTER UPDATE OF {TIMING} ON interactions "
        f"BEGIN {MARK} {THEIRS.format('NEW.id')}; END",
    ]


def _postgresql() -> list[str]:
    return [
        "CREATE FUNCTION owed_check_answer() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {MARK} {HERS.format('OLD.person_id')}; "
        f"ELSE {MARK} {HERS.format('NEW.person_id')}; END IF; RETURN NULL; END $$ "
        "LANGUAGE plpgsql",
        "CREATE FUNCTION owed_check_answer_timing() RETURNS trigger AS $$ BEGIN "
        f"{MARK} {THEIRS.format('NEW.id')}; RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER owed_check_answer AFTER INSERT OR DELETE ON interaction_participants "
        "FOR EACH ROW EXECUTE FUNCTION owed_check_answer()",
        f"CREATE TRIGGER owed_check_answer_timing AFTER UPDATE OF {TIMING} ON interactions "
        "FOR EACH ROW EXECUTE FUNCTION owed_check_answer_timing()",
    ]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    # A plain ADD COLUMN: a batch copy of the table on SQLite would drop its triggers.
    op.add_column(
        "interaction_participants",
        sa.Column("owed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    for statement in _postgresql() if postgresql else _sqlite():
        op.execute(statement)
    op.execute("UPDATE interactions SET owed_state = 2 WHERE needs_reply")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS owed_check_answer ON interaction_participants")
        op.execute("DROP TRIGGER IF EXISTS owed_check_answer_timing ON interactions")
        op.execute("DROP FUNCTION IF EXISTS owed_check_answer()")
        op.execute("DROP FUNCTION IF EXISTS owed_check_answer_timing()")
    else:
        for name in ("owed_check_answer_insert", "owed_check_answer_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TRIGGER IF EXISTS owed_check_answer_update")
    # Not a batch copy either, for the same reason (SQLite drops a column since 3.35).
    op.execute("ALTER TABLE interaction_participants DROP COLUMN owed")
    op.execute("UPDATE interactions SET owed_state = 2 WHERE needs_reply")
