"""Events: events and members' answers per occurrence; office hours and their bookings (one
booking per slot, kept by a unique constraint).

Revision ID: 0023_events
Revises: 0016_languages
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0023_events"
down_revision = "0016_languages"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        _fk("events", "organiser_id", "members", "SET NULL"),
        _fk("events", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_tenant_id"), "events", ["tenant_id"], unique=False)
    op.create_table(
        "event_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_at", UTCDateTime(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        _fk("event_answers", "event_id", "events"),
        _fk("event_answers", "member_id", "members"),
        _fk("event_answers", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_answers")),
        sa.UniqueConstraint(
            "event_id",
            "occurrence_at",
            "member_id",
            name=op.f("uq_event_answers_event_id_occurrence_at_member_id"),
        ),
    )
    op.create_index(op.f("ix_event_answers_event_id"), "event_answers", ["event_id"], unique=False)
    op.create_index(
        op.f("ix_event_answers_member_id"), "event_answers", ["member_id"], unique=False
    )
    op.create_table(
        "office_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("office_hours", "host_id", "members"),
        _fk("office_hours", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hours")),
    )
    op.create_index(op.f("ix_office_hours_tenant_id"), "office_hours", ["tenant_id"], unique=False)
    op.create_index(op.f("ix_office_hours_host_id"), "office_hours", ["host_id"], unique=False)
    op.create_table(
        "office_hour_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("office_hours_id", sa.Integer(), nullable=False),
        sa.Column("slot_at", UTCDateTime(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _fk("office_hour_bookings", "member_id", "members"),
        _fk("office_hour_bookings", "office_hours_id", "office_hours"),
        _fk("office_hour_bookings", "tenant_id", "tenants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hour_bookings")),
        sa.UniqueConstraint(
            "office_hours_id",
            "slot_at",
            name=op.f("uq_office_hour_bookings_office_hours_id_slot_at"),
        ),
    )
    op.create_index(
        op.f("ix_office_hour_bookings_member_id"),
        "office_hour_bookings",
        ["member_id"],
        unique=False,
    )

    for table in ("events", "office_hours", "office_hour_bookings"):
        op.create_index(f"ix_{table}_tenant_number", table, ["tenant_id", "number"], unique=True)


def downgrade() -> None:
    op.drop_table("office_hour_bookings")
    op.drop_table("office_hours")
    op.drop_table("event_answers")
    op.drop_table("events")
