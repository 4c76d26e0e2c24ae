"""Kudos: the skill's own branch, on top of the core revision it needs (members).

Revision ID: kudos_0001
Depends on: 0009_scheduling
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "kudos_0001"
down_revision = None
branch_labels = ("kudos",)
depends_on = "0009_scheduling"


def _linked(name: str, table: str) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), primary_key=True),
        _linked("tenant_id", "tenants"),
        _linked("giver_id", "members"),
        _linked("receiver_id", "members"),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_kudos_tenant_created", "kudos", ["tenant_id", "created_at"])


def downgrade() -> None:
    op.drop_table("kudos")
