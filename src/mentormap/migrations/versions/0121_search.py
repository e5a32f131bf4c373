"""people.name_key: every name folded for search (case, accents, ø → o), indexed

Revision ID: 0121
Revises: 0111

SQLite's lower() folds A-Z only, so "Ó Briain" or "soren" found no one. The key is computed
by the same Python function the services use (domain/folding.py, copied here as it was, so
this migration keeps its meaning when that module changes).
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0121"
down_revision: str | None = "0111"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPELLED_OUT = str.maketrans(
    {
        "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "đ": "d", "ħ": "h", "ł": "l",
        "ŀ": "l", "ı": "i", "ŧ": "t", "ŋ": "ng", "ĸ": "k", "ſ": "s", "ß": "ss", "ƒ": "f",
        "ǥ": "g", "ɨ": "i", "ʉ": "u", "ƀ": "b", "ƶ": "z",
    }
)  # fmt: skip


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", bare.translate(_SPELLED_OUT)).split())


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("name_key", sa.String(400), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM people")).all()
    update = sa.text("UPDATE people SET name_key = :key WHERE id = :id")
    keys = [{"id": pid, "key": _fold(name or "")} for pid, name in rows]
    for start in range(0, len(keys), 5000):
        conn.execute(update, keys[start : start + 5000])
    op.create_index("ix_people_owner_name_key", "people", ["owner_id", "name_key"])


def downgrade() -> None:
    op.drop_index("ix_people_owner_name_key", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("name_key")
