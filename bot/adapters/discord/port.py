"""The Discord ``ChatPort``: DMs and channel posts for the core, with Discord's errors mapped
to ``DeliveryError`` (closed DMs are permanent; a rate limit says when to retry)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.custom_ids import Action, form_page_id, inline_id, stored_id
from bot.adapters.discord.inbound import RoleRules, actor
from bot.adapters.discord.persistence import DiscordRecords
from bot.adapters.discord.render import OutgoingMessage, render_reply
from bot.core.errors import CapabilityUnavailable, DeliveryError
from bot.core.events import Actor, TenantRef
from bot.core.replies import Form, Reply, mention

_log = logging.getLogger(__name__)

CANNOT_DM = 50007
"""Discord's "Cannot send messages to this user" (DMs closed, or no server in common)."""
MAX_NONCE_LENGTH = 25
"""Discord refuses longer message nonces."""
_PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 413})
NETWORK_ERRORS = (discord.DiscordException, aiohttp.ClientError, OSError)


class StoredComponentIds:
    """Custom ids for one message's components, sent to ``tenant`` (privately to one member
    when ``private_to`` is set): written out in full when they fit, stored otherwise."""

    def __init__(self, records: DiscordRecords, tenant: TenantRef, private_to: str | None) -> None:
        self._records = records
        self._tenant = tenant
        self._private_to = private_to

    async def action_id(self, action: Action) -> str:
        inline = inline_id(self._tenant.external_id, action)
        if inline is not None:
            return inline
        action_id = await self._records.remember_action(
            self._tenant, action, private_to=self._private_to
        )
        return stored_id(action_id)

    async def form_id(self, form: Form) -> str | None:
        if self._private_to is None:
            return None
        draft = await self._records.create_draft(self._tenant, self._private_to, form)
        return form_page_id(draft.id, 1)


def delivery_error(exc: BaseException, what: str) -> DeliveryError:
    """A Discord (or network) failure as the core's ``DeliveryError``."""
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"Discord asked to wait {exc.retry_after:.1f} s before {what}",
            retry_after=exc.retry_after,
        )
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            header = exc.response.headers.get("Retry-After") if exc.response else None
            try:
                retry_after = float(header) if header else 1.0
            except ValueError:
                retry_after = 1.0
            return DeliveryError(
                f"Discord rate-limited {what} ({exc.text})", retry_after=retry_after
            )
        permanent = exc.code == CANNOT_DM or exc.status in _PERMANENT_STATUSES
        return DeliveryError(
            f"Discord refused {what}: HTTP {exc.status}, code {exc.code} ({exc.text})",
            permanent=permanent,
        )
    return DeliveryError(f"could not reach Discord for {what}: {exc!r}")


class DmsClosed(DeliveryError):
    """The member does not accept DMs from this server's members (Discord code 50007)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


def message_arguments(message: OutgoingMessage) -> dict[str, Any]:
    """Keyword arguments for discord.py's ``send`` family, leaving out what is not there."""
    arguments: dict[str, Any] = {"content": message.content}
    if message.embed is not None:
        arguments["embed"] = message.embed
    if message.view is not None:
        arguments["view"] = message.view
    if message.files:
        arguments["files"] = message.files
    return arguments


async def send_messages(
    target: discord.abc.Messageable,
    messages: Sequence[OutgoingMessage],
    *,
    reference: discord.Message | None = None,
    delivery_key: str = "",
) -> None:
    """Send a rendered reply. With a ``delivery_key``, each message carries a nonce Discord
    enforces: sending it again within a few minutes returns the message already there."""
    for index, message in enumerate(messages):
        arguments = message_arguments(message)
        if reference is not None and index == 0:
            arguments.update(reference=reference, mention_author=False)
        if delivery_key:
            arguments["nonce"] = f"{delivery_key}.{index}"[:MAX_NONCE_LENGTH]
        await target.send(**arguments)


def fallback_channel(guild: discord.Guild, setting: str | None) -> discord.TextChannel | None:
    """The channel named by the ``fallback_channel`` setting in ``guild`` (an id or a name)."""
    if not setting:
        return None
    if setting.isdigit():
        channel = guild.get_channel(int(setting))
        return channel if isinstance(channel, discord.TextChannel) else None
    return discord.utils.get(guild.text_channels, name=setting.lstrip("#"))


