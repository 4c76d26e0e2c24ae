"""Dispatch throughput and latency through the console adapter's in-process path on SQLite.

Read-only phase: ``help`` and ``whois @member`` alternately. Writing phase: ``intro set
region …`` with a distinct value each time. Each phase runs N commands, several times after a
warm-up; the figures are medians over those runs.

With ``STAFFROOM_BENCH_DATABASE_URL`` (or ``STAFFROOM_TEST_DATABASE_URL``) naming a PostgreSQL
database, the same phases run there too (in a schema of their own, dropped afterwards) and
their figures follow SQLite's with a ``pg_`` prefix.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from _common import emit, median, parse_args, peak_rss_mb, percentile

from bot.adapters.console.session import ConsoleSession
from bot.app import start_app
from bot.core.clock import ManualClock
from bot.settings import Settings
from bot.storage.engine import open_store

SETUP = [
    "/as bea",
    "intro set name Bea Santos",
    "intro set role teacher",
    "intro set subjects science",
    "intro set grades 6-8",
    "intro set tz Lisbon",
    "/as alex",
    "intro set name Alex Kim",
    "intro set role coach",
    "intro set subjects math",
    "intro set grades 9-12",
    "intro set tz Europe/Paris",
]


async def run_phase(session: ConsoleSession, lines: list[str]) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    for line in lines:
        t0 = time.perf_counter()
        out = await session.feed(line)
        latencies.append((time.perf_counter() - t0) * 1000)
        if not out:
            raise RuntimeError(f"no reply to {line!r}")
    return time.perf_counter() - started, latencies


async def measure(settings: Settings, n: int, runs: int) -> dict[str, float]:
    app = await start_app(settings, clock=ManualClock())
    try:
        session = ConsoleSession(app.dispatcher, clock=app.clock, user="alex")
        for line in SETUP:
            await session.feed(line)
        reads = [("help" if i % 2 else "whois @bea") for i in range(n)]
        counter = iter(range(10**9))

        def writes() -> list[str]:
            return [f"intro set region Region {next(counter)}" for _ in range(n)]

        await run_phase(session, reads[: n // 10])
        await run_phase(session, writes()[: n // 10])
        read_runs = [await run_phase(session, reads) for _ in range(runs)]
        write_runs = [await run_phase(session, writes()) for _ in range(runs)]
    finally:
        await app.close()

    def figures(prefix: str, results: list[tuple[float, list[float]]]) -> dict[str, float]:
        return {
            f"{prefix}_msgs_per_s": round(median([n / seconds for seconds, _ in results])),
            f"{prefix}_p50_ms": round(median([percentile(lat, 0.5) for _, lat in results]), 3),
            f"{prefix}_p99_ms": round(median([percentile(lat, 0.99) for _, lat in results]), 3),
        }

    return {**figures("read", read_runs), **figures("write", write_runs)}


async def on_postgresql(url: str, n: int, runs: int) -> dict[str, float]:
    schema = f"bench_dispatch_{os.getpid()}"
    try:
        found = await measure(Settings(database_url=url, database_schema=schema), n, runs)
    finally:
        store = open_store(url)
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await store.close()
    return {f"pg_{key}": value for key, value in found.items()}


async def main(quick: bool) -> None:
    n = 300 if quick else 5000
    runs = 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        found = await measure(Settings(database_url=url), n, runs)
    found["peak_rss_mb"] = peak_rss_mb()
    pg_url = os.environ.get("STAFFROOM_BENCH_DATABASE_URL") or os.environ.get(
        "STAFFROOM_TEST_DATABASE_URL", ""
    )
    if pg_url.startswith("postgresql"):
        found |= await on_postgresql(pg_url, n, runs)
    emit("dispatch", n, found)


if __name__ == "__main__":
    asyncio.run(main(parse_args(__doc__ or "").quick))
