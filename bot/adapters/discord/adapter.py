"""The Discord adapter, wired: a discord.py client, the port, and the event handlers.

``start_discord(app, settings)`` logs in, drops the privileged intents Discord has not
granted (saying what that disables), attaches the port to the dispatcher and starts the
gateway connection; ``wait_closed`` returns when the connection ends, and ``close`` stops it
after the events in flight are handled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import discord

from bot.adapters.discord.client import (
    INTENTS_REFUSED,
    EventRoute,
    ShardedStaffroomClient,
    StaffroomClient,
    TaskSet,
    missing_intents,
    staffroom_intents,
)
from bot.adapters.discord.files import read_attachments
from bot.adapters.discord.inbound import (
    PLATFORM,
    RoleRules,
    TextCommandRules,
    member_joined_event,
    member_left_event,
    message_event,
    tenant_ref,
)
from bot.adapters.discord.interactions import DEFAULT_ACK_BUDGET, InteractionHandler
from bot.adapters.discord.persistence import DiscordRecords
from bot.adapters.discord.port import NETWORK_ERRORS, DiscordPort, send_messages
from bot.adapters.discord.render import render_reply
from bot.adapters.discord.slash import SlashCommands
from bot.app import App
from bot.core.errors import DeliveryError
from bot.core.events import Event
from bot.core.replies import Reply
from bot.settings import DiscordSettings
from bot.storage.errors import SettingsError, StartupError

_log = logging.getLogger(__name__)

ALLOWED_MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True)
"""Mentions of members notify them; text members wrote can never ping @everyone or a role."""
SENT_BY_DM = "📬"
NO_SERVER_IN_DM = (
    "I help inside a server we share: use `/help` there. (I can't tell which server this "
    "direct message is about.)"
)


def discord_token(settings: DiscordSettings) -> str:
    """The bot token; its absence stops start-up with one sentence naming the setting."""
    if settings.token is None or not settings.token.get_secret_value().strip():
        raise SettingsError(
            "Setting discord.token is required to run on Discord: set it in staffroom.toml "
            '([discord] token = "…") or as STAFFROOM_DISCORD__TOKEN.'
        )
    return settings.token.get_secret_value().strip()


TOKEN_REJECTED = (
    "Discord rejected the bot token in setting discord.token (STAFFROOM_DISCORD__TOKEN); copy "
    "it again from the Developer Portal (Bot → Reset Token)."
)
GATEWAY_REFUSALS = {
    4004: TOKEN_REJECTED,
    4010: "Discord closed the connection with code 4010 (invalid shard): set discord.shard_ids "
    "to shard numbers from 0 to discord.shard_count - 1, or leave both unset.",
    4011: "Discord closed the connection with code 4011 (sharding required): the bot is in too "
    'many servers for one connection; set discord.shard_count = "auto" and start again.',
    4012: "Discord closed the connection with code 4012 (invalid API version): this Staffroom's "
    "discord.py speaks a gateway version Discord no longer accepts; upgrade Staffroom.",
    4013: "Discord closed the connection with code 4013 (invalid intents): Staffroom sent an "
    "intents value Discord does not know; upgrade Staffroom, or report it if you run the latest.",
}
"""What to do about each gateway close code that discord.py does not reconnect after."""


async def login(client: discord.Client, token: str) -> None:
    try:
        await client.login(token)
    except discord.LoginFailure:
        await client.close()
        raise StartupError(TOKEN_REJECTED) from None


class DiscordAdapter:
    """One Discord bot connection serving every server (tenant) it is in."""

    def __init__(
        self,
        app: App,
        settings: DiscordSettings,
        *,
        ack_budget: float = DEFAULT_ACK_BUDGET,
        client_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.records = DiscordRecords(app.store, app.clock)
        self.slash = SlashCommands.from_registry(app.registry)
        self.roles = RoleRules(moderator_role_id=settings.moderator_role_id)
        self.tasks = TaskSet()
        self._ack_budget = ack_budget
        self._client_options = dict(client_options or {})
        self._client: StaffroomClient | None = None
        self._port: DiscordPort | None = None
        self._interactions: InteractionHandler | None = None
        self._connection: asyncio.Task[None] | None = None

    @property
    def client(self) -> StaffroomClient:
        if self._client is None:
            raise RuntimeError("the Discord adapter has not started")
        return self._client

    @property
    def port(self) -> DiscordPort:
        if self._port is None:
            raise RuntimeError("the Discord adapter has not started")
        return self._port

    async def start(self) -> None:
        """Log in, settle the intents, attach the port and start connecting to the gateway."""
        token = discord_token(self.settings)
        client = self._build_client(staffroom_intents())
        await login(client, token)
        missing = missing_intents(client.application_flags)
        if missing:
            for intent in missing:
                _log.warning("%s", intent.warning())
            await client.close()
            client = self._build_client(staffroom_intents(without=missing))
            await login(client, token)
        self._client = client
        self._port = DiscordPort(
            client, self.records, roles=self.roles, fallback=self.settings.fallback_channel
        )
        self._interactions = InteractionHandler(
            client=client,
            dispatcher=self.app.dispatcher,
            records=self.records,
            port=self._port,
            slash=self.slash,
            roles=self.roles,
            ack_budget=self._ack_budget,
        )
        self.app.dispatcher.attach(PLATFORM, self._port)
        await self.records.prune()
        await self._warn_if_commands_changed(client)
        self._connection = asyncio.create_task(client.connect(reconnect=True))

    async def wait_until_ready(self) -> None:
        """Wait until every server has arrived (or the connection failed)."""
        connection = self._require_connection()
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        await asyncio.wait({ready, connection}, return_when=asyncio.FIRST_COMPLETED)
        if connection.done():
            ready.cancel()
            await self.wait_closed()

    async def wait_closed(self) -> None:
        """Return when the gateway connection ends; a refusal becomes a ``StartupError``."""
        try:
            await self._require_connection()
        except discord.PrivilegedIntentsRequired:
            raise StartupError(INTENTS_REFUSED) from None
        except discord.ConnectionClosed as exc:
            reason = f" ({exc.reason})" if exc.reason else ""
            raise StartupError(
                GATEWAY_REFUSALS.get(
                    exc.code, f"Discord closed the gateway connection with code {exc.code}{reason}."
                )
            ) from None

    def connected(self) -> bool:
        """Whether the gateway session is up (for ``/readyz``)."""
        client = self._client
        return client is not None and client.is_ready() and not client.is_closed()

    async def close(self, *, grace: float | None = None) -> None:
        """Finish the events in flight (up to ``grace`` s when given), then disconnect."""
        try:
            async with asyncio.timeout(grace):
                await self.tasks.drain()
        except TimeoutError:
            _log.warning("closed Discord with event handlers still running after %.0f s", grace)
        if self._client is not None:
            await self._client.close()
        if self._connection is not None:
            await asyncio.gather(self._connection, return_exceptions=True)

    def _require_connection(self) -> asyncio.Task[None]:
        if self._connection is None:
            raise RuntimeError("the Discord adapter has not started")
        return self._connection

    def _build_client(self, intents: discord.Intents) -> StaffroomClient:
        routes: dict[str, EventRoute] = {
            "ready": self._on_ready,
            "guild_join": self._on_guild_join,
            "message": self._on_message,
            "interaction": self._on_interaction,
            "member_join": self._on_member_join,
            "raw_member_remove": self._on_member_remove,
            "guild_available": self._on_guild_available,
            "guild_remove": self._on_guild_remove,
        }
        options: dict[str, Any] = {
            "intents": intents,
            "allowed_mentions": ALLOWED_MENTIONS,
            "max_ratelimit_timeout": 30.0,
            **self._client_options,
        }
        shards = self.settings.shard_count
        if shards is None:
            return StaffroomClient(routes=routes, tasks=self.tasks, **options)
        return ShardedStaffroomClient(
            routes=routes,
            tasks=self.tasks,
            shard_count=None if shards == "auto" else shards,
            shard_ids=self.settings.shard_ids,
            **options,
        )

    async def _warn_if_commands_changed(self, client: discord.Client) -> None:
        scope = str(self.settings.test_guild_id or "global")
        synced = await self.records.synced_tree(str(client.application_id), scope)
        if synced != self.slash.tree_hash():
            _log.warning(
                "The slash commands have changed since they were last sent to Discord (%s); "
                "run `staffroom discord sync` to update them.",
                scope,
            )

    # --- events -----------------------------------------------------------------------------

    def serves(self, guild_id: int | None) -> bool:
        """Whether events from this server are ours (``discord.allowed_guilds``; DMs are)."""
        allowed = self.settings.allowed_guilds
        return guild_id is None or not allowed or guild_id in allowed

    async def _on_ready(self) -> None:
        for guild in self.client.guilds:
            if not self.serves(guild.id):
                _log.warning(
                    "ignoring Discord server %s (%r): not in discord.allowed_guilds",
                    guild.id,
                    guild.name,
                )
        await self._notice_departures()

    async def _on_guild_join(self, guild: discord.Guild) -> None:
        if self.serves(guild.id):
            await self.app.installation_changed(tenant_ref(guild), installed=True)
            return
        _log.warning(
            "left Discord server %s (%r): not in discord.allowed_guilds", guild.id, guild.name
        )
        try:
            await guild.leave()
        except NETWORK_ERRORS as exc:
            _log.warning("could not leave Discord server %s: %r", guild.id, exc)

    async def _on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        assert self._interactions is not None
        if self.serves(interaction.guild_id):
            await self._interactions.handle(interaction)

    async def _on_message(self, message: discord.Message) -> None:
        client = self.client
        if message.author.bot or client.user is None:
            return
        if message.guild is not None and not self.serves(message.guild.id):
            return
        dm_guild = None
        if message.guild is None:
            shared = [g for g in message.author.mutual_guilds if self.serves(g.id)]
            if len(shared) != 1:
                await self._say(message.channel, NO_SERVER_IN_DM)
                return
            dm_guild = shared[0]
        rules = TextCommandRules(bot_user_id=client.user.id, prefix=self.settings.command_prefix)
        event = message_event(message, text_rules=rules, roles=self.roles, dm_guild=dm_guild)
        if event is None:
            return
        if event.addressed and message.attachments:
            event = replace(event, files=await read_attachments(message.attachments))
        for reply in await self.app.dispatcher.handle(event):
            await self._answer_message(message, event, reply)

    async def _answer_message(self, message: discord.Message, event: Event, reply: Reply) -> None:
        """Public replies answer in the channel; private ones go by DM (a message can't be
        ephemeral), with a 📬 on the command, or a note when the member's DMs are closed."""
        port = self.port
        user_id = event.actor.user_id
        if reply.private and message.guild is not None:
            try:
                await port.send_private(event.tenant, user_id, reply)
            except DeliveryError as exc:
                _log.info("could not DM a private reply to %s: %s", user_id, exc)
                if event.addressed:
                    await self._say(
                        message.channel,
                        f"<@{user_id}> I have a private answer for you, but I can't send you "
                        "direct messages. Allow direct messages from this server's members, or "
                        "use the slash command (`/help` lists them) to see it here, privately.",
                    )
                return
            if event.addressed:
                await self._react(message, SENT_BY_DM)
            return
        private_to = user_id if message.guild is None else None
        messages = await render_reply(reply, port.component_ids(event.tenant, private_to))
        try:
            await send_messages(message.channel, messages, reference=message)
        except NETWORK_ERRORS as exc:
            _log.warning("could not answer message %s: %r", message.id, exc)

    async def _on_member_join(self, member: discord.Member) -> None:
        if member.bot or not self.serves(member.guild.id):
            return
        await self.app.dispatcher.handle(member_joined_event(member, roles=self.roles))

    async def _notice_departures(self) -> None:
        """Servers that removed the bot while Staffroom was down are missing from READY."""
        client = self.client
        count = client.shard_count
        shard_ids = getattr(client, "shard_ids", None)

        def served(guild_id: str) -> bool:
            if not count or not shard_ids:
                return True
            return (int(guild_id) >> 22) % count in shard_ids

        present = {str(guild.id) for guild in client.guilds}
        await self.app.notice_departures(PLATFORM, present=present, served=served)

    async def _on_guild_available(self, guild: discord.Guild) -> None:
        """A server that added the bot back while Staffroom was down."""
        if self.serves(guild.id):
            await self.app.installation_changed(tenant_ref(guild), installed=True)

    async def _on_guild_remove(self, guild: discord.Guild) -> None:
        await self.app.installation_changed(tenant_ref(guild), installed=False)

    async def _on_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        guild = self.client.get_guild(payload.guild_id)
        if guild is None or payload.user.bot or not self.serves(guild.id):
            return
        event = member_left_event(guild, payload.user, now=self.app.clock.now())
        await self.app.dispatcher.handle(event)

    async def _say(self, channel: discord.abc.Messageable, text: str) -> None:
        try:
            await channel.send(text)
        except NETWORK_ERRORS as exc:
            _log.warning("could not post a note: %r", exc)

    async def _react(self, message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except NETWORK_ERRORS as exc:
            _log.info("could not react to message %s: %r", message.id, exc)


async def start_discord(app: App, settings: DiscordSettings, **options: Any) -> DiscordAdapter:
    """Start the Discord adapter on ``app`` (several adapters can share one ``App``)."""
    adapter = DiscordAdapter(app, settings, **options)
    try:
        await adapter.start()
    except BaseException:
        await adapter.close()
        raise
    return adapter
