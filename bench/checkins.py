"""Check-ins at scale: 10,000 members in 40 time zones, one weekly check-in, one simulated week.

Everything goes through the real path: the scheduler claims each zone's round, the check-ins
skill writes prompts and outbox rows, and the outbox worker sends through the Slack adapter's
port to the loopback fake Slack Web API, which answers 429 to one call in ten. The simulated
clock ticks every ``TICK`` seconds (idle stretches are skipped: an idle tick does nothing).

Lateness of a DM = (simulated tick time − its due time) + (real time from that tick's start to
the send). Prints delivered, duplicates, lost (members without their DM), max_lateness_s and
the wall-clock seconds of the simulated week.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from _common import emit, parse_args

from bot.adapters.slack.bolt_app import create_adapter
from bot.adapters.slack.port import ChannelPacer
from bot.app import App, start_app
from bot.community.models import Profile
from bot.core.clock import ManualClock
from bot.core.events import TenantRef
from bot.core.replies import Reply
from bot.core.timezones import zone
from bot.settings import Settings, SlackSettings
from bot.skills.checkins.models import Checkin
from bot.skills.checkins.rounds import sync_zone_schedules
from bot.storage.models import Member, Tenant
from tests.fakes.slack_api import FakeSlack

ZONES = (
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Lagos",
    "Europe/Athens",
    "Africa/Cairo",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Darwin",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
)
START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # Sunday: every zone's Monday 09:00 is ahead
TICK = timedelta(seconds=15)
TEAM = "T1"


class TimingPort:
    """Wraps the Slack port: notes when (simulated and real) each DM went out."""

    def __init__(self, inner: Any, clock: ManualClock) -> None:
        self.inner = inner
        self.clock = clock
        self.tick_started = time.perf_counter()
        self.sent: list[tuple[str, datetime, float]] = []

    async def send_dm(self, tenant: TenantRef, user_id: str, reply: Reply) -> None:
        await self.inner.send_dm(tenant, user_id, reply)
        self.sent.append((user_id, self.clock.now(), time.perf_counter() - self.tick_started))

    async def post(self, tenant: TenantRef, channel_id: str, reply: Reply) -> None:
        await self.inner.post(tenant, channel_id, reply)

    async def send_group_dm(self, tenant: TenantRef, user_ids: Any, reply: Reply) -> None:
        await self.inner.send_group_dm(tenant, user_ids, reply)

    async def lookup_member(self, tenant: TenantRef, name: str) -> Any:
        return await self.inner.lookup_member(tenant, name)

    async def find_delivery(self, tenant: TenantRef, **where: Any) -> bool:
        return bool(await self.inner.find_delivery(tenant, **where))


async def populate(app: App, members: int) -> dict[str, str]:
    """Members ``U00001``… spread over the zones; returns user id → zone."""
    now = app.clock.now()
    zones = {f"U{i:05d}": ZONES[i % len(ZONES)] for i in range(1, members + 1)}
    async with app.store.transaction() as session:
        session.add(Tenant(id=1, platform="slack", external_id=TEAM, name="Bench", created_at=now))
        await session.flush()
        await session.execute(
            Member.__table__.insert(),
            [
                {
                    "id": i,
                    "tenant_id": 1,
                    "user_id": u,
                    "display_name": u,
                    "granted_role": 0,
                    "created_at": now,
                }
                for i, u in enumerate(zones, 1)
            ],
        )
        await session.execute(
            Profile.__table__.insert(),
            [
                {
                    "member_id": i,
                    "tenant_id": 1,
                    "display_name": u,
                    "role_title": "",
                    "region": "",
                    "timezone": z,
                    "updated_at": now,
                }
                for i, (u, z) in enumerate(zones.items(), 1)
            ],
        )
        checkin = Checkin(
            tenant_id=1,
            number=1,
            title="Weekly pulse",
            questions=["How was your week?"],
            rule="every monday 09:00",
            zone="member",
            audience="all",
            audience_value="",
            summary_channel="CSTAFF",
            reminder_hours=0,
            deadline_hours=24,
            paused=False,
            created_at=now,
        )
        session.add(checkin)
        await session.flush()
        await sync_zone_schedules(session, checkin, now)
    return zones


async def simulate(members: int, days: int, directory: Path) -> dict[str, Any]:
    fake = FakeSlack()
    await fake.start()
    fake.add_workspace(TEAM, "Bench")
    fake.rate_limit_every(10, retry_after=0)
    clock = ManualClock(START)
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{directory / 'bench.db'}",
        slack=SlackSettings(
            mode="http",
            signing_secret="x" * 32,
            bot_token=fake.token_of(TEAM),
            api_base_url=fake.api_url,
        ),
    )
    app = await start_app(settings, clock=clock)
    try:
        zones = await populate(app, members)
        async with aiohttp.ClientSession() as session:
            await create_adapter(app, session, pacer=ChannelPacer(interval=0))
            port = TimingPort(app.dispatcher.ports["slack"], clock)
            app.dispatcher.ports["slack"] = port
            fake.calls.clear()
            began = time.perf_counter()
            end = START + timedelta(days=days)
            scheduler = app.scheduler
            while clock.now() < end:
                upcoming = await scheduler._next_moment()
                step = clock.now() + TICK
                if upcoming is not None and upcoming > step:
                    # Idle ticks do nothing: go to the last tick before the next due moment.
                    skip = (upcoming - clock.now()) // TICK
                    step = clock.now() + TICK * skip
                clock.set(min(max(step, clock.now() + TICK), end))
                port.tick_started = time.perf_counter()
                await scheduler.tick()
            seconds = time.perf_counter() - began
    finally:
        await app.close()
        await fake.close()
    counts = Counter(user for user, _, _ in port.sent)
    lateness = 0.0
    for user, sim_now, real_s in port.sent:
        local = sim_now.astimezone(zone(zones[user]))
        due = local.replace(hour=9, minute=0, second=0, microsecond=0).astimezone(UTC)
        lateness = max(lateness, (sim_now - due).total_seconds() + real_s)
    posts = [c for c in fake.calls if c.method == "chat.postMessage"]
    return {
        "delivered": len(counts),
        "duplicates": sum(n - 1 for n in counts.values()),
        "lost": len(set(zones) - set(counts)),
        "max_lateness_s": round(lateness, 2),
        "seconds": round(seconds, 1),
        "rate_limited_calls": len(fake.calls) // 10,
        "summaries": len([c for c in posts if c.args.get("channel") == "CSTAFF"]),
    }


def main() -> None:
    args = parse_args(__doc__ or "")
    members, days = (400, 7) if args.quick else (10_000, 7)
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(simulate(members, days, Path(tmp)))
    emit("checkins", members, figures)


if __name__ == "__main__":
    main()
