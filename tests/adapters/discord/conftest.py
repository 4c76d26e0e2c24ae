from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from tests.support.discord_bot import DiscordBot, discord_bot


@pytest.fixture
async def bot(app: App, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordBot]:
    """Staffroom on Discord (the real discord.py client against the fake), on each backend."""
    async with discord_bot(app, monkeypatch) as running:
        yield running
