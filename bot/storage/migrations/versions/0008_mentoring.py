"""Peer mentoring: offers, requests, proposals and pairs.

Revision ID: 0008_mentoring
Revises: 0007_discord
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0008_mentoring"
down_revision = "0007_discord"
branch_labels = None
depends_on = None


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="CASCADE",
    )


def _member_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["members.id"], name=op.f(f"fk_{table}_{column}_members"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "mentor_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.Column("paused_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _tenant_fk("mentor_offers"),
        _member_fk("mentor_offers", "member_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_offers")),
        sa.UniqueConstraint(
            "tenant_id", "member_id", name=op.f("uq_mentor_offers_tenant_id_member_id")
        ),
    )
    op.create_table(
        "mentee_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("goals", sa.String(1000), nullable=False),
        sa.Column("paused_at", UTCDateTime(), nullable=True),
        sa.Column("matched_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _tenant_fk("mentee_requests"),
        _member_fk("mentee_requests", "member_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentee_requests")),
        sa.UniqueConstraint(
            "tenant_id", "member_id", name=op.f("uq_mentee_requests_tenant_id_member_id")
        ),
    )
    op.create_table(
        "mentor_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("mentor_member_id", sa.Integer(), nullable=False),
        sa.Column("mentee_member_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("mentor_answer", sa.String(8), nullable=False),
        sa.Column("mentee_answer", sa.String(8), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        _tenant_fk("mentor_proposals"),
        _member_fk("mentor_proposals", "mentor_member_id", "CASCADE"),
        _member_fk("mentor_proposals", "mentee_member_id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_proposals")),
    )
    op.create_index(
        "ix_mentor_proposals_tenant_status", "mentor_proposals", ["tenant_id", "status"]
    )
    op.create_index(
        op.f("ix_mentor_proposals_mentor_member_id"), "mentor_proposals", ["mentor_member_id"]
    )
    op.create_index(
        op.f("ix_mentor_proposals_mentee_member_id"), "mentor_proposals", ["mentee_member_id"]
    )
    op.create_table(
        "mentor_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("mentor_member_id", sa.Integer(), nullable=True),
        sa.Column("mentee_member_id", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("mentor_rating", sa.SmallInteger(), nullable=True),
        sa.Column("mentor_feedback", sa.String(1000), nullable=False),
        sa.Column("mentee_rating", sa.SmallInteger(), nullable=True),
        sa.Column("mentee_feedback", sa.String(1000), nullable=False),
        _tenant_fk("mentor_pairs"),
        _member_fk("mentor_pairs", "mentor_member_id", "SET NULL"),
        _member_fk("mentor_pairs", "mentee_member_id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_pairs")),
    )
    op.create_index("ix_mentor_pairs_tenant_started", "mentor_pairs", ["tenant_id", "started_at"])
    op.create_index(op.f("ix_mentor_pairs_mentor_member_id"), "mentor_pairs", ["mentor_member_id"])
    op.create_index(op.f("ix_mentor_pairs_mentee_member_id"), "mentor_pairs", ["mentee_member_id"])


def downgrade() -> None:
    op.drop_table("mentor_pairs")
    op.drop_table("mentor_proposals")
    op.drop_table("mentee_requests")
    op.drop_table("mentor_offers")
