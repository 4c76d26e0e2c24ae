"""The outbox records which process holds a row's lease, so only that process sends it; a
community records since when Staffroom has been uninstalled from it.

Revision ID: 0010_defects
Revises: 0009_scheduling
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0010_defects"
down_revision = "0009_scheduling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("lease_owner", sa.String(length=32), nullable=False, server_default="")
        )
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("absent_since", UTCDateTime(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate the table, and on
    # SQLite dropping a table deletes its rows first, which cascades to every row that refers
    # to them.
    op.drop_column("tenants", "absent_since")
    op.drop_column("outbox", "lease_owner")
