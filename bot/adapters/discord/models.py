"""What the Discord adapter keeps between interactions: component actions too long for a
custom id, forms being filled in over several modals, and the last slash-command sync.

Discord allows 100 characters per component custom id and 5 inputs per modal, and a modal
submit cannot open another modal; these tables bridge those limits so that a button or a
multi-page form still works after a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class DiscordAction(Base):
    """A button's or select's invocation that does not fit in its custom id (which then
    carries only this row's id)."""

    __tablename__ = "discord_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True, default=None
    )
    """The member it was shown to privately (a DM or an ephemeral reply); None in channels."""
    payload: Mapped[str] = mapped_column(Text)
    """The encoded invocation (see ``bot.adapters.discord.custom_ids``)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DiscordFormDraft(Base):
    """A form being filled in: its fields, the answers so far, and its pages of inputs."""

    __tablename__ = "discord_form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    form: Mapped[Any] = mapped_column(JSON)
    answers: Mapped[Any] = mapped_column(JSON)
    pages: Mapped[Any] = mapped_column(JSON)
    """The field names of each modal still to fill in (all fields, or those to fix)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class DiscordCommandSync(Base):
    """The slash-command tree last sent to Discord, per application and scope, so that it is
    sent again only when it changed (Discord allows 200 command creations a day per server)."""

    __tablename__ = "discord_command_syncs"

    application_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    """``global`` or a server (guild) id."""
    tree_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)
