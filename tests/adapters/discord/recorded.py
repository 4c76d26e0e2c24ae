"""Recorded gateway payloads (shaped as Discord documents them) turned into the discord.py
objects the adapter receives, without a connection."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from bot.adapters.discord.client import staffroom_intents

PAYLOADS = Path(__file__).parent / "payloads"
BOT_USER_ID = 1167035512131321948
MODERATOR_ROLE_ID = 1167040071135066142
COORDINATOR_ROLE_ID = 1167040162730213406


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


@dataclass
class Recorded:
    """A discord.py connection state holding the recorded server."""

    client: discord.Client
    guild: discord.Guild

    @property
    def state(self) -> Any:
        return self.client._connection

    def message(self, name: str) -> discord.Message:
        data = payload(name)
        channel: Any
        if "guild_id" in data:
            channel = self.guild.get_channel(int(data["channel_id"]))
        else:
            channel = discord.DMChannel._from_message(self.state, int(data["channel_id"]))
        return discord.Message(state=self.state, channel=channel, data=data)  # type: ignore[arg-type]

    def interaction(self, name: str) -> discord.Interaction[Any]:
        return discord.Interaction(data=payload(name), state=self.state)  # type: ignore[arg-type]

    def member(self, name: str) -> discord.Member:
        return discord.Member(data=payload(name), guild=self.guild, state=self.state)  # type: ignore[arg-type]


def recorded_server() -> Recorded:
    client = discord.Client(intents=staffroom_intents())
    state = client._connection
    guild_data = payload("guild_create")
    bot = next(m["user"] for m in guild_data["members"] if m["user"].get("bot"))
    state.user = discord.ClientUser(state=state, data=bot)
    guild = discord.Guild(data=guild_data, state=state)
    state._add_guild(guild)
    return Recorded(client=client, guild=guild)
