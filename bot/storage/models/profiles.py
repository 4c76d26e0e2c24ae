"""Member profiles written by the introductions skill."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Profile(Base):
    """The single-valued part of a member's introduction."""

    __tablename__ = "profiles"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    role_title: Mapped[str] = mapped_column(String(40), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")
    """An IANA zone name, or a fixed offset written ``UTC+05:30``."""
    years_experience: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """When the intro first had every required field (and was posted)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProfileTag(Base):
    """One value of a multi-valued profile field (subject, grade, language, interest, seeking)."""

    __tablename__ = "profile_tags"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "value"),
        Index("ix_profile_tags_lookup", "tenant_id", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))
