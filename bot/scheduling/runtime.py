"""The scheduler runtime: finds due occurrences and runs them as core events through the
dispatcher (their policy, ``ScheduledRuns``, claims each once), then drains the outbox.

``tick()`` is the unit of work (tests and the console call it with a ``ManualClock``);
APScheduler's ``AsyncIOScheduler`` only wakes the process every ``tick_seconds``. Its job store
holds nothing of record: the schedule lives in our tables, and each occurrence is claimed in
the store (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) in the transaction that runs it and writes
its messages to the outbox, so several processes never run one twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, ManualClock
from bot.core.commands import JobRun
from bot.core.dispatcher import Dispatcher
from bot.core.events import Actor, Event, EventKind, Place, TenantRef
from bot.core.members import SYSTEM_USER_ID, MemberInfo, TenantInfo, system_member
from bot.core.roles import Role
from bot.scheduling.config import SchedulerSettings
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.models import OutboxMessage, ScheduleRow, ScheduleRun
from bot.scheduling.outbox import PENDING, OutboxWorker
from bot.scheduling.recurrence import BadSchedule, next_occurrence
from bot.storage.engine import Store
from bot.storage.models import Tenant

_log = logging.getLogger(__name__)

DONE = "done"
SKIPPED = "skipped"
FAILED = "failed"
_MAX_STEPS = 10_000
HOUSEKEEPING_HOURS = 6


@dataclass(kw_only=True)
class SchedulerMetrics:
    """Figures since start, for /metrics (outbox figures are on ``outbox.metrics``)."""

    runs: int = 0
    skipped: int = 0
    failed: int = 0
    lag_seconds: float = 0.0
    """How late the last occurrence ran after it was due."""
    max_lag_seconds: float = 0.0
    ticks: int = 0


class ScheduledRuns:
    """The dispatcher's policy for ``SCHEDULED`` events: an occurrence is claimed in the store
    (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) in the transaction that runs it, runs as
    Staffroom itself, and one that raised is recorded as failed rather than retried forever."""

    def __init__(self, *, store: Store, settings: SchedulerSettings) -> None:
        self.store = store
        self.grace = timedelta(minutes=settings.grace_minutes)
        self.metrics = SchedulerMetrics()

    async def claim(self, session: AsyncSession, event: Event, now: datetime) -> bool:
        """False when the occurrence is not (or no longer) due here: another process has it,
        it already ran, or it was missed past the grace window and is skipped (recorded)."""
        run = _run_of(event)
        query = select(ScheduleRow).where(
            ScheduleRow.id == run.schedule_id,
            ScheduleRow.next_due_at == run.due_at,
            ScheduleRow.paused.is_(False),
        )
        if self.store.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = await session.scalar(query)
        if row is None:
            return False
        lateness = max((now - run.due_at).total_seconds(), 0.0)
        late = now - run.due_at > self.grace
        _advance(row, run.due_at)
        session.add(
            ScheduleRun(
                tenant_id=row.tenant_id,
                schedule_id=row.id,
                job=row.job,
                due_at=run.due_at,
                ran_at=now,
                status=SKIPPED if late else DONE,
                lateness_s=lateness,
            )
        )
        if late:
            _log.warning(
                "skipped %s due %s: %.0f s late, past the grace window",
                row.job,
                run.due_at,
                lateness,
            )
            self.metrics.skipped += 1
            return False
        self.metrics.runs += 1
        self.metrics.lag_seconds = lateness
        self.metrics.max_lag_seconds = max(self.metrics.max_lag_seconds, lateness)
        return True

    async def actor(
        self, session: AsyncSession, event: Event, tenant: TenantInfo, now: datetime
    ) -> tuple[MemberInfo, Role]:
        return system_member(tenant.id), Role.ADMIN

    async def settle(self, session: AsyncSession, event: Event, now: datetime) -> None:
        """Nothing more: the claim already advanced the schedule in this transaction."""

    async def failed(self, event: Event, now: datetime) -> None:
        run = _run_of(event)
        async with self.store.transaction() as session:
            query = select(ScheduleRow).where(
                ScheduleRow.id == run.schedule_id, ScheduleRow.next_due_at == run.due_at
            )
            if self.store.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            row = await session.scalar(query)
            if row is None:
                return
            _advance(row, run.due_at)
            session.add(
                ScheduleRun(
                    tenant_id=row.tenant_id,
                    schedule_id=row.id,
                    job=row.job,
                    due_at=run.due_at,
                    ran_at=now,
                    status=FAILED,
                    lateness_s=max((now - run.due_at).total_seconds(), 0.0),
                )
            )
        _log.warning("job %s due %s failed; it is not retried", run.job, run.due_at)
        self.metrics.failed += 1


class Scheduler:
    """Runs due scheduled work for one process; see the module docstring."""

    def __init__(
        self,
        *,
        store: Store,
        dispatcher: Dispatcher,
        runs: ScheduledRuns,
        outbox: OutboxWorker,
        clock: Clock,
        settings: SchedulerSettings,
    ) -> None:
        self.store = store
        self.dispatcher = dispatcher
        self.clock = clock
        self.settings = settings
        self.outbox = outbox
        self.metrics = runs.metrics
        self.housekeeping_tasks: list[Callable[[], Awaitable[object]]] = []
        """More periodic clean-ups (skills' ``housekeeping``), run with ``housekeeping``."""
        self._timer: Any = None
        self._lock = asyncio.Lock()
        self._ticking: asyncio.Task[Any] | None = None

    # --- the work -----------------------------------------------------------------------------

    async def tick(self) -> int:
        """Run every occurrence due by the clock's now, then send what the outbox holds.
        Returns how many occurrences were dispatched."""
        async with self._lock:
            await self.outbox.recover_leases()
            return await self._step(until_none_due=True)

    async def _step(self, *, until_none_due: bool) -> int:
        """Run what is due and send what the outbox holds (the caller holds ``_lock``)."""
        self.metrics.ticks += 1
        dispatched = await self._run_due(until_none_due=until_none_due)
        await self.outbox.deliver_due()
        return dispatched

    async def _run_due(self, *, until_none_due: bool) -> int:
        """Run due occurrences in batches. Work a job makes due at once is run in the same call
        when ``until_none_due``; otherwise after a partial batch it waits for the next call
        (``run_until`` asks again anyway, and saves a transaction per moment)."""
        tried: set[tuple[int, datetime]] = set()
        dispatched = 0
        while True:
            now = self.clock.now()
            async with self.store.sessions() as session:
                rows = (
                    await session.execute(
                        select(
                            ScheduleRow.id,
                            ScheduleRow.job,
                            ScheduleRow.payload,
                            ScheduleRow.next_due_at,
                            Tenant.platform,
                            Tenant.external_id,
                            Tenant.name,
                        )
                        .join(Tenant, Tenant.id == ScheduleRow.tenant_id)
                        .where(
                            ScheduleRow.next_due_at <= now,
                            ScheduleRow.paused.is_(False),
                            Tenant.absent_since.is_(None),
                        )
                        .order_by(ScheduleRow.next_due_at, ScheduleRow.id)
                        .limit(self.settings.batch_size)
                    )
                ).all()
            fresh = [r for r in rows if (r[0], r[3]) not in tried]
            if not fresh:
                return dispatched
            for schedule_id, job, payload, due_at, platform, external_id, name in fresh:
                tried.add((schedule_id, due_at))
                run = JobRun(job=job, schedule_id=schedule_id, due_at=due_at, payload=dict(payload))
                await self.dispatcher.handle(_event(run, platform, external_id, name))
                dispatched += 1
            if not until_none_due and len(rows) < self.settings.batch_size:
                return dispatched

    async def run_until(self, target: datetime) -> None:
        """Move a ``ManualClock`` to ``target``, stopping at each due moment on the way (in
        order) to run what is due then: ``/clock +1d`` in the console, and tests."""
        clock = self.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("run_until needs a ManualClock")
        await self.tick()
        for _ in range(_MAX_STEPS):
            upcoming = await self._next_moment()
            if upcoming is None or upcoming > target:
                break
            clock.set(max(upcoming, clock.now()))
            # Leases were recovered by the first tick and the last one recovers them again.
            async with self._lock:
                await self._step(until_none_due=False)
        if target > clock.now():
            clock.set(target)
        await self.tick()

    async def _next_moment(self) -> datetime | None:
        async with self.store.sessions() as session:
            due = await session.scalar(_earliest_due())
            retry = await session.scalar(
                select(func.min(OutboxMessage.next_attempt_at))
                .join(Tenant, Tenant.id == OutboxMessage.tenant_id)
                .where(OutboxMessage.status == PENDING, Tenant.absent_since.is_(None))
            )
        moments = [_aware(m) for m in (due, retry) if m is not None]
        return min(moments) if moments else None

    async def lag_seconds(self) -> float:
        """How overdue the most overdue occurrence is right now (0 when nothing waits)."""
        async with self.store.sessions() as session:
            due = await session.scalar(_earliest_due())
        if due is None:
            return 0.0
        return max((self.clock.now() - _aware(due)).total_seconds(), 0.0)

    # --- background ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Wake every ``tick_seconds`` (and once now) to run due work."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        timer = AsyncIOScheduler(timezone="UTC")
        timer.add_job(
            self._wake,
            "interval",
            seconds=self.settings.tick_seconds,
            next_run_time=datetime.now(UTC),  # the timer runs on real time
            id="staffroom-tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        timer.add_job(
            self.housekeeping,
            "interval",
            hours=HOUSEKEEPING_HOURS,
            id="staffroom-housekeeping",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        timer.start()
        self._timer = timer

    async def housekeeping(self) -> None:
        """Forget sent outbox rows and finished one-offs (with their runs) past the keep time,
        then run the other clean-ups (``housekeeping_tasks``)."""
        cutoff = self.clock.now() - timedelta(days=self.settings.outbox_keep_days)
        try:
            await self.outbox.prune()
            async with self.store.transaction() as session:
                await session.execute(
                    delete(ScheduleRow).where(
                        ScheduleRow.next_due_at.is_(None), ScheduleRow.last_due_at < cutoff
                    )
                )
        except Exception:
            _log.exception("housekeeping failed; it runs again in %s hours", HOUSEKEEPING_HOURS)
        for task in self.housekeeping_tasks:
            try:
                await task()
            except Exception:
                _log.exception("a clean-up failed; it runs again in %s hours", HOUSEKEEPING_HOURS)

    async def _wake(self) -> None:
        self._ticking = asyncio.current_task()
        try:
            await self.tick()
        except asyncio.CancelledError:
            _log.info("stopped in the middle of a tick; its leased messages are retried later")
        except Exception:
            _log.exception(
                "the scheduler tick failed; it runs again in %s s", self.settings.tick_seconds
            )

    async def stop(self, *, grace: float = 0.0) -> None:
        """Stop the timer; a tick under way may finish within ``grace`` seconds, else it is
        cancelled (messages it had leased are taken up again once their lease expires)."""
        if self._timer is not None:
            self._timer.shutdown(wait=False)
            self._timer = None
        ticking, self._ticking = self._ticking, None
        if ticking is None or ticking.done():
            return
        try:
            async with asyncio.timeout(grace):
                await asyncio.shield(ticking)
        except TimeoutError:
            ticking.cancel()
            await asyncio.gather(ticking, return_exceptions=True)


def _advance(row: ScheduleRow, due_at: datetime) -> None:
    row.last_due_at = due_at
    try:
        schedule = parse_schedule(row.rule, now=due_at, zone_key=row.zone)
    except BadSchedule:
        _log.exception("schedule %s has an unreadable rule %r; it stops", row.id, row.rule)
        row.next_due_at = None
        return
    row.next_due_at = next_occurrence(schedule, row.zone, due_at)


def _earliest_due() -> Select[datetime | None]:
    """When the next schedule of a community Staffroom is still in comes due."""
    return (
        select(func.min(ScheduleRow.next_due_at))
        .join(Tenant, Tenant.id == ScheduleRow.tenant_id)
        .where(ScheduleRow.paused.is_(False), Tenant.absent_since.is_(None))
    )


def _aware(moment: datetime | str) -> datetime:
    """``func.min`` bypasses the column type on SQLite, which hands back naive UTC text."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _run_of(event: Event) -> JobRun:
    assert event.invocation is not None
    return JobRun.from_invocation(event.invocation)


def _event(run: JobRun, platform: str, external_id: str, name: str) -> Event:
    return Event(
        kind=EventKind.SCHEDULED,
        event_id=f"schedule-{run.schedule_id}-{run.due_at.isoformat()}",
        tenant=TenantRef(platform=platform, external_id=external_id, name=name),
        actor=Actor(user_id=SYSTEM_USER_ID, display_name="Staffroom", platform_role=Role.ADMIN),
        place=Place(channel_id=""),
        invocation=run.invocation(),
    )