class DiscordPort:
    """Delivers the core's DMs and posts through a discord.py client."""

    def __init__(
        self,
        client: discord.Client,
        records: DiscordRecords,
        *,
        roles: RoleRules,
        fallback: str | None,
    ) -> None:
        self._client = client
        self._records = records
        self._roles = roles
        self._fallback = fallback

    def component_ids(self, tenant: TenantRef, private_to: str | None) -> StoredComponentIds:
        return StoredComponentIds(self._records, tenant, private_to)

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        """A DM; when the member's DMs are closed, the fallback channel, mentioning them."""
        try:
            await self.send_private(tenant, user_id, reply)
        except DmsClosed as exc:
            await self._fall_back(tenant, user_id, reply, exc)

    async def send_private(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        """A DM and nothing else; a closed DM raises a permanent ``DeliveryError``."""
        messages = await render_reply(reply, self.component_ids(tenant, user_id))
        try:
            channel = await self._client.create_dm(discord.Object(id=int(user_id)))
            await send_messages(channel, messages, delivery_key=reply.delivery_key)
        except discord.HTTPException as exc:
            if exc.code == CANNOT_DM:
                raise DmsClosed(f"{user_id} does not accept direct messages") from exc
            raise delivery_error(exc, f"a DM to {user_id}") from exc
        except NETWORK_ERRORS as exc:
            raise delivery_error(exc, f"a DM to {user_id}") from exc

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        guild = self._guild(tenant)
        channel = _channel_in(guild, channel_id)
        if channel is None:
            raise DeliveryError(
                f"there is no channel {channel_id!r} in server {guild.id} that I can post in",
                permanent=True,
            )
        messages = await render_reply(reply, self.component_ids(tenant, None))
        try:
            await send_messages(channel, messages, delivery_key=reply.delivery_key)
        except NETWORK_ERRORS as exc:
            raise delivery_error(exc, f"a post in {channel_id}") from exc

    async def send_group_dm(self, tenant: TenantRef, user_ids: Sequence[str], reply: Reply) -> None:
        raise CapabilityUnavailable("Discord bots cannot open group DMs; each member gets a DM")

    async def lookup_member(self, tenant: TenantRef, name: str) -> Actor | None:
        guild = self._guild(tenant)
        member = guild.get_member_named(name)
        if member is not None:
            return actor(member, self._roles.role_of(member, member.guild_permissions))
        if not guild.chunked:
            raise CapabilityUnavailable(
                "without the server members intent I only know members who mention themselves"
            )
        return None

    async def find_delivery(
        self,
        tenant: TenantRef,
        *,
        key: str,
        since: datetime,
        user_id: str = "",
        channel_id: str = "",
    ) -> bool:
        raise CapabilityUnavailable(
            "Discord cannot be asked; sending again is safe for a few minutes (the nonce)"
        )

    def _guild(self, tenant: TenantRef) -> discord.Guild:
        guild = self._client.get_guild(int(tenant.external_id))
        if guild is None:
            raise DeliveryError(f"I'm not in server {tenant.external_id}", permanent=True)
        return guild

    async def _fall_back(
        self, tenant: TenantRef, user_id: str, reply: Reply, cause: DeliveryError
    ) -> None:
        guild = self._guild(tenant)
        channel = fallback_channel(guild, self._fallback)
        if channel is None:
            raise cause
        note = (
            f"{mention(user_id)} I couldn't send you a direct message (your DMs are closed), "
            "so here it is."
        )
        if reply.attachments:
            note += (
                " It came with a file, which I only send by direct message: allow direct "
                "messages from this server's members and ask again."
            )
        messages = await render_reply(
            reply, self.component_ids(tenant, user_id), include_files=False
        )
        first = messages[0]
        first.content = f"{note}\n{first.content}" if first.content else note
        try:
            await send_messages(channel, messages)
        except NETWORK_ERRORS as exc:
            raise delivery_error(exc, f"the fallback post for {user_id}") from exc
        _log.info("DMs to %s are closed; delivered in channel %s instead", user_id, channel.id)
        await self._records.record_dm_fallback(tenant, user_id, str(channel.id))


def _channel_in(guild: discord.Guild, channel_id: str) -> discord.abc.Messageable | None:
    """A channel or thread of ``guild`` by id, or a text channel by name (never another
    server's channel, whatever id a moderator typed)."""
    if channel_id.isdigit():
        found = guild.get_channel_or_thread(int(channel_id))
        return found if isinstance(found, discord.abc.Messageable) else None
    return discord.utils.get(guild.text_channels, name=channel_id.lstrip("#"))
