"""Tenants (communities), their members and settings, and the processed-event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Tenant(Base):
    """One community: a Discord guild, a Slack workspace, or a console community."""

    __tablename__ = "tenants"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    absent_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    """Staffroom was uninstalled (Slack) or removed (Discord) then: its schedules and outbox
    wait until it comes back."""


class Member(Base):
    """A person in one tenant, keyed by their platform user id."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    granted_role: Mapped[int] = mapped_column(SmallInteger, default=0)
    """A role granted in the store by an admin (the platform may grant a higher one)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    """The language the member chose (``me language``), a supported code."""
    platform_locale: Mapped[str | None] = mapped_column(String(16), default=None)
    """The locale their chat platform last reported (Slack profile, Discord interaction)."""


class TenantSetting(Base):
    """One configured value of one tenant (channels, welcome text, weights…)."""

    __tablename__ = "tenant_settings"

    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class TenantSequence(Base):
    """The last number given in one community to one kind of thing (``resource``,
    ``checkin``, ``reminder``): what members see, so no community can tell how busy the
    others are from its numbers. Ids stay internal."""

    __tablename__ = "tenant_sequences"

    tenant_id: Mapped[int] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class ProcessedEvent(Base):
    """Platform event ids already handled, so that retries are dropped even after a restart."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
