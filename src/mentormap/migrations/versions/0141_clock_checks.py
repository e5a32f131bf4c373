"""people: the next day each one's standing must be looked at again, for the due list

Revision ID: 0141
Revises: 0136

The due list used to work out every clock in the network to find the few that ran out. Each
person now carries `clock_check_n`, the first day (as a day number, services/sql.py) on which she
can be due or her clock can change on its own — the earlier of her due date and the next day a
role of hers begins or ends — and `clock_checked_n`, the day that was worked out. The due list
reads only people whose check day has come, and works out their standing in full, so the column is
a hint that can only make it look at more people, never fewer.

0 means "work it out again": the triggers below set it whenever anything her clock reads changes
(her cadence, her setting of what keeps the clock, her last contacts, her first meeting, her roles,
her group memberships, a group's cadence), so no writer can forget; the service fills it in before
each unit of work commits (services/clock/checks.py).

A later migration that rebuilds one of these tables on SQLite (batch mode "recreate") drops its
triggers and must create them again: `create_triggers` below is the list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0141"
down_revision: str | None = "0136"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_INPUTS = (
    "cadence_days, keeps_clock, last_contact_on, last_conversation_on, last_highlights_on, "
    "met_on, created_at"
)
STALE = "UPDATE people SET clock_check_n = 0 WHERE id"


def _sqlite() -> list[str]:
    found = [
        f"CREATE TRIGGER clock_check_person AFTER UPDATE OF {PERSON_INPUTS} ON people "
        f"BEGIN {STALE} = NEW.id; END",
        "CREATE TRIGGER clock_check_group AFTER UPDATE OF cadence_days, archived ON groups "
        f"BEGIN {STALE} IN (SELECT person_id FROM group_members WHERE group_id = NEW.id); END",
    ]
    for table in ("roles", "group_members"):
        found += [
            f"CREATE TRIGGER clock_check_{table}_insert AFTER INSERT ON {table} "
            f"BEGIN {STALE} = NEW.person_id; END",
            f"CREATE TRIGGER clock_check_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {STALE} IN (OLD.person_id, NEW.person_id); END",
            f"CREATE TRIGGER clock_check_{table}_delete AFTER DELETE ON {table} "
            f"BEGIN {STALE} = OLD.person_id; END",
        ]
    return found


def _postgresql() -> list[str]:
    found = [
        "CREATE FUNCTION clock_check_person() RETURNS trigger AS $$ BEGIN "
        "NEW.clock_check_n := 0; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION clock_check_member() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {STALE} = OLD.person_id; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {STALE} = NEW.person_id; END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION clock_check_group() RETURNS trigger AS $$ BEGIN "
        f"{STALE} IN (SELECT person_id FROM group_members WHERE group_id = NEW.id); "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER clock_check_person BEFORE UPDATE OF {PERSON_INPUTS} ON people "
        "FOR EACH ROW EXECUTE FUNCTION clock_check_person()",
        "CREATE TRIGGER clock_check_group AFTER UPDATE OF cadence_days, archived ON groups "
        "FOR EACH ROW EXECUTE FUNCTION clock_check_group()",
    ]
    for table in ("roles", "group_members"):
        found.append(
            f"CREATE TRIGGER clock_check_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION clock_check_member()"
        )
    return found


def create_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql() if postgresql else _sqlite():
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("clock_check_n", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("clock_checked_n", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index("ix_people_owner_clock_check", "people", ["owner_id", "clock_check_n"])
    op.create_index("ix_people_owner_clock_checked", "people", ["owner_id", "clock_checked_n"])
    create_triggers()


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    names = ["clock_check_person", "clock_check_group"]
    names += [f"clock_check_{t}" for t in ("roles", "group_members")]
    if postgresql:
        for name, table in zip(names, ["people", "groups", "roles", "group_members"], strict=True):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("clock_check_person", "clock_check_member", "clock_check_group"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for table in ("roles", "group_members"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS clock_check_{table}_{event}")
        op.execute("DROP TRIGGER IF EXISTS clock_check_person")
        op.execute("DROP TRIGGER IF EXISTS clock_check_group")
    op.drop_index("ix_people_owner_clock_checked", table_name="people")
    op.drop_index("ix_people_owner_clock_check", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("clock_checked_n")
        batch.drop_column("clock_check_n")
