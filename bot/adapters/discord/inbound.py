"""Discord events in: one pure function per event type, each building a core ``Event``.

Nothing here does I/O; the adapter looks up what a function needs (the server of a DM, the
action behind a custom id) and passes it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.core.events import Actor, Event, EventKind, Invocation, Place, TenantRef
from bot.core.roles import Role

PLATFORM = "discord"
_ANSWERED_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


@dataclass(frozen=True, kw_only=True, slots=True)
class RoleRules:
    """How Discord facts map to Staffroom roles: Manage Server (or Administrator, or owning
    the server) makes an admin; the configured role makes a moderator."""

    moderator_role_id: int | None = None

    def role_of(self, member: discord.Member | None, permissions: discord.Permissions) -> Role:
        if member is None:
            return Role.MEMBER
        if (
            permissions.administrator
            or permissions.manage_guild
            or member.id == member.guild.owner_id
        ):
            return Role.ADMIN
        if self.moderator_role_id is not None and member.get_role(self.moderator_role_id):
            return Role.MODERATOR
        return Role.MEMBER


def tenant_ref(guild: discord.Guild) -> TenantRef:
    return TenantRef(platform=PLATFORM, external_id=str(guild.id), name=guild.name or "")


def actor(user: discord.abc.User, role: Role, *, locale: str = "") -> Actor:
    return Actor(
        user_id=str(user.id),
        display_name=user.display_name,
        platform_role=role,
        is_bot=user.bot,
        locale=locale,
    )


def member_role(guild: discord.Guild, user_id: int, rules: RoleRules) -> Role:
    """A user's role in a server from the member cache (for DMs, which carry no member)."""
    member = guild.get_member(user_id)
    if member is None:
        return Role.MEMBER
    return rules.role_of(member, member.guild_permissions)


@dataclass(frozen=True, kw_only=True, slots=True)
class TextCommandRules:
    """When a channel message is meant for Staffroom: it starts with the prefix or with a
    mention of the bot. Every DM to the bot is meant for it."""

    bot_user_id: int
    prefix: str

    def strip(self, content: str) -> str | None:
        """The command text of a message addressed to Staffroom, or None."""
        text = content.lstrip()
        for mention in (f"<@{self.bot_user_id}>", f"<@!{self.bot_user_id}>"):
            if text.startswith(mention):
                return text[len(mention) :].strip()
        if text.startswith(self.prefix):
            rest = text[len(self.prefix) :]
            if self.prefix[-1].isalnum() and rest and not rest[0].isspace():
                return None  # "!srs" is not "!sr s"
            return rest.strip()
        return None


def message_event(
    message: discord.Message,
    *,
    text_rules: TextCommandRules,
    roles: RoleRules,
    dm_guild: discord.Guild | None = None,
) -> Event | None:
    """MESSAGE_CREATE → a MESSAGE event; None for messages Staffroom has nothing to do with.

    ``dm_guild`` is the server a DM is about (the adapter finds it); a DM without one, a
    system message, or an unaddressed message without text (no message content intent) is
    not an event.
    """
    if message.type not in _ANSWERED_MESSAGE_TYPES or message.author.id == text_rules.bot_user_id:
        return None
    if message.guild is None:
        if dm_guild is None:
            return None
        text = text_rules.strip(message.content)
        return Event(
            kind=EventKind.MESSAGE,
            event_id=str(message.id),
            tenant=tenant_ref(dm_guild),
            actor=actor(message.author, member_role(dm_guild, message.author.id, roles)),
            place=Place(channel_id=str(message.channel.id), is_dm=True),
            text=message.content.strip() if text is None else text,
        )
    command = text_rules.strip(message.content)
    if command is None and not message.content.strip():
        return None
    author = message.author if isinstance(message.author, discord.Member) else None
    permissions = author.guild_permissions if author else discord.Permissions.none()
    return Event(
        kind=EventKind.MESSAGE,
        event_id=str(message.id),
        tenant=tenant_ref(message.guild),
        actor=actor(message.author, roles.role_of(author, permissions)),
        place=Place(channel_id=str(message.channel.id)),
        text=message.content if command is None else command,
        addressed=command is not None,
    )


def interaction_event(
    interaction: discord.Interaction[Any],
    invocation: Invocation,
    *,
    guild: discord.Guild,
    roles: RoleRules,
) -> Event:
    """An application command, button, select or submitted form → an INVOCATION event.

    ``guild`` is the interaction's server, or for an interaction in a DM the server its
    button belongs to.
    """
    user = interaction.user
    if interaction.guild_id is not None and isinstance(user, discord.Member):
        role = roles.role_of(user, interaction.permissions)
    else:
        role = member_role(guild, user.id, roles)
    return Event(
        kind=EventKind.INVOCATION,
        event_id=str(interaction.id),
        tenant=tenant_ref(guild),
        # The client's language: only interactions carry it (messages do not).
        actor=actor(user, role, locale=str(interaction.locale.value)),
        place=Place(
            channel_id=str(interaction.channel_id or ""), is_dm=interaction.guild_id is None
        ),
        invocation=invocation,
    )


def member_joined_event(member: discord.Member, *, roles: RoleRules) -> Event:
    """GUILD_MEMBER_ADD → MEMBER_JOINED (the welcome DM)."""
    guild = member.guild
    joined = member.joined_at.isoformat() if member.joined_at else ""
    system = guild.system_channel
    return Event(
        kind=EventKind.MEMBER_JOINED,
        event_id=f"join:{guild.id}:{member.id}:{joined}",
        tenant=tenant_ref(guild),
        actor=actor(member, roles.role_of(member, member.guild_permissions)),
        place=Place(channel_id=str(system.id) if system else ""),
    )


def member_left_event(guild: discord.Guild, user: discord.abc.User, *, now: datetime) -> Event:
    """GUILD_MEMBER_REMOVE → MEMBER_LEFT (starts the retention period)."""
    return Event(
        kind=EventKind.MEMBER_LEFT,
        event_id=f"leave:{guild.id}:{user.id}:{now.isoformat()}",
        tenant=tenant_ref(guild),
        actor=actor(user, Role.MEMBER),
        place=Place(channel_id=""),
    )


def custom_id_of(data: Mapping[str, Any] | None) -> str:
    return str((data or {}).get("custom_id", ""))


def selected_value(data: Mapping[str, Any] | None) -> str | None:
    """The option a select menu's user picked (None for a button)."""
    values = (data or {}).get("values") or []
    return str(values[0]) if values else None


def modal_answers(data: Mapping[str, Any] | None) -> dict[str, str]:
    """Each text input's value by its custom id (action rows, or the newer labels)."""
    answers: dict[str, str] = {}
    for row in (data or {}).get("components") or []:
        inner = row.get("components") or ([row["component"]] if "component" in row else [])
        for component in inner:
            if "custom_id" in component and isinstance(component.get("value"), str):
                answers[str(component["custom_id"])] = component["value"]
    return answers
