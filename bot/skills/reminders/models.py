"""Reminders: a member's own, or a moderator's for a channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Reminder(Base):
    """A reminder a member set for themselves or (moderators) for a channel."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_tenant_number", "tenant_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type, counted within the community."""
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    """Empty for a reminder by DM."""
    text: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
