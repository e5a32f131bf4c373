"""practice: prospects, opportunity statuses and passes, office hours, failure stories, mentee notes

Revision ID: 0191
Revises: 0261

Opportunities get the statuses of issue #16 (considering, applied, accepted, declined, done) in
a renamed column, and the kind `job` becomes `role`. The old states map: open → considering,
won → accepted, lost and passed → declined. The column is renamed in place (no table rebuild),
so the search triggers on `opportunities` stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0191"
down_revision: str | None = "0261"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_OF = {"open": "considering", "won": "accepted", "lost": "declined", "passed": "declined"}


def _owner() -> sa.Column:
    return sa.Column("owner_id", sa.Integer(), nullable=False)


def _owned(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owners.id"], name=f"fk_{table}_owner_id_owners", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _person_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["people.id"], name=f"fk_{table}_person_id_people", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.execute("ALTER TABLE opportunities RENAME COLUMN state TO status")
    for old, new in STATUS_OF.items():
        op.execute(sa.text("UPDATE opportunities SET status = :new WHERE status = :old")
                   .bindparams(new=new, old=old))  # fmt: skip
    op.execute("UPDATE opportunities SET kind = 'role' WHERE kind = 'job'")

    op.create_table(
        "prospects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("as_role", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        _owner(),
        _person_fk("prospects"),
        *_owned("prospects"),
        sa.UniqueConstraint("owner_id", "person_id", name="uq_prospects_owner_id_person_id"),
    )
    op.create_table(
        "opportunity_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("passed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _owner(),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name="fk_opportunity_passes_opportunity_id_opportunities",
            ondelete="CASCADE",
        ),
        _person_fk("opportunity_passes"),
        *_owned("opportunity_passes"),
        sa.UniqueConstraint(
            "opportunity_id", "person_id", name="uq_opportunity_passes_opportunity_id_person_id"
        ),
    )
    op.create_table(
        "office_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.String(length=5), nullable=False),
        sa.Column("ends_at", sa.String(length=5), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _owner(),
        *_owned("office_hours"),
    )
    op.create_table(
        "failure_stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lesson", sa.Text(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        _owner(),
        *_owned("failure_stories"),
    )
    op.create_table(
        "mentee_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        _owner(),
        _person_fk("mentee_notes"),
        *_owned("mentee_notes"),
    )
    for table in ("prospects", "opportunity_passes", "office_hours", "failure_stories"):
        op.create_index(f"ix_{table}_owner_id", table, ["owner_id"])
    op.create_index("ix_prospects_person_id", "prospects", ["person_id"])
    op.create_index(
        "ix_opportunity_passes_opportunity_id", "opportunity_passes", ["opportunity_id"]
    )
    op.create_index("ix_opportunity_passes_person_id", "opportunity_passes", ["person_id"])
    op.create_index("ix_mentee_notes_owner_id", "mentee_notes", ["owner_id"])
    op.create_index("ix_mentee_notes_person_id", "mentee_notes", ["person_id"])
    op.create_index("ix_mentee_notes_owner_person", "mentee_notes", ["owner_id", "person_id"])


def downgrade() -> None:
    for table in (
        "mentee_notes",
        "failure_stories",
        "office_hours",
        "opportunity_passes",
        "prospects",
    ):
        op.drop_table(table)
    op.execute("UPDATE opportunities SET kind = 'job' WHERE kind = 'role'")
    for new, old in (("considering", "open"), ("accepted", "won"), ("declined", "lost")):
        op.execute(sa.text("UPDATE opportunities SET status = :old WHERE status = :new")
                   .bindparams(new=new, old=old))  # fmt: skip
    op.execute("UPDATE opportunities SET status = 'won' WHERE status = 'done'")
    op.execute("ALTER TABLE opportunities RENAME COLUMN status TO state")
