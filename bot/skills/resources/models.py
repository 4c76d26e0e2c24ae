"""The resource library: shared links, their tags, and members' ratings and saves.

The full-text index is not modelled here: on SQLite it is the FTS5 table ``resources_fts``
and on PostgreSQL the generated column ``resources.search_document`` with its GIN index. Both
are created by migration ``0002_resources`` and listed in ``SEARCH_INDEX_OBJECTS``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

SEARCH_INDEX_OBJECTS = frozenset(
    {
        "resources_fts",
        "resources_fts_config",
        "resources_fts_data",
        "resources_fts_docsize",
        "resources_fts_idx",
        "search_document",
        "ix_resources_search_document",
    }
)
"""Names of the search-index tables, column and index that the ORM cannot describe."""


class Resource(Base):
    """One shared link in one tenant's library; removal is soft so the audit can refer to it."""

    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("tenant_id", "url_key"),
        Index("ix_resources_tenant_number", "tenant_id", "number", unique=True),
        Index("ix_resources_tenant_created", "tenant_id", "created_at"),
        Index("ix_resources_tenant_subject", "tenant_id", "subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    """What members see and type (``#12``), counted within the community."""
    url: Mapped[str] = mapped_column(String(1000))
    url_key: Mapped[str] = mapped_column(String(1000))
    """The normalised URL that duplicates share (see ``bot.skills.resources.links``)."""
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(String(2000), default="")
    tags: Mapped[str] = mapped_column(String(600), default="")
    """The tags, space-separated, for the full-text index and display (``resource_tags`` too)."""
    kind: Mapped[str] = mapped_column(String(16), default="other")
    """lesson-plan, article, video, tool, course or other (shown as "type")."""
    subject: Mapped[str] = mapped_column(String(64), default="")
    grade_mask: Mapped[int] = mapped_column(Integer, default=0)
    """Bit i set for grade level ``GRADE_LEVELS[i]`` (introductions vocabulary)."""
    shared_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True, default=None
    )
    """Who shared it; cleared when they erase their data (the resource stays)."""
    source: Mapped[str] = mapped_column(String(16), default="chat")
    """``chat`` or ``import``."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    featured_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    removed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), default=None
    )
    removal_reason: Mapped[str] = mapped_column(String(300), default="")
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_total: Mapped[int] = mapped_column(Integer, default=0)
    """Sum of the scores; recomputed from ``resource_ratings`` whenever a rating changes."""


class ResourceTag(Base):
    """One tag of one resource, for exact ``#tag`` filtering."""

    __tablename__ = "resource_tags"
    __table_args__ = (Index("ix_resource_tags_lookup", "tenant_id", "tag", "resource_id"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))


class ResourceRating(Base):
    """A member's 1–5 rating of a resource (one per member, changed by rating again)."""

    __tablename__ = "resource_ratings"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(SmallInteger)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ResourceSave(Base):
    """A resource a member saved for later."""

    __tablename__ = "resource_saves"
    __table_args__ = (Index("ix_resource_saves_member", "member_id", "saved_at"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ResourceSearch(Base):
    """One ``resource find`` (first page only), for ``admin stats``.

    Anonymous by design: it records what was looked for and whether anything was found, never
    who looked.
    """

    __tablename__ = "resource_searches"
    __table_args__ = (Index("ix_resource_searches_tenant_time", "tenant_id", "searched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    terms: Mapped[str] = mapped_column(String(300), default="")
    """The search words and #tags as understood, lower case (filters are not kept)."""
    found: Mapped[bool] = mapped_column(Boolean)
    searched_at: Mapped[datetime] = mapped_column(UTCDateTime)
