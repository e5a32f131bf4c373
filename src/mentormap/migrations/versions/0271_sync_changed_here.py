"""sync_cards.changed_here: the person was edited in mentormap since her card was last agreed

Revision ID: 0271
Revises: 0221

A sync with nothing changed used to read every linked person and compare her fields with the
card's, to find the few edited in mentormap. Triggers now mark her cards instead whenever
anything the card holds changes here (her name, company, title, place, birthday, notes, how you
met; her emails, phones, links and roles), so no writer can forget, and a run reads only the
marked ones (`services/sync/contacts.py`). A mark is a hint that can only make a run compare
more people, never fewer; a run takes off the marks it read before it reads those people (and
those its own writes made), so an edit saved meanwhile stays marked. Cards from before this
revision start marked, so the first run after it compares each person once.

A later migration that rebuilds one of these tables on SQLite (batch mode "recreate") drops its
triggers and must create them again: `create_triggers` below is the list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0271"
down_revision: str | None = "0221"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CARD_FIELDS = "name, company, title, city, country, birthday, notes, how_met, met_on"
MEMBERS = ("person_emails", "person_phones", "person_links", "roles")
MARK = "UPDATE sync_cards SET changed_here = TRUE WHERE person_id"


def _sqlite() -> list[str]:
    found = [
        f"CREATE TRIGGER sync_changed_person AFTER UPDATE OF {CARD_FIELDS} ON people "
        f"BEGIN {MARK} = NEW.id; END",
    ]
    for table in MEMBERS:
        found += [
            f"CREATE TRIGGER sync_changed_{table}_insert AFTER INSERT ON {table} "
            f"BEGIN {MARK} = NEW.person_id; END",
            f"CREATE TRIGGER sync_changed_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {MARK} IN (OLD.person_id, NEW.person_id); END",
            f"CREATE TRIGGER sync_changed_{table}_delete AFTER DELETE ON {table} "
            f"BEGIN {MARK} = OLD.person_id; END",
        ]
    return found


def _postgresql() -> list[str]:
    found = [
        "CREATE FUNCTION sync_changed_person() RETURNS trigger AS $$ BEGIN "
        f"{MARK} = NEW.id; RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION sync_changed_member() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {MARK} = OLD.person_id; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {MARK} = NEW.person_id; END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER sync_changed_person AFTER UPDATE OF {CARD_FIELDS} ON people "
        "FOR EACH ROW EXECUTE FUNCTION sync_changed_person()",
    ]
    for table in MEMBERS:
        found.append(
            f"CREATE TRIGGER sync_changed_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION sync_changed_member()"
        )
    return found


def create_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql() if postgresql else _sqlite():
        op.execute(statement)


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild), so no trigger is lost on SQLite. Existing cards
    # start marked: the first run after this compares each of them once.
    op.add_column(
        "sync_cards",
        sa.Column("changed_here", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_index("ix_sync_cards_source_changed", "sync_cards", ["source_id", "changed_here"])
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS sync_changed_person ON people")
        for table in MEMBERS:
            op.execute(f"DROP TRIGGER IF EXISTS sync_changed_{table} ON {table}")
        for function in ("sync_changed_person", "sync_changed_member"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        op.execute("DROP TRIGGER IF EXISTS sync_changed_person")
        for table in MEMBERS:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS sync_changed_{table}_{event}")
    op.drop_index("ix_sync_cards_source_changed", table_name="sync_cards")
    with op.batch_alter_table("sync_cards") as batch_op:
        batch_op.drop_column("changed_here")
