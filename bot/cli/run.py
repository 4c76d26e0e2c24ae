"""``staffroom run slack``: connect Staffroom to a chat platform and serve it until stopped."""

from __future__ import annotations

import argparse
import asyncio
import signal

PLATFORMS = ("slack",)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="connect Staffroom to a chat platform (see the README for its settings)",
        description="Serve a chat platform until interrupted (Ctrl-C or SIGTERM).",
    )
    parser.add_argument("platform", choices=PLATFORMS, help="where to run")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the platform libraries load only when a platform runs.
    from bot.adapters.slack.service import run_slack
    from bot.adapters.slack.setup import check_settings
    from bot.app import start_app
    from bot.cli import configure_logging
    from bot.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    check_settings(settings.slack)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        app = await start_app(settings)
        try:
            await run_slack(app, stop)
        finally:
            await app.close()

    asyncio.run(main())
    return 0
