"""``staffroom run slack`` as an operator starts it: a real process, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack.harness import SIGNING_SECRET, payload
from tests.fakes.slack_api import FakeSlack


async def test_run_slack_serves_until_sigterm(fake: FakeSlack, tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    environment |= {
        "STAFFROOM_SLACK__MODE": "http",
        "STAFFROOM_SLACK__BOT_TOKEN": fake.token_of("T1"),
        "STAFFROOM_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "STAFFROOM_SLACK__API_BASE_URL": fake.api_url,
        "STAFFROOM_SLACK__HTTP_HOST": "127.0.0.1",
        "STAFFROOM_SLACK__HTTP_PORT": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "slack",
        cwd=tmp_path,
        env=environment,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        port = None
        async with asyncio.timeout(30):
            while port is None:
                line = (await process.stderr.readline()).decode()
                assert line, "staffroom stopped before listening"
                found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
                port = int(found.group(1)) if found else None
        body = json.dumps(payload("event_message_im"))
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(
                timestamp=stamp, body=body
            ),
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as r,
        ):
            assert r.status == 200
        await fake.wait_for(lambda f: bool(f.calls_to("chat.postMessage")))
    finally:
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            code = await process.wait()
    assert code == 0
    assert (tmp_path / "staffroom.db").exists()
