"""Driving the Discord adapter end to end: the real discord.py client against the loopback
fake of Discord (tests/fakes/discord_api.py), with a small world of servers and people."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket

from bot.adapters.discord.adapter import DiscordAdapter, start_discord
from bot.app import App
from bot.settings import DiscordSettings
from tests.fakes.discord_api import (
    TOKEN,
    FakeDiscord,
    FakeGuild,
    FakeUser,
    Sent,
    running_fake_discord,
)


@dataclass
class World:
    """Two servers: Northside (olga owns it, mo moderates; ana, bea and cal are members) and
    Southside (sam owns it; ana is a member of both)."""

    north: FakeGuild
    south: FakeGuild
    olga: FakeUser
    mo: FakeUser
    ana: FakeUser
    bea: FakeUser
    cal: FakeUser
    sam: FakeUser
    moderator_role: str


def build_world(fake: FakeDiscord) -> World:
    olga, mo, ana, bea, cal, sam = (
        fake.add_user(name) for name in ("olga", "mo", "ana", "bea", "cal", "sam")
    )
    north = fake.add_guild(
        "Northside Teachers",
        owner=olga,
        channels=("general", "introductions", "resources", "staffroom"),
    )
    moderator_role = fake.add_role(north)
    fake.add_member(north, mo, roles=[moderator_role])
    for user in (ana, bea, cal):
        fake.add_member(north, user)
    south = fake.add_guild("Southside Teachers", owner=sam, channels=("general", "resources"))
    fake.add_member(south, ana)
    return World(
        north=north,
        south=south,
        olga=olga,
        mo=mo,
        ana=ana,
        bea=bea,
        cal=cal,
        sam=sam,
        moderator_role=moderator_role,
    )


class DiscordBot:
    """The running adapter and the fake, with one method per thing a person can do; each
    returns what the bot sent in answer."""

    def __init__(self, fake: FakeDiscord, adapter: DiscordAdapter, world: World) -> None:
        self.fake = fake
        self.adapter = adapter
        self.world = world

    async def settle(self) -> None:
        """Wait until the client has read every event sent and handled them all."""
        await self.fake.settle()
        await self.adapter.tasks.drain()

    async def _push(
        self, event: str, payload: dict[str, Any], guild: FakeGuild | None
    ) -> list[Sent]:
        mark = len(self.fake.sent)
        await self.fake.dispatch(event, payload, guild_id=guild.id if guild else None)
        await self.settle()
        return self.fake.sent[mark:]

    def guild_of_channel(self, channel_id: str) -> FakeGuild | None:
        for guild in self.fake.guilds.values():
            if channel_id in guild.channels.values():
                return guild
        return None

    async def say(
        self,
        user: FakeUser,
        text: str,
        *,
        where: str = "general",
        guild: FakeGuild | None = None,
        files: tuple[tuple[str, bytes], ...] = (),
    ) -> list[Sent]:
        """Post ``text`` in channel ``where``, with ``files`` (name, content) attached."""
        guild = guild or self.world.north
        payload = self.fake.message_payload(guild, guild.channel(where), user, text)
        payload["attachments"] = [self.fake.attachment(name, data) for name, data in files]
        return await self._push("MESSAGE_CREATE", payload, guild)

    async def dm(self, user: FakeUser, text: str) -> list[Sent]:
        """Write to the bot in a direct message."""
        channel_id = self.fake.dm_channel_for(user.id)
        return await self._push(
            "MESSAGE_CREATE", self.fake.message_payload(None, channel_id, user, text), None
        )

    async def slash(
        self,
        user: FakeUser,
        command: str,
        /,
        *,
        guild: FakeGuild | None = None,
        where: str = "general",
        **options: str | int,
    ) -> list[Sent]:
        """Use a slash command (by Staffroom command name) in channel ``where``."""
        guild = guild or self.world.north
        data = self.command_data(command, options)
        payload = self.fake.interaction_payload(
            2, data, user=user, guild=guild, channel_id=guild.channel(where)
        )
        return await self._push("INTERACTION_CREATE", payload, guild)

    def command_data(self, command: str, options: Mapping[str, str | int]) -> dict[str, Any]:
        """An application command's ``data``, typed the way the registered tree says."""
        paths = {name: path for path, name in self.adapter.slash.commands.items()}
        path = paths[command]
        top = next(c for c in self.adapter.slash.payload if c["name"] == path[0])
        definition = (
            top if len(path) == 1 else next(o for o in top["options"] if o["name"] == path[1])
        )
        types = {o["name"]: o["type"] for o in definition.get("options", [])}
        values = [
            {"name": name, "type": types[name], "value": value} for name, value in options.items()
        ]
        data: dict[str, Any] = {"id": "1", "name": path[0], "type": 1}
        if len(path) == 1:
            data["options"] = values
        else:
            data["options"] = [{"name": path[1], "type": 1, "options": values}]
        return data

    async def click(self, user: FakeUser, sent: Sent, label: str) -> list[Sent]:
        button = sent.button(label)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._component(user, sent, data)

    async def press(
        self, user: FakeUser, custom_id: str, *, guild: FakeGuild | None, where: str = "general"
    ) -> list[Sent]:
        """Send a button interaction with any custom id (in a DM when ``guild`` is None)."""
        channel_id = guild.channel(where) if guild else self.fake.dm_channel_for(user.id)
        payload = self.fake.interaction_payload(
            3,
            {"custom_id": custom_id, "component_type": 2},
            user=user,
            guild=guild,
            channel_id=channel_id,
        )
        return await self._push("INTERACTION_CREATE", payload, guild)

    async def choose(self, user: FakeUser, sent: Sent, value: str) -> list[Sent]:
        select = sent.select()
        data = {"custom_id": select["custom_id"], "component_type": 3, "values": [value]}
        return await self._component(user, sent, data)

    async def _component(self, user: FakeUser, sent: Sent, data: dict[str, Any]) -> list[Sent]:
        guild = self.guild_of_channel(sent.channel_id)
        payload = self.fake.interaction_payload(
            3, data, user=user, guild=guild, channel_id=sent.channel_id, message=sent
        )
        return await self._push("INTERACTION_CREATE", payload, guild)

    async def submit(
        self, user: FakeUser, modal: Sent, values: Mapping[str, str] | None = None
    ) -> list[Sent]:
        """Submit a modal the bot opened, with ``values`` typed over what it showed."""
        assert modal.is_modal, modal
        values = values or {}
        rows = [
            {
                "type": 1,
                "components": [
                    {
                        "type": 4,
                        "custom_id": text["custom_id"],
                        "value": values.get(text["custom_id"], text.get("value") or ""),
                    }
                ],
            }
            for text in modal.components()
        ]
        unknown = set(values) - {t["custom_id"] for t in modal.components()}
        assert not unknown, f"the modal has no inputs {unknown}"
        guild = self.guild_of_channel(modal.channel_id)
        payload = self.fake.interaction_payload(
            5,
            {"custom_id": modal.body["custom_id"], "components": rows},
            user=user,
            guild=guild,
            channel_id=modal.channel_id,
        )
        return await self._push("INTERACTION_CREATE", payload, guild)

    async def join(self, user: FakeUser, guild: FakeGuild | None = None) -> list[Sent]:
        guild = guild or self.world.north
        self.fake.add_member(guild, user)
        payload = {**self.fake.member_payload(guild, user), "guild_id": guild.id}
        return await self._push("GUILD_MEMBER_ADD", payload, guild)

    async def leave(self, user: FakeUser, guild: FakeGuild | None = None) -> list[Sent]:
        guild = guild or self.world.north
        guild.members.pop(user.id, None)
        payload = {"guild_id": guild.id, "user": user.payload()}
        return await self._push("GUILD_MEMBER_REMOVE", payload, guild)


