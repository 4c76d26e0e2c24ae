"""The side server operators point probes and Prometheus at (loopback by default).

``/healthz``: the process is up. ``/readyz``: every readiness check passes (the store is
reachable and its schema current, each adapter connected) — 503 with the reasons otherwise.
An adapter is expected from the start (``expect``) and is "starting", so not ready, until it
adds its own check once it has started; checks added while a probe runs wait for the next.
``/metrics``: Prometheus text format (gauges read from the store, such as the outbox's depth,
are refreshed on each scrape).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.runtime.metrics import Metrics
from bot.storage.errors import StartupError

_log = logging.getLogger(__name__)
CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckResult:
    ok: bool
    detail: str = ""


ReadinessCheck = tuple[str, Callable[[], Awaitable[CheckResult]]]
"""(name, check)."""


class HealthServer:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        metrics: Metrics,
        checks: Sequence[ReadinessCheck],
        refresh: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._metrics = metrics
        self._refresh = refresh
        self._checks: dict[str, Callable[[], Awaitable[CheckResult]]] = dict(checks)
        self._runner: web.AppRunner | None = None
        self.port = port

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics_page)
        return app

    def expect(self, name: str) -> None:
        """A readiness check that fails ("starting") until ``add_check`` replaces it."""

        async def starting() -> CheckResult:
            return CheckResult(ok=False, detail="starting")

        self._checks[name] = starting

    def add_check(self, name: str, check: Callable[[], Awaitable[CheckResult]]) -> None:
        """Add a readiness check, or replace one of that name (an adapter adds its own once
        it has started)."""
        self._checks[name] = check

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        try:
            await site.start()
        except OSError as exc:
            await self.stop()
            raise StartupError(
                f"Cannot listen on {self._host}:{self._port} for /healthz and /metrics "
                f"({exc.strerror}); change health_host or health_port."
            ) from None
        addresses = self._runner.addresses  # the real port when 0 was asked for
        if addresses:
            self.port = int(addresses[0][1])
        _log.info("health server listening on http://%s:%s", self._host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def readiness(self) -> dict[str, CheckResult]:
        async def run(check: Callable[[], Awaitable[CheckResult]]) -> CheckResult:
            try:
                return await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
            except TimeoutError:
                return CheckResult(ok=False, detail="timed out")
            except Exception as exc:
                return CheckResult(ok=False, detail=f"{type(exc).__name__}: {exc}")

        checks = list(self._checks.items())
        results = await asyncio.gather(*(run(check) for _, check in checks))
        return {name: result for (name, _), result in zip(checks, results, strict=True)}

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, request: web.Request) -> web.Response:
        results = await self.readiness()
        ready = all(r.ok for r in results.values())
        body = {
            "status": "ready" if ready else "not ready",
            "checks": {name: {"ok": r.ok, "detail": r.detail} for name, r in results.items()},
        }
        return web.json_response(body, status=200 if ready else 503)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        if self._refresh is not None:
            try:
                async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                    await self._refresh()
            except Exception:
                _log.warning("could not refresh the gauges for /metrics", exc_info=True)
        body = generate_latest(self._metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
