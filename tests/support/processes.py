"""Real ``staffroom run`` processes for tests: started with an environment, read line by line."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack.harness import SIGNING_SECRET
from tests.fakes.slack_api import FakeSlack

Json = dict[str, Any]
WAIT_SECONDS = 30


def slack_environment(fake: FakeSlack, **extra: str) -> dict[str, str]:
    """A clean environment for ``staffroom run slack`` in HTTP mode against the fake, with
    JSON logs and the health server on a free port."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    environment |= {
        "STAFFROOM_SLACK__MODE": "http",
        "STAFFROOM_SLACK__BOT_TOKEN": fake.token_of("T1"),
        "STAFFROOM_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "STAFFROOM_SLACK__API_BASE_URL": fake.api_url,
        "STAFFROOM_SLACK__HTTP_HOST": "127.0.0.1",
        "STAFFROOM_SLACK__HTTP_PORT": "0",
        "STAFFROOM_HEALTH_PORT": "0",
        "STAFFROOM_LOG_FORMAT": "json",
    }
    return environment | extra


class StaffroomProcess:
    """One ``python -m bot run …`` child; its JSON log lines are kept in ``records``."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.records: list[Json] = []
        self.raw: list[str] = []
        self.slack_port: int | None = None
        self.health_port: int | None = None
        self._reader = asyncio.create_task(self._read())
        self._changed = asyncio.Event()

    @classmethod
    async def start(
        cls, *platforms: str, environment: dict[str, str], cwd: Path
    ) -> StaffroomProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *platforms,
            cwd=cwd,
            env=environment,
            stderr=asyncio.subprocess.PIPE,
        )
        started = cls(process)
        await started.wait_for(lambda p: p.slack_port is not None and p.health_port is not None)
        return started

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw_line in self.process.stderr:
            line = raw_line.decode()
            self.raw.append(line)
            try:
                record = json.loads(line)
            except ValueError:
                continue  # not a log record (the JSON format puts tracebacks inside one)
            self.records.append(record)
            if record.get("message", "").startswith("Slack HTTP endpoints listening"):
                self.slack_port = int(record["message"].rsplit(":", 1)[1])
            elif record.get("message", "").startswith("health server listening"):
                self.health_port = int(record["message"].rsplit(":", 1)[1])
            self._changed.set()
        self._changed.set()

    async def wait_for(self, condition: Callable[[StaffroomProcess], bool]) -> None:
        async with asyncio.timeout(WAIT_SECONDS):
            while not condition(self):
                if self._reader.done():
                    raise AssertionError("staffroom stopped:\n" + "".join(self.raw[-30:]))
                self._changed.clear()
                await self._changed.wait()

    def handled(self) -> list[Json]:
        return [r for r in self.records if r.get("message") == "event handled"]

    async def get(self, path: str) -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{self.health_port}{path}") as response,
        ):
            return response.status, await response.text()

    async def post_event(
        self, body: Json, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
    ) -> int:
        """POST a Slack event, signed as Slack signs it (with ``secret``), to this process."""
        text = json.dumps(body)
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(
                timestamp=stamp, body=text
            ),
        }
        return await self.post_raw(text.encode(), headers)

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body`` with exactly ``headers`` to this process's Slack request URL."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"http://127.0.0.1:{self.slack_port}/slack/events", data=body, headers=headers
            ) as response,
        ):
            return response.status

    async def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signum)
        async with asyncio.timeout(30):
            code = await self.process.wait()
            await self._reader
        return code
