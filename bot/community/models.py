"""What several skills read: member profiles (written by introductions) and mentor pairs
(written by mentoring, an audience for check-ins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, SmallInteger, String, UniqueConstraint
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


class MentorPair(Base):
    """A mentor and mentee who both accepted; ``ended_at`` is set when either ends it.

    A side that erases their data is unlinked (None), and the pair ends.
    """

    __tablename__ = "mentor_pairs"
    __table_args__ = (Index("ix_mentor_pairs_tenant_started", "tenant_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    mentor_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True, default=None
    )
    mentee_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True, default=None
    )
    reasons: Mapped[Any] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    mentor_rating: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    """The mentor's 1–5 feedback when ending (``mentee_*`` likewise)."""
    mentor_feedback: Mapped[str] = mapped_column(String(1000), default="")
    mentee_rating: Mapped[int | None] = mapped_column(SmallInteger, default=None)
    mentee_feedback: Mapped[str] = mapped_column(String(1000), default="")
