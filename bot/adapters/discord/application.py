"""The Discord application: sending the slash commands (``staffroom discord sync``) only
when they changed, and the invite URL (``staffroom discord invite``).

Discord allows 200 command creations per server a day, so the tree's hash is kept in the
store per application and scope (one test server, or global) and compared first.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.adapters.discord.adapter import discord_token, login
from bot.adapters.discord.persistence import DiscordRecords
from bot.adapters.discord.port import NETWORK_ERRORS
from bot.adapters.discord.slash import SlashCommands
from bot.app import App
from bot.settings import DiscordSettings
from bot.storage.errors import StartupError

BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    attach_files=True,
    read_message_history=True,
    add_reactions=True,
)
"""What the bot needs in a server (docs/install-discord.md says why)."""


REST_ONLY = discord.Intents(guilds=True)
"""For a client that only logs in and calls the REST API (no gateway connection)."""


def invite_url(application_id: int) -> str:
    """The link a server owner opens to add Staffroom, with its slash commands."""
    return discord.utils.oauth_url(
        application_id, permissions=BOT_PERMISSIONS, scopes=("bot", "applications.commands")
    )


async def application_id(settings: DiscordSettings) -> int:
    """The application id: from the settings, or read from Discord with the token."""
    if settings.application_id is not None:
        return settings.application_id
    client = discord.Client(intents=REST_ONLY)
    try:
        await login(client, discord_token(settings))
        assert client.application_id is not None  # read at login
        return client.application_id
    finally:
        await client.close()


@dataclass(frozen=True, kw_only=True, slots=True)
class SyncOutcome:
    scope: str
    """``global`` or the server id."""
    commands: int
    sent: bool


async def sync_commands(
    app: App, settings: DiscordSettings, *, everywhere: bool = False, force: bool = False
) -> SyncOutcome:
    """Register the command tree in the test server (or everywhere), unless unchanged."""
    slash = SlashCommands.from_registry(app.registry)
    records = DiscordRecords(app.store, app.clock)
    guild_id = None if everywhere else settings.test_guild_id
    scope = str(guild_id) if guild_id else "global"
    client = discord.Client(intents=REST_ONLY)
    try:
        await login(client, discord_token(settings))
        application_id = client.application_id
        assert application_id is not None  # read at login
        tree = slash.tree_hash()
        if not force and await records.synced_tree(str(application_id), scope) == tree:
            return SyncOutcome(scope=scope, commands=len(slash.payload), sent=False)
        try:
            if guild_id:
                await client.http.bulk_upsert_guild_commands(
                    application_id, guild_id, slash.payload
                )
            else:
                await client.http.bulk_upsert_global_commands(application_id, slash.payload)
        except NETWORK_ERRORS as exc:
            raise StartupError(f"Discord did not accept the slash commands: {exc}") from exc
        await records.record_sync(str(application_id), scope, tree)
        return SyncOutcome(scope=scope, commands=len(slash.payload), sent=True)
    finally:
        await client.close()
