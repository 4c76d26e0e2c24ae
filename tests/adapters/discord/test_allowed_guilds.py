"""``discord.allowed_guilds``: Staffroom serves the listed servers only, and leaves others."""

from __future__ import annotations

import logging

import pytest

from bot.app import App
from tests.adapters.discord.test_introductions import only
from tests.support.discord_bot import discord_bot


async def test_only_the_allowed_servers_are_served(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.adapters.discord.adapter")
    async with discord_bot(
        app, monkeypatch, settings=lambda world: {"allowed_guilds": [int(world.north.id)]}
    ) as bot:
        world = bot.world
        assert f"ignoring Discord server {world.south.id} ('Southside Teachers')" in caplog.text
        assert await bot.say(world.ana, "!sr help", guild=world.south) == []
        assert await bot.slash(world.ana, "help", guild=world.south) == []
        assert await bot.join(world.cal, world.south) == []
        assert only(await bot.say(world.ana, "!sr help"))
        # ana shares two servers with the bot, but only one that it serves.
        shown = only(await bot.dm(world.ana, "privacy show"))
        assert "What Staffroom stores about you in Northside Teachers" in shown.text

        stranger = bot.fake.add_guild("Stranger Things", owner=world.sam, channels=("general",))
        payload = bot.fake.guild_payload(stranger)
        del payload["unavailable"]  # how Discord announces a server that just added the bot
        await bot.fake.dispatch("GUILD_CREATE", payload, guild_id=stranger.id)
        await bot.settle()
        assert bot.fake.calls_to("DELETE", rf"^/users/@me/guilds/{stranger.id}$")
        assert stranger.id not in bot.fake.guilds
        assert (
            f"left Discord server {stranger.id} ('Stranger Things'): not in "
            "discord.allowed_guilds" in caplog.text
        )


async def test_without_a_list_every_server_is_served(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_bot(app, monkeypatch) as bot:
        world = bot.world
        assert only(await bot.say(world.ana, "!sr help", guild=world.south))
        stranger = bot.fake.add_guild("Stranger Things", owner=world.sam, channels=("general",))
        payload = bot.fake.guild_payload(stranger)
        del payload["unavailable"]
        await bot.fake.dispatch("GUILD_CREATE", payload, guild_id=stranger.id)
        await bot.settle()
        assert not bot.fake.calls_to("DELETE", r"^/users/@me/guilds/")
