"""A member's language: the one they chose and the locale their platform reported.

Revision ID: 0016_languages
Revises: 0013_hostile_input
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_languages"
down_revision = "0013_hostile_input"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("platform_locale", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate the table, and on
    # SQLite dropping a table deletes its rows first, which cascades to every row that refers
    # to them.
    op.drop_column("members", "platform_locale")
    op.drop_column("members", "language")
