"""Check-ins (recurring questions to an audience), the prompts members get, and mutes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Checkin(Base):
    """A recurring set of questions to an audience, summarised in a channel."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_tenant_number", "tenant_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type, counted within the community."""
    title: Mapped[str] = mapped_column(String(100))
    questions: Mapped[Any] = mapped_column(JSON)
    rule: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(String(64))
    """``member`` (each member's own zone) or a zone key."""
    audience: Mapped[str] = mapped_column(String(16))
    """all, channel, role or members."""
    audience_value: Mapped[Any] = mapped_column(JSON)
    summary_channel: Mapped[str] = mapped_column(String(64))
    reminder_hours: Mapped[int] = mapped_column(Integer)
    deadline_hours: Mapped[int] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckinPrompt(Base):
    """One member's copy of one round of a check-in, and their answer."""

    __tablename__ = "checkin_prompts"
    __table_args__ = (
        UniqueConstraint("checkin_id", "member_id", "round_key"),
        Index("ix_checkin_prompts_round", "checkin_id", "round_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    round_key: Mapped[str] = mapped_column(String(10))
    """The local date of the round (YYYY-MM-DD)."""
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[Any] = mapped_column(JSON, default=list)


class CheckinMute(Base):
    """A member who asked not to get one check-in any more."""

    __tablename__ = "checkin_mutes"

    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
