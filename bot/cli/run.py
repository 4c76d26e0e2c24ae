"""``staffroom run [discord] [slack]``: serve chat platforms in one process until stopped.

One asyncio process runs the chosen adapters, the health and metrics server, the scheduler and
the outbox worker. SIGTERM (or Ctrl-C) stops taking new events, lets those under way finish
(``shutdown_grace_seconds``), leaves unsent work in the store for the next process, and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordAdapter
    from bot.adapters.slack.service import SlackService
    from bot.app import App
    from bot.runtime.health import CheckResult, HealthServer
    from bot.runtime.metrics import Metrics
    from bot.settings import Settings

PLATFORMS = ("discord", "slack")
_log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "run",
        help="serve Discord and/or Slack (their guides in the docs say what to set)",
        description="Connect to the chosen platforms and serve every community there until "
        "interrupted (Ctrl-C or SIGTERM).",
    )
    parser.add_argument(
        "platforms", nargs="+", choices=PLATFORMS, metavar="PLATFORM", help="discord, slack or both"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.runtime.logs import configure_logging
    from bot.settings import load_settings, secret_values

    settings = load_settings()
    platforms = list(dict.fromkeys(args.platforms))
    # A missing token stops us with one sentence before anything opens.
    if "discord" in platforms:
        from bot.adapters.discord.adapter import discord_token

        discord_token(settings.discord)
    if "slack" in platforms:
        from bot.adapters.slack.setup import check_settings

        check_settings(settings.slack)
    configure_logging(
        level=settings.log_level,
        json_lines=settings.log_format == "json",
        secrets=secret_values(settings),
    )
    asyncio.run(serve(settings, platforms))
    return 0


async def serve(
    settings: Settings,
    platforms: list[str],
    *,
    on_health: Callable[[HealthServer], None] | None = None,
) -> None:
    """Run every chosen adapter on one App; the first to fail (or a signal) stops them all.

    ``on_health`` is told about the health server once it listens (tests read its port).
    """
    from bot.app import start_app
    from bot.runtime.health import HealthServer
    from bot.runtime.metrics import Metrics

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app = await start_app(settings)
    metrics = Metrics()
    app.dispatcher.observers.append(metrics.observe)
    app.scheduler.outbox.metrics.observer = metrics.count_delivery
    app.rate_limit_observers.append(metrics.count_rate_limit_wait)
    app.signature_failure_observers.append(metrics.count_signature_failure)
    health = HealthServer(
        host=settings.health_host,
        port=settings.health_port,
        metrics=metrics,
        checks=[("store", lambda: _store_ready(app))],
        refresh=lambda: _refresh_gauges(app, metrics),
    )
    for platform in platforms:
        health.expect(platform)  # not ready until each adapter is up
    try:
        await health.start()
        if on_health is not None:
            on_health(health)
        await app.start_background()
        tasks = []
        if "discord" in platforms:
            tasks.append(asyncio.create_task(_serve_discord(app, stop, health)))
        if "slack" in platforms:
            tasks.append(asyncio.create_task(_serve_slack(app, stop, health)))
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        stop.set()
        _log.info("stopping: finishing the events and the scheduled work under way")
        # One grace period for everything: the adapters stop alongside the scheduler.
        deadline = loop.time() + settings.shutdown_grace_seconds
        await app.scheduler.stop(grace=settings.shutdown_grace_seconds)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        await app.dispatcher.drain(max(deadline - loop.time(), 0.0))
        for result in results:
            if isinstance(result, BaseException):
                raise result
    finally:
        await health.stop()
        await app.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        _log.info("stopped")


async def _refresh_gauges(app: App, metrics: Metrics) -> None:
    outbox = app.scheduler.outbox
    metrics.outbox_depth.set(await outbox.depth())
    metrics.outbox_oldest_age.set(await outbox.oldest_age_seconds())
    metrics.scheduler_lag.set(await app.scheduler.lag_seconds())


async def _store_ready(app: App) -> CheckResult:
    from bot.runtime.health import CheckResult
    from bot.storage.schema import is_current

    if await is_current(app.store, app.registry.migrations):
        return CheckResult(ok=True, detail="reachable, schema current")
    return CheckResult(ok=False, detail="schema not current: run `staffroom db upgrade`")


async def _serve_slack(app: App, stop: asyncio.Event, health: HealthServer) -> None:
    from bot.adapters.slack.service import run_slack
    from bot.runtime.health import CheckResult

    def started(service: SlackService) -> None:
        async def ready() -> CheckResult:
            if await service.connected():
                return CheckResult(ok=True, detail="connected")
            return CheckResult(ok=False, detail="not connected to Slack")

        health.add_check("slack", ready)

    await run_slack(app, stop, started=started)


async def _serve_discord(app: App, stop: asyncio.Event, health: HealthServer) -> None:
    from bot.adapters.discord.adapter import start_discord
    from bot.runtime.health import CheckResult

    adapter: DiscordAdapter = await start_discord(app, app.settings.discord)

    async def ready() -> CheckResult:
        if adapter.connected():
            return CheckResult(ok=True, detail="connected")
        return CheckResult(ok=False, detail="not connected to the Discord gateway")

    health.add_check("discord", ready)
    stopping = asyncio.create_task(stop.wait())
    closed = asyncio.create_task(adapter.wait_closed())
    try:
        done, _ = await asyncio.wait({stopping, closed}, return_when=asyncio.FIRST_COMPLETED)
        if closed in done:
            closed.result()  # a refusal (bad token, missing intents) is a StartupError
    finally:
        stopping.cancel()
        await adapter.close(grace=app.settings.shutdown_grace_seconds)
        await asyncio.gather(closed, return_exceptions=True)
