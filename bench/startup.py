"""Start-up time: from process start to the console adapter's first reply.

The store holds 10,000 members with intros. Each run starts ``python -m bot chat`` fresh,
pipes in ``help`` and stops the clock when the reply's first line arrives.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, emit, median, parse_args

from bot.community.models import Profile, ProfileTag
from bot.storage.engine import open_store
from bot.storage.models import Member, Tenant
from bot.storage.schema import upgrade_schema


async def populate(url: str, members: int) -> None:
    store = open_store(url)
    try:
        await upgrade_schema(store)
        now = datetime.now(UTC)
        async with store.transaction() as session:
            session.add(
                Tenant(id=1, platform="console", external_id="demo", name="demo", created_at=now)
            )
            await session.flush()
            await session.execute(
                Member.__table__.insert(),
                [
                    {
                        "id": i,
                        "tenant_id": 1,
                        "user_id": f"m{i}",
                        "display_name": f"M{i}",
                        "granted_role": 0,
                        "created_at": now,
                    }
                    for i in range(1, members + 1)
                ],
            )
            await session.execute(
                Profile.__table__.insert(),
                [
                    {
                        "member_id": i,
                        "tenant_id": 1,
                        "display_name": f"Member {i}",
                        "role_title": "teacher",
                        "region": "",
                        "timezone": "Europe/Lisbon",
                        "years_experience": i % 30,
                        "completed_at": now,
                        "updated_at": now,
                    }
                    for i in range(1, members + 1)
                ],
            )
            await session.execute(
                ProfileTag.__table__.insert(),
                [
                    {"tenant_id": 1, "member_id": i, "kind": kind, "value": value}
                    for i in range(1, members + 1)
                    for kind, value in (
                        ("subject", ("math", "science", "art")[i % 3]),
                        ("grade", str(i % 12 + 1)),
                    )
                ],
            )
    finally:
        await store.close()


def one_start(directory: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    env["STAFFROOM_DATABASE_URL"] = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--as", "m1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=directory,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("help\n")
    child.stdin.flush()
    child.stdout.readline()  # the echoed command
    first = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.stdin.close()
    child.wait(timeout=30)
    if "What I can do" not in first:
        raise RuntimeError(
            f"unexpected first reply: {first!r} / {child.stderr.read() if child.stderr else ''}"
        )
    return elapsed


def main(quick: bool) -> None:
    members = 10_000
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        asyncio.run(populate(f"sqlite+aiosqlite:///{directory / 'bench.db'}", members))
        one_start(directory)  # warm-up: file caches, bytecode
        seconds = [one_start(directory) for _ in range(runs)]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    emit("startup", members, {"seconds": round(median(seconds), 3), "peak_rss_mb": round(peak, 1)})


if __name__ == "__main__":
    main(parse_args(__doc__ or "").quick)
