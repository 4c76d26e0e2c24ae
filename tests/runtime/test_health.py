from __future__ import annotations

import sys

import aiohttp
import pytest

from bot.core.errors import StartupError
from bot.runtime.health import CheckResult, HealthServer
from bot.runtime.metrics import Metrics


async def _fine() -> CheckResult:
    return CheckResult(ok=True, detail="connected")


async def _broken() -> CheckResult:
    raise ConnectionError("refused")


async def test_health_ready_and_metrics() -> None:
    metrics = Metrics()
    metrics.events_handled.labels(platform="console", skill="help", outcome="ok").inc()
    checks = [("store", _fine), ("slack", _fine)]
    server = HealthServer(host="127.0.0.1", port=0, metrics=metrics, checks=checks)
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as response:
                assert response.status == 200
            async with http.get(f"{base}/readyz") as response:
                assert response.status == 200
                assert (await response.json())["checks"]["slack"] == {
                    "ok": True,
                    "detail": "connected",
                }
            async with http.get(f"{base}/metrics") as response:
                text = await response.text()
                assert response.headers["Content-Type"].startswith("text/plain")
                assert (
                    'staffroom_events_handled_total{outcome="ok",platform="console",skill="help"}'
                    " 1.0" in text
                )
                assert "python_gc_collections_total{generation=" in text
                assert "python_info{" in text
                if sys.platform == "linux":  # prometheus_client reads these from /proc
                    assert "process_resident_memory_bytes " in text
                    assert "process_open_fds " in text
    finally:
        await server.stop()


async def test_not_ready_says_why() -> None:
    server = HealthServer(
        host="127.0.0.1", port=0, metrics=Metrics(), checks=[("store", _fine), ("discord", _broken)]
    )
    await server.start()
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{server.port}/readyz") as response,
        ):
            assert response.status == 503
            body = await response.json()
            assert body["checks"]["discord"] == {"ok": False, "detail": "ConnectionError: refused"}
    finally:
        await server.stop()


async def test_a_port_in_use_stops_start_up_naming_the_setting() -> None:
    first = HealthServer(host="127.0.0.1", port=0, metrics=Metrics(), checks=[])
    await first.start()
    try:
        second = HealthServer(host="127.0.0.1", port=first.port, metrics=Metrics(), checks=[])
        with pytest.raises(StartupError, match="change health_host or health_port"):
            await second.start()
    finally:
        await first.stop()
