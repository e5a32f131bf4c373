"""mail capture: accounts, folders read so far, and the headers of messages seen (no bodies)

Revision ID: 0131
Revises: 0121

`mentormap mail import` and `mail sync` turn messages into interactions. A message is counted
once by its key (Message-ID or a hash), an IMAP folder remembers its UIDVALIDITY and last UID,
and the correspondents of each message are kept so that unknown ones can be suggested.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0131"
down_revision: str | None = "0121"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(320), nullable=False),
        sa.Column("security", sa.String(10), nullable=False),
        sa.Column("password_command", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", name="fk_mail_accounts_owner_id_owners", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mail_accounts"),
        sa.UniqueConstraint("owner_id", "name", name="uq_mail_accounts_owner_id_name"),
    )
    op.create_index("ix_mail_accounts_owner_id", "mail_accounts", ["owner_id"])
    op.create_table(
        "mail_folders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey(
                "mail_accounts.id",
                name="fk_mail_folders_account_id_mail_accounts",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=True),
        sa.Column("last_uid", sa.Integer(), nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", name="fk_mail_folders_owner_id_owners", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mail_folders"),
        sa.UniqueConstraint("account_id", "name", name="uq_mail_folders_account_id_name"),
    )
    op.create_index("ix_mail_folders_owner_id", "mail_folders", ["owner_id"])
    op.create_index("ix_mail_folders_account_id", "mail_folders", ["account_id"])
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_key", sa.String(255), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey(
                "mail_accounts.id",
                name="fk_mail_messages_account_id_mail_accounts",
                ondelete="CASCADE",
            ),
            nullable=True,
        ),
        sa.Column(
            "interaction_id",
            sa.Integer(),
            sa.ForeignKey(
                "interactions.id",
                name="fk_mail_messages_interaction_id_interactions",
                ondelete="SET NULL",
            ),
            nullable=True,
        ),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("thread_root", sa.String(255), nullable=False),
        sa.Column("subject_key", sa.String(255), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("owners.id", name="fk_mail_messages_owner_id_owners", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mail_messages"),
        sa.UniqueConstraint(
            "owner_id", "message_key", name="uq_mail_messages_owner_id_message_key"
        ),
    )
    op.create_index("ix_mail_messages_owner_id", "mail_messages", ["owner_id"])
    op.create_index("ix_mail_messages_account_id", "mail_messages", ["account_id"])
    op.create_index("ix_mail_messages_interaction_id", "mail_messages", ["interaction_id"])
    op.create_index("ix_mail_messages_owner_thread", "mail_messages", ["owner_id", "thread_root"])
    op.create_index("ix_mail_messages_owner_subject", "mail_messages", ["owner_id", "subject_key"])
    op.create_table(
        "mail_addresses",
        sa.Column(
            "message_id",
            sa.Integer(),
            sa.ForeignKey(
                "mail_messages.id",
                name="fk_mail_addresses_message_id_mail_messages",
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey(
                "owners.id", name="fk_mail_addresses_owner_id_owners", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("message_id", "address", name="pk_mail_addresses"),
    )
    op.create_index("ix_mail_addresses_owner_id", "mail_addresses", ["owner_id"])
    op.create_index("ix_mail_addresses_owner_address", "mail_addresses", ["owner_id", "address"])


def downgrade() -> None:
    op.drop_table("mail_addresses")
    op.drop_table("mail_messages")
    op.drop_table("mail_folders")
    op.drop_table("mail_accounts")
