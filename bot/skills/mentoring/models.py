"""Peer mentoring: who offers to mentor, who asks for a mentor, proposals and pairs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class MentorOffer(Base):
    """A member's standing offer to mentor (one per member; offering again updates it)."""

    __tablename__ = "mentor_offers"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(SmallInteger)
    """How many mentees at once, 1–5 (active pairs and open proposals both count)."""
    subjects: Mapped[Any] = mapped_column(JSON)
    """The subjects offered (a list); empty means those of the member's profile."""
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MenteeRequest(Base):
    """A member's request for a mentor (one per member; asking again reopens it)."""

    __tablename__ = "mentee_requests"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(64), default="")
    """The subject they want help with; empty means those of their profile."""
    goals: Mapped[str] = mapped_column(String(1000), default="")
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Set when the request led to a pair: it leaves the pool until asked again."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MentorProposal(Base):
    """A proposed pair, waiting for both sides to accept before ``expires_at``.

    ``status`` is pending, accepted, declined or expired; a pending proposal past its
    deadline counts as expired wherever it is read, before anything marks it so.
    """

    __tablename__ = "mentor_proposals"
    __table_args__ = (Index("ix_mentor_proposals_tenant_status", "tenant_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    mentor_member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    mentee_member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[Any] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(8))
    """``round`` or ``manual``."""
    status: Mapped[str] = mapped_column(String(12), default="pending")
    mentor_answer: Mapped[str] = mapped_column(String(8), default="")
    mentee_answer: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
