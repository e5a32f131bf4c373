"""interactions: whether a reply can still be owed, so Today reads a few messages, not months

Revision ID: 0151
Revises: 0141

Owed replies were found by reading every message marked as needing a reply in the last 90 days
(3,000 on a large network, almost all long answered) and checking each against the sender's latest
outgoing message. `owed_state` keeps the answer of that check: 0 no reply can be owed (not marked,
not inbound, or answered by a later message to her), 1 a reply may be owed, 2 work it out again.
Owed replies read only rows above 0, through a partial index, and still apply the full rule.

Triggers set 2 whenever the check's inputs change — a message inserted or its marking, direction
or time changed, a participant added or removed, a person's latest outgoing message moved — so no
writer can forget; the service works such rows out before each unit of work commits
(services/clock/checks.py). A later migration that rebuilds these tables on SQLite must create the
triggers again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0151"
down_revision: str | None = "0141"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECHECK = "UPDATE interactions SET owed_state = 2 WHERE needs_reply"
HER_MESSAGES = "SELECT interaction_id FROM interaction_participants WHERE person_id"


def _sqlite() -> list[str]:
    return [
        "CREATE TRIGGER owed_check_insert AFTER INSERT ON interactions WHEN NEW.needs_reply "
        f"BEGIN {RECHECK} AND id = NEW.id; END",
        "CREATE TRIGGER owed_check_update AFTER UPDATE OF needs_reply, direction, occurred_at, "
        "occurred_on ON interactions BEGIN UPDATE interactions SET owed_state = "
        "CASE WHEN NEW.needs_reply THEN 2 ELSE 0 END WHERE id = NEW.id; END",
        "CREATE TRIGGER owed_check_participant_insert AFTER INSERT ON interaction_participants "
        f"BEGIN {RECHECK} AND id = NEW.interaction_id; END",
        "CREATE TRIGGER owed_check_participant_delete AFTER DELETE ON interaction_participants "
        f"BEGIN {RECHECK} AND id = OLD.interaction_id; END",
        "CREATE TRIGGER owed_check_person AFTER UPDATE OF last_outgoing_at, last_outgoing_on "
        f"ON people BEGIN {RECHECK} AND id IN ({HER_MESSAGES} = NEW.id); END",
    ]


def _postgresql() -> list[str]:
    return [
        "CREATE FUNCTION owed_check_message() RETURNS trigger AS $$ BEGIN "
        "NEW.owed_state := CASE WHEN NEW.needs_reply THEN 2 ELSE 0 END; RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE FUNCTION owed_check_participant() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {RECHECK} AND id = OLD.interaction_id; "
        f"ELSE {RECHECK} AND id = NEW.interaction_id; END IF; RETURN NULL; END $$ "
        "LANGUAGE plpgsql",
        "CREATE FUNCTION owed_check_person() RETURNS trigger AS $$ BEGIN "
        f"{RECHECK} AND id IN ({HER_MESSAGES} = NEW.id); RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER owed_check_insert BEFORE INSERT ON interactions "
        "FOR EACH ROW EXECUTE FUNCTION owed_check_message()",
        "CREATE TRIGGER owed_check_update BEFORE UPDATE OF needs_reply, direction, occurred_at, "
        "occurred_on ON interactions FOR EACH ROW EXECUTE FUNCTION owed_check_message()",
        "CREATE TRIGGER owed_check_participant AFTER INSERT OR DELETE ON "
        "interaction_participants FOR EACH ROW EXECUTE FUNCTION owed_check_participant()",
        "CREATE TRIGGER owed_check_person AFTER UPDATE OF last_outgoing_at, last_outgoing_on "
        "ON people FOR EACH ROW EXECUTE FUNCTION owed_check_person()",
    ]


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("owed_state", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE interactions SET owed_state = 2 WHERE needs_reply")
    op.create_index(
        "ix_interactions_owed_state",
        "interactions",
        ["owner_id", "occurred_on"],
        sqlite_where=sa.text("owed_state > 0"),
        postgresql_where=sa.text("owed_state > 0"),
    )
    for statement in _postgresql() if postgresql else _sqlite():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        for name, table in (
            ("owed_check_insert", "interactions"),
            ("owed_check_update", "interactions"),
            ("owed_check_participant", "interaction_participants"),
            ("owed_check_person", "people"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("owed_check_message", "owed_check_participant", "owed_check_person"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for name in (
            "owed_check_insert",
            "owed_check_update",
            "owed_check_participant_insert",
            "owed_check_participant_delete",
            "owed_check_person",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_interactions_owed_state", table_name="interactions")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("owed_state")