def point_discord_py_at(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py reads its REST base and gateway URL from class attributes; tests set them
    for the duration of one test (Staffroom's own code never changes them)."""
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))


def bot_settings(world: World, **overrides: Any) -> DiscordSettings:
    values: dict[str, Any] = {
        "token": TOKEN,
        "moderator_role_id": int(world.moderator_role),
        "fallback_channel": "staffroom",
        **overrides,
    }
    return DiscordSettings(**values)


@asynccontextmanager
async def discord_bot(
    app: App,
    monkeypatch: pytest.MonkeyPatch,
    *,
    shard_count: int = 1,
    settings: Mapping[str, Any] | Callable[[World], Mapping[str, Any]] | None = None,
    prepare: Any = None,
    **adapter_options: Any,
) -> AsyncIterator[DiscordBot]:
    """The adapter running on ``app`` against a fresh fake holding ``build_world``;
    ``prepare(fake)`` may change the fake before the bot connects."""
    async with running_fake_discord(shard_count=shard_count) as fake:
        world = build_world(fake)
        if prepare is not None:
            prepare(fake)
        point_discord_py_at(fake, monkeypatch)
        adapter = await start_discord(
            app,
            bot_settings(world, **(settings(world) if callable(settings) else settings or {})),
            client_options={"guild_ready_timeout": 0.05},
            **adapter_options,
        )
        try:
            await adapter.wait_until_ready()
            yield DiscordBot(fake, adapter, world)
        finally:
            await adapter.close()
