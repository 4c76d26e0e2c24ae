"""Reminders: a member's own, or a moderator's for a channel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Reminder(Base):
    """A reminder a member set for themselves or (moderators) for a channel."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    """Empty for a reminder by DM."""
    text: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
