"""clock_spans, clock_days, clock_span_marks, clock_history: the health report's kept history

Revision ID: 0241
Revises: 0181

The year of warmth and the cadence adherence are each person's standing on past days. Working
them out from a million interactions at every report took seconds; each person's standing is now
kept as stretches of days over which it held still (`clock_spans`), and their sums per day
(`clock_days`), so the report reads a few hundred rows. Both are derived: triggers below mark a
person in `clock_span_marks` whenever anything her standing reads changes — her own fields, her
roles, memberships and groups, any interaction of hers (a backdated one leaves the contact dates
on her row as they were, so her own triggers alone would miss it), her deletion — and the report
works out the marked people again before it reads (services/health/spans.py).

Beside her kept clock (0161) each person now keeps its role too (`clock_role`), so the report
reads everyone's standing today from the kept clocks as the long lists do.

A later migration that rebuilds one of these tables on SQLite drops its triggers and must create
them again: `create_triggers` below is the list.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0241"
down_revision: str | None = "0181"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_INPUTS = (
    "cadence_days, keeps_clock, last_contact_on, last_conversation_on, last_highlights_on, "
    "met_on, created_at, archived"
)
MARK = "INSERT OR IGNORE INTO clock_span_marks (person_id)"
BY_PERSON = ("roles", "group_members", "interaction_participants")
TRIGGERS = [
    ("clock_span_person", "people"),
    ("clock_span_group", "groups"),
    ("clock_span_interaction", "interactions"),
    *((f"clock_span_{table}", table) for table in BY_PERSON),
]


def _sqlite() -> list[str]:
    found = [
        f"CREATE TRIGGER clock_span_person AFTER UPDATE OF {PERSON_INPUTS} ON people "
        f"BEGIN {MARK} VALUES (NEW.id); END",
        f"CREATE TRIGGER clock_span_person_delete AFTER DELETE ON people "
        f"BEGIN {MARK} VALUES (OLD.id); END",
        "CREATE TRIGGER clock_span_group AFTER UPDATE OF cadence_days, archived ON groups "
        f"BEGIN {MARK} SELECT person_id FROM group_members WHERE group_id = NEW.id; END",
        "CREATE TRIGGER clock_span_interaction AFTER UPDATE OF occurred_on, kind ON interactions "
        f"BEGIN {MARK} SELECT person_id FROM interaction_participants "
        "WHERE interaction_id = NEW.id; END",
    ]
    for table in BY_PERSON:
        found += [
            f"CREATE TRIGGER clock_span_{table}_insert AFTER INSERT ON {table} "
            f"BEGIN {MARK} VALUES (NEW.person_id); END",
            f"CREATE TRIGGER clock_span_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {MARK} VALUES (OLD.person_id), (NEW.person_id); END",
            f"CREATE TRIGGER clock_span_{table}_delete AFTER DELETE ON {table} "
            f"BEGIN {MARK} VALUES (OLD.person_id); END",
        ]
    return found


def _postgresql() -> list[str]:
    mark = "INSERT INTO clock_span_marks (person_id)"
    done = "ON CONFLICT DO NOTHING"
    found = [
        "CREATE FUNCTION clock_span_person() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {mark} VALUES (OLD.id) {done}; "
        f"ELSE {mark} VALUES (NEW.id) {done}; END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION clock_span_member() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {mark} VALUES (OLD.person_id) {done}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {mark} VALUES (NEW.person_id) {done}; END IF; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION clock_span_group() RETURNS trigger AS $$ BEGIN "
        f"{mark} SELECT person_id FROM group_members WHERE group_id = NEW.id {done}; "
        "RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE FUNCTION clock_span_interaction() RETURNS trigger AS $$ BEGIN "
        f"{mark} SELECT person_id FROM interaction_participants WHERE interaction_id = NEW.id "
        f"{done}; RETURN NULL; END $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER clock_span_person AFTER UPDATE OF {PERSON_INPUTS} OR DELETE ON people "
        "FOR EACH ROW EXECUTE FUNCTION clock_span_person()",
        "CREATE TRIGGER clock_span_group AFTER UPDATE OF cadence_days, archived ON groups "
        "FOR EACH ROW EXECUTE FUNCTION clock_span_group()",
        "CREATE TRIGGER clock_span_interaction AFTER UPDATE OF occurred_on, kind "
        "ON interactions FOR EACH ROW EXECUTE FUNCTION clock_span_interaction()",
    ]
    for table in BY_PERSON:
        found.append(
            f"CREATE TRIGGER clock_span_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION clock_span_member()"
        )
    return found


def create_triggers() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql() if postgresql else _sqlite():
        op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("clock_role", sa.String(length=40), nullable=True))
    op.execute("UPDATE people SET clock_check_n = 0")  # work every clock out once more
    op.create_table(
        "clock_spans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", ondelete="CASCADE", name="fk_clock_spans_owner_id_owners"),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on_n", sa.Integer(), nullable=False),
        sa.Column("end_n", sa.Integer(), nullable=False),
        sa.Column("cadence", sa.Integer(), nullable=True),
        sa.Column("start_n", sa.Integer(), nullable=True),
        sa.Column("talks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clock_spans"),
    )
    op.create_index("ix_clock_spans_owner_person", "clock_spans", ["owner_id", "person_id", "on_n"])
    op.create_table(
        "clock_days",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", ondelete="CASCADE", name="fk_clock_days_owner_id_owners"),
            nullable=False,
        ),
        sa.Column("day_n", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("held", "inside", "warm", "cooling", "cold", "dormant")
        ),
        sa.PrimaryKeyConstraint("owner_id", "day_n", name="pk_clock_days"),
    )
    op.create_table(
        "clock_span_marks",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_clock_span_marks"),
    )
    op.create_table(
        "clock_history",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", ondelete="CASCADE", name="fk_clock_history_owner_id_owners"),
            nullable=False,
        ),
        sa.Column("horizon_n", sa.Integer(), nullable=False),
        sa.Column("people_seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name="pk_clock_history"),
    )
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("person", "member", "group", "interaction"):
            op.execute(f"DROP FUNCTION IF EXISTS clock_span_{function}()")
    else:
        for name in ("person", "person_delete", "group", "interaction"):
            op.execute(f"DROP TRIGGER IF EXISTS clock_span_{name}")
        for table in BY_PERSON:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS clock_span_{table}_{event}")
    for table in ("clock_history", "clock_span_marks", "clock_days", "clock_spans"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch rebuild of people would drop the triggers every later table keeps.
        op.execute("ALTER TABLE people DROP COLUMN clock_role")
    else:
        op.drop_column("people", "clock_role")
