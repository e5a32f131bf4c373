"""sync: address books and calendars to sync with, linked cards, events seen, bookings ahead

Revision ID: 0201
Revises: 0241

`mentormap sync` links CardDAV cards to people (the card as last seen and the field values last
agreed, for three-way merges), remembers the calendar events it has turned into interactions,
bookings or trips, and keeps the catch-ups booked ahead. A booking changes a standing (booked,
not due), so its rows mark the person's clock for a new check, as roles and group memberships
do (migration 0141).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0201"
down_revision: str | None = "0241"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STALE = "UPDATE people SET clock_check_n = 0 WHERE id"


def _owner(table: str) -> sa.Column:
    return sa.Column(
        "owner_id",
        sa.Integer(),
        sa.ForeignKey("owners.id", name=f"fk_{table}_owner_id_owners", ondelete="CASCADE"),
        nullable=False,
    )


def _fk(table: str, column: str, target: str, ondelete: str, nullable: bool) -> sa.Column:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete),
        nullable=nullable,
    )


def create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # clock_check_member (0141) marks OLD.person_id and NEW.person_id.
        op.execute(
            "CREATE TRIGGER clock_check_bookings AFTER INSERT OR UPDATE OR DELETE ON bookings "
            "FOR EACH ROW EXECUTE FUNCTION clock_check_member()"
        )
        return
    op.execute(
        "CREATE TRIGGER clock_check_bookings_insert AFTER INSERT ON bookings "
        f"BEGIN {STALE} = NEW.person_id; END"
    )
    op.execute(
        "CREATE TRIGGER clock_check_bookings_update AFTER UPDATE ON bookings "
        f"BEGIN {STALE} IN (OLD.person_id, NEW.person_id); END"
    )
    op.execute(
        "CREATE TRIGGER clock_check_bookings_delete AFTER DELETE ON bookings "
        f"BEGIN {STALE} = OLD.person_id; END"
    )


def upgrade() -> None:
    op.create_table(
        "sync_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("collection_url", sa.Text(), nullable=True),
        sa.Column("username", sa.String(320), nullable=True),
        sa.Column("password_command", sa.Text(), nullable=True),
        sa.Column("roles_as_categories", sa.Boolean(), nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.Column("last_report", sa.Text(), nullable=True),
        _owner("sync_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_sync_sources"),
        sa.UniqueConstraint("owner_id", "name", name="uq_sync_sources_owner_id_name"),
    )
    op.create_index("ix_sync_sources_owner_id", "sync_sources", ["owner_id"])
    op.create_table(
        "sync_cards",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("sync_cards", "source_id", "sync_sources", "CASCADE", False),
        _fk("sync_cards", "person_id", "people", "SET NULL", True),
        sa.Column("href", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(500), nullable=False),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("synced", sa.Text(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        _owner("sync_cards"),
        sa.PrimaryKeyConstraint("id", name="pk_sync_cards"),
        sa.UniqueConstraint("source_id", "href", name="uq_sync_cards_source_id_href"),
    )
    op.create_index("ix_sync_cards_owner_id", "sync_cards", ["owner_id"])
    op.create_index("ix_sync_cards_source_id", "sync_cards", ["source_id"])
    op.create_index("ix_sync_cards_person_id", "sync_cards", ["person_id"])
    op.create_index("ix_sync_cards_source_uid", "sync_cards", ["source_id", "uid"])
    op.create_table(
        "sync_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("sync_events", "source_id", "sync_sources", "CASCADE", False),
        sa.Column("uid", sa.String(600), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        _fk("sync_events", "interaction_id", "interactions", "SET NULL", True),
        _fk("sync_events", "trip_id", "trips", "SET NULL", True),
        _owner("sync_events"),
        sa.PrimaryKeyConstraint("id", name="pk_sync_events"),
        sa.UniqueConstraint("source_id", "uid", name="uq_sync_events_source_id_uid"),
    )
    op.create_index("ix_sync_events_owner_id", "sync_events", ["owner_id"])
    op.create_index("ix_sync_events_source_id", "sync_events", ["source_id"])
    op.create_index("ix_sync_events_interaction_id", "sync_events", ["interaction_id"])
    op.create_index("ix_sync_events_trip_id", "sync_events", ["trip_id"])
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("bookings", "person_id", "people", "CASCADE", False),
        _fk("bookings", "event_id", "sync_events", "CASCADE", False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        _owner("bookings"),
        sa.PrimaryKeyConstraint("id", name="pk_bookings"),
        sa.UniqueConstraint("event_id", "person_id", name="uq_bookings_event_id_person_id"),
    )
    op.create_index("ix_bookings_owner_id", "bookings", ["owner_id"])
    op.create_index("ix_bookings_person_on", "bookings", ["person_id", "on"])
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS clock_check_bookings ON bookings")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS clock_check_bookings_{event}")
    op.drop_table("bookings")
    op.drop_table("sync_events")
    op.drop_table("sync_cards")
    op.drop_table("sync_sources")
