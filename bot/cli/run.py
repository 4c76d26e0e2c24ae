"""``staffroom run [discord] [slack]``: serve chat platforms in one process until stopped."""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App
    from bot.settings import DiscordSettings, Settings

PLATFORMS = ("discord", "slack")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="serve Discord and/or Slack (see the README for their settings)",
        description="Connect to the chosen platforms and serve every community there until "
        "interrupted (Ctrl-C or SIGTERM).",
    )
    parser.add_argument(
        "platforms", nargs="+", choices=PLATFORMS, metavar="PLATFORM", help="discord, slack or both"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli import configure_logging
    from bot.settings import load_settings

    settings = load_settings()
    platforms = list(dict.fromkeys(args.platforms))
    # A missing token stops us with one sentence before anything opens.
    if "discord" in platforms:
        from bot.adapters.discord.adapter import discord_token

        discord_token(settings.discord)
    if "slack" in platforms:
        from bot.adapters.slack.setup import check_settings

        check_settings(settings.slack)
    configure_logging(settings.log_level)
    asyncio.run(serve(settings, platforms))
    return 0


async def serve(settings: Settings, platforms: list[str]) -> None:
    """Run every chosen adapter on one App; the first to fail (or a signal) stops them all."""
    from bot.app import start_app

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app = await start_app(settings)
    try:
        tasks = []
        if "discord" in platforms:
            tasks.append(asyncio.create_task(_serve_discord(app, settings.discord, stop)))
        if "slack" in platforms:
            from bot.adapters.slack.service import run_slack

            tasks.append(asyncio.create_task(run_slack(app, stop)))
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        stop.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
    finally:
        await app.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _serve_discord(app: App, settings: DiscordSettings, stop: asyncio.Event) -> None:
    from bot.adapters.discord.adapter import start_discord

    adapter = await start_discord(app, settings)
    stopping = asyncio.create_task(stop.wait())
    closed = asyncio.create_task(adapter.wait_closed())
    try:
        done, _ = await asyncio.wait({stopping, closed}, return_when=asyncio.FIRST_COMPLETED)
        if closed in done:
            closed.result()  # a refusal (bad token, missing intents) is a StartupError
    finally:
        stopping.cancel()
        await adapter.close()
        await asyncio.gather(closed, return_exceptions=True)
