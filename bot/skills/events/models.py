"""Events with answers per occurrence, and office hours with their bookings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Event(Base):
    """A meeting of the network: once, or recurring with the schedule grammar."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_tenant_number", "tenant_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type, counted within the community."""
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    rule: Mapped[str] = mapped_column(String(200))
    """The schedule (``bot.scheduling.recurrence``) in ``zone``: a date and time, or a
    recurrence."""
    zone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[str] = mapped_column(String(64), default="")
    """Where it was announced (empty when announced in a DM)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class EventAnswer(Base):
    """One member's answer for one occurrence, then whether they attended and their rating."""

    __tablename__ = "event_answers"
    __table_args__ = (UniqueConstraint("event_id", "occurrence_at", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    occurrence_at: Mapped[datetime] = mapped_column(UTCDateTime)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(16))
    """``going``, ``maybe`` or ``no``."""
    attended: Mapped[bool | None] = mapped_column(nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """How useful it was, 1–5."""
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OfficeHours(Base):
    """A mentor's or expert's recurring hours, cut into bookable slots."""

    __tablename__ = "office_hours"
    __table_args__ = (Index("ix_office_hours_tenant_number", "tenant_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type, counted within the community."""
    host_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Booking(Base):
    """A member's booking of one slot; the unique constraint is what forbids double booking,
    whichever process takes the click."""

    __tablename__ = "office_hour_bookings"
    __table_args__ = (
        UniqueConstraint("office_hours_id", "slot_at"),
        Index("ix_office_hour_bookings_tenant_number", "tenant_id", "number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type, counted within the community."""
    office_hours_id: Mapped[int] = mapped_column(ForeignKey("office_hours.id", ondelete="CASCADE"))
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
