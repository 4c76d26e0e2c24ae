"""One "process" of the scheduler for tests: its own store, dispatcher, scheduler and port."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.app import wire
from bot.core.clock import Clock
from bot.core.commands import Registry
from bot.core.events import TenantRef
from bot.core.members import TenantDirectory
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import ScheduleInfo, create_schedule
from bot.scheduling.models import ScheduleRun
from bot.scheduling.runtime import Scheduler
from bot.settings import Settings
from bot.storage.engine import open_store
from tests.fakes.recording_port import RecordingPort
from tests.scheduling import jobs_for_tests

TENANT = TenantRef(platform="console", external_id="demo", name="demo")


@dataclass
class Worker:
    scheduler: Scheduler
    port: RecordingPort

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return self.scheduler.store

    async def close(self) -> None:
        await self.scheduler.stop()
        await self.scheduler.store.close()

    async def schedule(
        self, rule: str, *, zone: str = "UTC", job: str = "test.ping", user: str = "ana"
    ) -> ScheduleInfo:
        now = self.scheduler.clock.now()
        async with self.store.transaction() as session:
            tenant = await TenantDirectory().ensure(session, TENANT, now)
            return await create_schedule(
                session,
                tenant_id=tenant.id,
                job=job,
                owner=f"test:{user}",
                schedule=parse_schedule(rule, now=now, zone_key=zone),
                zone_key=zone,
                payload={"user": user},
                now=now,
            )

    async def runs(self, status: str) -> int:
        async with self.store.sessions() as session:
            count = await session.scalar(
                select(func.count()).select_from(ScheduleRun).where(ScheduleRun.status == status)
            )
        return int(count or 0)


def open_worker(settings: Settings, clock: Clock, **scheduler: Any) -> Worker:
    store = open_store(settings.database_url, schema=settings.database_schema, exclusive=False)
    tuned = settings.model_copy(
        update={"scheduler": settings.scheduler.model_copy(update=scheduler)}
    )
    dispatcher, sched = wire(store, Registry.from_skills([jobs_for_tests.SKILL]), clock, tuned)
    port = RecordingPort()
    dispatcher.attach("console", port)
    return Worker(scheduler=sched, port=port)
