"""Running the Slack adapter: the HTTP server (bolt's aiohttp adapter) and/or Socket Mode.

``run_slack(app, stop)`` is the whole of ``staffroom run slack``: it starts, waits for
``stop``, and shuts down after letting work in progress finish. Several adapters can run side
by side in one process by awaiting their ``run_*`` functions together.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.adapters.slack.bolt_app import SlackAdapter, create_adapter
from bot.adapters.slack.inbound import PLATFORM
from bot.adapters.slack.setup import EVENTS_PATH, HEALTH_PATH
from bot.adapters.slack.verification import RequestVerifier
from bot.app import App
from bot.storage.errors import StartupError

_log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0


def web_application(adapter: SlackAdapter) -> web.Application:
    """Slack's request URL (HTTP mode), the OAuth install pages (many workspaces), a probe."""
    bolt = adapter.bolt
    application = web.Application()
    secret = adapter.core.settings.slack.signing_secret
    if adapter.plan.mode == "http" and secret is not None:
        verifier = RequestVerifier(
            secret.get_secret_value(),
            on_rejected=lambda: adapter.core.notify_signature_failure(PLATFORM),
        )

        async def events(request: web.Request) -> web.Response:
            if not verifier.verify(await request.read(), request.headers):
                return web.json_response({"error": "invalid request"}, status=401)
            bolt_request = await to_bolt_request(request)
            return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

        application.router.add_post(EVENTS_PATH, events)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    flow = bolt.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request))
            )

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request))
            )

        application.router.add_get(flow.install_path, install)
        application.router.add_get(flow.redirect_uri_path, redirect)
    application.router.add_get(HEALTH_PATH, health)
    return application


class SlackService:
    """The adapter with its connections: started, then stopped once."""

    def __init__(self, adapter: SlackAdapter) -> None:
        self.adapter = adapter
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None

    @property
    def http_port(self) -> int | None:
        """The port the HTTP server listens on (useful when the setting asked for port 0)."""
        if self._runner is None or not self._runner.addresses:
            return None
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        slack = self.adapter.core.settings.slack
        if self.adapter.plan.serves_http:
            self._runner = web.AppRunner(web_application(self.adapter))
            await self._runner.setup()
            try:
                await web.TCPSite(self._runner, slack.http_host, slack.http_port).start()
            except OSError as exc:
                raise StartupError(
                    f"Cannot listen on {slack.http_host}:{slack.http_port} ({exc.strerror}); "
                    "change slack.http_host or slack.http_port."
                ) from None
            _log.info("Slack HTTP endpoints listening on %s:%s", slack.http_host, self.http_port)
        if self.adapter.plan.mode == "socket":
            assert slack.app_token is not None
            self._socket = AsyncSocketModeHandler(
                self.adapter.bolt,
                app_token=slack.app_token.get_secret_value(),
                web_client=self.adapter.client,
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            _log.info("connected to Slack in Socket Mode")

    async def connected(self) -> bool:
        """Whether Slack can reach us (for ``/readyz``): the socket is open or the server up."""
        if self._socket is not None:
            return bool(await self._socket.client.is_connected())
        return self._runner is not None

    async def stop(self, *, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop taking new events, let the ones under way finish (up to ``grace`` s), close."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            await self._runner.cleanup()
        work = self.adapter.work
        try:
            await asyncio.wait_for(work.wait_until(lambda w: w.running == 0), grace)
        except TimeoutError:
            _log.warning("stopped with %d Slack events still being handled", work.running)


async def start_slack(app: App, session: aiohttp.ClientSession) -> SlackService:
    service = SlackService(await create_adapter(app, session))
    try:
        await service.start()
    except BaseException:
        await service.stop(grace=0)
        raise
    return service


async def run_slack(
    app: App,
    stop: asyncio.Event,
    *,
    started: Callable[[SlackService], None] | None = None,
) -> None:
    """Serve Slack until ``stop`` is set; ``started`` is told once the service is up."""
    async with aiohttp.ClientSession() as session:
        service = await start_slack(app, session)
        try:
            if started is not None:
                started(service)
            await stop.wait()
        finally:
            await service.stop(grace=app.settings.shutdown_grace_seconds)
