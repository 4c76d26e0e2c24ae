"""The schedule of record and the outbox: due work and outgoing messages survive restarts and
are claimed in the store, so that several processes share them without doing anything twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class ScheduleRow(Base):
    """One schedule: a job name and payload, a rule in a zone, and when it is next due."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    job: Mapped[str] = mapped_column(String(64))
    payload: Mapped[Any] = mapped_column(JSON)
    owner: Mapped[str] = mapped_column(String(96), index=True)
    """What the schedule belongs to (``checkin:12:Europe/Paris``), to find and cancel it."""
    rule: Mapped[str] = mapped_column(String(200))
    """The canonical schedule text (``Schedule.text()``)."""
    zone: Mapped[str] = mapped_column(String(64))
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    """None once a one-off has run (or a recurrence has no more occurrences)."""
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ScheduleRun(Base):
    """What became of one occurrence: done, skipped (missed beyond the grace window) or failed.

    Unique per (schedule, due time): the last guard against running an occurrence twice."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    job: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16))
    lateness_s: Mapped[float] = mapped_column(Float, default=0.0)


class OutboxMessage(Base):
    """One outgoing DM, group DM or post written by scheduled work, sent by the outbox worker."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    tenant_external_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(64))
    members: Mapped[Any] = mapped_column(JSON)
    reply: Mapped[Any] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    """pending, sending (leased), sent or failed."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rate_limited: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lease_owner: Mapped[str] = mapped_column(String(32), default="", server_default="")
    """The process holding the lease (a token per worker): only it may send the row."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A process took it and died without saying how the send went: before sending it again,
    the worker asks the platform whether it arrived (``ChatPort.find_delivery``)."""
