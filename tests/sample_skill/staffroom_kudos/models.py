"""The skill's one table, on its own metadata: its own Alembic branch creates it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.base import UTCDateTime


class Base(DeclarativeBase):
    pass


class Kudos(Base):
    """One thank-you. The foreign keys to ``tenants`` and ``members`` (deleting a member
    deletes their kudos) are in the migration: this metadata does not know those tables."""

    __tablename__ = "kudos"
    __table_args__ = (Index("ix_kudos_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(Integer)
    giver_id: Mapped[int] = mapped_column(Integer)
    receiver_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
