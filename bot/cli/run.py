"""``staffroom run discord``: run Staffroom on a chat platform until stopped."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="run Staffroom on a chat platform",
        description="Connect to the platform and serve every community there until stopped.",
    )
    parser.add_argument("platform", choices=["discord"], help="the chat platform")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.adapters.discord.adapter import discord_token
    from bot.cli import configure_logging
    from bot.settings import load_settings

    settings = load_settings()
    discord_token(settings.discord)  # a missing token stops us before anything opens
    configure_logging(settings.log_level)
    asyncio.run(run_discord(settings))
    return 0


async def run_discord(settings: Settings) -> None:
    """Open the store, connect to Discord and serve until the connection ends."""
    from bot.adapters.discord.adapter import start_discord
    from bot.app import start_app

    app = await start_app(settings)
    try:
        adapter = await start_discord(app, settings.discord)
        try:
            await adapter.wait_closed()
        finally:
            await adapter.close()
    finally:
        await app.close()
