from __future__ import annotations

import asyncio
import os
import signal
import sys

import aiohttp
import pytest

from bot.cli.run import serve
from bot.runtime.health import CheckResult, HealthServer
from bot.runtime.metrics import Metrics
from bot.settings import Settings, SlackSettings
from bot.storage.errors import StartupError
from tests.adapters.slack.harness import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlack


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


async def test_a_check_added_while_a_probe_runs_waits_for_the_next_probe() -> None:
    running, release = asyncio.Event(), asyncio.Event()

    async def slow_store() -> CheckResult:
        running.set()
        await release.wait()
        return CheckResult(ok=True)

    server = HealthServer(host="127.0.0.1", port=0, metrics=Metrics(), checks=[])
    server.add_check("store", slow_store)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            probe = asyncio.create_task(http.get(f"http://127.0.0.1:{server.port}/readyz"))
            await running.wait()
            server.add_check("slack", _fine)  # an adapter that has just started
            release.set()
            async with await probe as response:
                assert response.status == 200
                assert list((await response.json())["checks"]) == ["store"]
    finally:
        await server.stop()


async def test_slack_is_not_ready_until_its_server_listens(
    settings: Settings, fake: FakeSlack
) -> None:
    configured = settings.model_copy(
        update={
            "health_port": 0,
            "slack": SlackSettings(
                mode="http",
                bot_token=fake.token_of("T1"),
                signing_secret=SIGNING_SECRET,
                api_base_url=fake.api_url,
                http_host="127.0.0.1",
                http_port=0,
            ),
        }
    )
    who_am_i = fake.hold("auth.test")  # start-up asks before it listens
    servers: list[HealthServer] = []
    running = asyncio.create_task(serve(configured, ["slack"], on_health=servers.append))
    try:
        await fake.wait_for(lambda f: bool(f.calls_to("auth.test")))
        (health,) = servers
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{health.port}/readyz") as response,
        ):
            assert response.status == 503
            assert (await response.json())["checks"]["slack"] == {"ok": False, "detail": "starting"}
        who_am_i.set()
        async with asyncio.timeout(10):
            while not (await health.readiness())["slack"].ok:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        who_am_i.set()
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(running, 10)
