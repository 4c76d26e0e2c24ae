"""Discord adapter: long component actions, multi-page form drafts, slash-command sync state.

Revision ID: 0007_discord
Revises: 0006_slack
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0007_discord"
down_revision = "0006_slack"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discord_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_discord_actions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_discord_actions_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discord_actions")),
    )
    op.create_index(op.f("ix_discord_actions_member_id"), "discord_actions", ["member_id"])
    op.create_index(op.f("ix_discord_actions_created_at"), "discord_actions", ["created_at"])
    op.create_table(
        "discord_form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_discord_form_drafts_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_discord_form_drafts_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discord_form_drafts")),
    )
    op.create_index(op.f("ix_discord_form_drafts_member_id"), "discord_form_drafts", ["member_id"])
    op.create_index(
        op.f("ix_discord_form_drafts_created_at"), "discord_form_drafts", ["created_at"]
    )
    op.create_table(
        "discord_command_syncs",
        sa.Column("application_id", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("tree_hash", sa.String(64), nullable=False),
        sa.Column("synced_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "scope", name=op.f("pk_discord_command_syncs")),
    )


def downgrade() -> None:
    op.drop_table("discord_command_syncs")
    op.drop_index(op.f("ix_discord_form_drafts_created_at"), table_name="discord_form_drafts")
    op.drop_index(op.f("ix_discord_form_drafts_member_id"), table_name="discord_form_drafts")
    op.drop_table("discord_form_drafts")
    op.drop_index(op.f("ix_discord_actions_created_at"), table_name="discord_actions")
    op.drop_index(op.f("ix_discord_actions_member_id"), table_name="discord_actions")
    op.drop_table("discord_actions")
