from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.core.errors import DeliveryError
from bot.scheduling.jobs import cancel_schedules, pause_schedules, resume_schedules
from bot.scheduling.models import OutboxMessage, ScheduleRow
from bot.settings import Settings
from bot.storage.models import AuditEntry
from tests.scheduling.harness import Worker, open_worker
from tests.support.stores import postgres_url

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


class Killed(BaseException):
    """The process dies here."""


@pytest.fixture
async def worker(settings: Settings, clock: ManualClock) -> AsyncIterator[Worker]:
    w = open_worker(settings, clock)
    yield w
    await w.close()


async def test_weekly_occurrences_arrive_at_local_time(worker: Worker, clock: ManualClock) -> None:
    await worker.schedule("every monday 09:00", zone="America/New_York")
    await worker.scheduler.run_until(START + timedelta(weeks=3))
    # 9:00 EST is 14:00 UTC; from 8 March (EDT) it is 13:00 UTC.
    assert worker.port.texts("ana") == [
        "ping 2026-03-02 14:00",
        "ping 2026-03-09 13:00",
        "ping 2026-03-16 13:00",
    ]
    assert await worker.runs("done") == 3


async def test_a_one_off_runs_once(worker: Worker, clock: ManualClock) -> None:
    await worker.schedule("tomorrow 8:00")
    await worker.scheduler.run_until(START + timedelta(days=5))
    assert worker.port.texts() == ["ping 2026-03-03 08:00"]


async def test_missed_work_runs_late_within_grace_and_is_skipped_beyond(
    worker: Worker, clock: ManualClock
) -> None:
    await worker.schedule("every day 13:00", user="ana")
    clock.set(START + timedelta(minutes=59 + 60))  # 59 minutes late: within the hour
    await worker.scheduler.tick()
    assert worker.port.texts() == ["ping 2026-03-02 13:00"]
    assert worker.scheduler.metrics.lag_seconds == 59 * 60
    clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))  # two hours late: skipped
    await worker.scheduler.tick()
    assert worker.port.texts() == ["ping 2026-03-02 13:00"]
    assert await worker.runs("skipped") == 1
    await worker.scheduler.run_until(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    assert worker.port.texts()[-1] == "ping 2026-03-04 13:00"


async def test_a_failing_job_is_recorded_and_its_messages_dropped(
    worker: Worker, clock: ManualClock
) -> None:
    await worker.schedule("every day 13:00", job="test.boom")
    await worker.scheduler.run_until(START + timedelta(days=2))
    assert worker.port.sent == []
    assert await worker.runs("failed") == 2  # each occurrence once, not retried forever


async def test_pause_resume_and_cancel(worker: Worker, clock: ManualClock) -> None:
    info = await worker.schedule("every day 13:00")
    async with worker.store.transaction() as session:
        assert await pause_schedules(session, 1, "test:ana") == 1
    await worker.scheduler.run_until(START + timedelta(days=2))
    assert worker.port.sent == []
    async with worker.store.transaction() as session:
        await resume_schedules(session, 1, "test", clock.now())
    await worker.scheduler.run_until(START + timedelta(days=3))
    assert worker.port.texts() == ["ping 2026-03-04 13:00"]  # what was missed is not sent
    async with worker.store.transaction() as session:
        assert await cancel_schedules(session, 1, f"test:{'ana'}") == 1
    await worker.scheduler.run_until(START + timedelta(days=6))
    assert len(worker.port.sent) == 1
    assert info.rule == "every day 13:00"


async def test_a_restart_mid_week_loses_and_repeats_nothing(
    settings: Settings, clock: ManualClock
) -> None:
    first = open_worker(settings, clock)
    for user, zone in [("ana", "Europe/London"), ("ben", "Australia/Sydney"), ("cy", "UTC")]:
        await first.schedule("every day 09:00", zone=zone, user=user)
    await first.scheduler.run_until(datetime(2026, 3, 4, 12, tzinfo=UTC))
    before = len(first.port.sent)
    await first.close()
    clock.set(datetime(2026, 3, 4, 12, 30, tzinfo=UTC))  # down for half an hour
    second = open_worker(settings, clock)
    try:
        await second.scheduler.run_until(datetime(2026, 3, 9, 12, tzinfo=UTC))
        texts = first.port.texts() + second.port.texts()
        assert len(texts) == before + len(second.port.sent)
        for user in ("ana", "ben", "cy"):
            mine = [s.text for s in first.port.sent + second.port.sent if s.target == user]
            assert len(mine) == len(set(mine)) == 7, user
    finally:
        await second.close()


async def test_a_429_storm_waits_retry_after_and_sends_once(
    worker: Worker, clock: ManualClock
) -> None:
    await worker.schedule("every day 13:00")
    heard: list[tuple[str, str]] = []
    worker.scheduler.outbox.metrics.observer = lambda figure, platform: heard.append(
        (figure, platform)
    )
    worker.port.faults += [DeliveryError("ratelimited", retry_after=30) for _ in range(5)]
    clock.set(datetime(2026, 3, 2, 13, 0, tzinfo=UTC))
    await worker.scheduler.tick()
    assert worker.port.sent == []  # the first try was turned away
    await worker.scheduler.run_until(datetime(2026, 3, 2, 13, 10, tzinfo=UTC))
    assert worker.port.texts() == ["ping 2026-03-02 13:00"]
    assert worker.scheduler.outbox.metrics.rate_limit_waits["console"] == 5
    assert heard == [("rate_limit_waits", "console")] * 5 + [("sent", "console")]
    assert await worker.scheduler.outbox.depth() == 0


async def test_transient_errors_back_off_then_give_up(
    settings: Settings, clock: ManualClock
) -> None:
    worker = open_worker(settings, clock, outbox_max_attempts=3, outbox_backoff_seconds=60)
    try:
        await worker.schedule("tomorrow 13:00")
        worker.port.faults += [DeliveryError("server error") for _ in range(3)]
        clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))
        await worker.scheduler.tick()
        clock.advance(timedelta(seconds=59))
        await worker.scheduler.tick()
        assert worker.scheduler.outbox.metrics.retries["console"] == 1  # not yet due again
        await worker.scheduler.run_until(clock.now() + timedelta(hours=1))
        assert worker.port.sent == []
        assert worker.scheduler.outbox.metrics.failures["console"] == 1
        async with worker.store.sessions() as session:
            row = await session.scalar(select(OutboxMessage))
            audit = await session.scalar(select(AuditEntry.action))
        assert row is not None and row.status == "failed" and row.attempts == 3
        assert audit == "outbox.undeliverable"
    finally:
        await worker.close()


async def test_a_permanent_error_is_not_retried(worker: Worker, clock: ManualClock) -> None:
    await worker.schedule("tomorrow 13:00")
    worker.port.faults.append(DeliveryError("DMs closed", permanent=True))
    await worker.scheduler.run_until(START + timedelta(days=3))
    assert worker.port.sent == []
    assert worker.scheduler.outbox.metrics.failures["console"] == 1
    assert worker.scheduler.outbox.metrics.retries.total() == 0


async def test_killed_before_the_send_loses_nothing(settings: Settings, clock: ManualClock) -> None:
    first = open_worker(settings, clock, outbox_concurrency=1)
    await first.schedule("tomorrow 13:00")
    first.port.faults.append(Killed())
    clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))
    with pytest.raises(Killed):
        await first.scheduler.tick()
    await first.store.close()
    second = open_worker(settings, clock)
    try:
        await second.scheduler.tick()
        assert second.port.sent == []  # still leased to the dead process
        clock.advance(timedelta(seconds=settings.scheduler.outbox_lease_seconds + 1))
        await second.scheduler.tick()
        assert second.port.texts() == ["ping 2026-03-03 13:00"]
        assert second.scheduler.outbox.metrics.leases_recovered == 1
    finally:
        await second.close()


async def test_killed_after_the_mark_sends_nothing_twice(
    settings: Settings, clock: ManualClock
) -> None:
    first = open_worker(settings, clock, outbox_concurrency=1)  # dies after the first mark
    await first.schedule("tomorrow 13:00")
    await first.schedule("tomorrow 13:00", user="ben")
    clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))
    original = first.scheduler.outbox._mark

    async def mark_then_die(row_id: int, **values: object) -> None:
        await original(row_id, **values)
        raise Killed()

    first.scheduler.outbox._mark = mark_then_die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await first.scheduler.tick()
    assert len(first.port.sent) == 1
    await first.store.close()
    second = open_worker(settings, clock)
    try:
        clock.advance(timedelta(hours=1))
        await second.scheduler.tick()
        assert [s.target for s in first.port.sent + second.port.sent] == ["ana", "ben"]
    finally:
        await second.close()


async def killed_between_send_and_mark(
    settings: Settings, clock: ManualClock, *, can_tell: bool
) -> tuple[Worker, Worker]:
    """The first worker sends ana's ping and dies before marking it sent; the second shares
    the platform (what the first sent is in its history) and takes over after the lease."""
    first = open_worker(settings, clock, outbox_concurrency=1)
    await first.schedule("tomorrow 13:00")
    clock.set(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))

    def die() -> None:
        raise Killed()

    first.port.after_send = die
    with pytest.raises(Killed):
        await first.scheduler.tick()
    await first.store.close()
    second = open_worker(settings, clock)
    second.port.sent = first.port.sent
    second.port.can_tell = can_tell
    clock.advance(timedelta(seconds=settings.scheduler.outbox_lease_seconds + 1))
    await second.scheduler.tick()
    return first, second


async def test_killed_between_send_and_mark_is_looked_up_not_sent_twice(
    settings: Settings, clock: ManualClock
) -> None:
    _, second = await killed_between_send_and_mark(settings, clock, can_tell=True)
    try:
        assert [s.target for s in second.port.sent] == ["ana"]
        assert second.port.sent[0].key.startswith("outbox-")
        assert second.scheduler.outbox.metrics.reconciled["console"] == 1
        assert await second.scheduler.outbox.depth() == 0
    finally:
        await second.close()


async def test_where_the_platform_cannot_tell_an_in_doubt_message_is_sent_again(
    settings: Settings, clock: ManualClock
) -> None:
    _, second = await killed_between_send_and_mark(settings, clock, can_tell=False)
    try:
        assert [s.target for s in second.port.sent] == ["ana", "ana"]  # at least once
        assert await second.scheduler.outbox.depth() == 0
    finally:
        await second.close()


async def test_metrics_report_depth_age_and_lag(worker: Worker, clock: ManualClock) -> None:
    await worker.schedule("every day 13:00")
    clock.set(datetime(2026, 3, 2, 13, 30, tzinfo=UTC))
    assert await worker.scheduler.lag_seconds() == 1800
    worker.port.faults.append(DeliveryError("slow down", retry_after=600))
    await worker.scheduler.tick()
    clock.advance(timedelta(seconds=90))
    assert await worker.scheduler.outbox.depth() == 1
    assert await worker.scheduler.outbox.oldest_age_seconds() == 90
    assert await worker.scheduler.lag_seconds() == 0


@pytest.mark.skipif(postgres_url() is None, reason="needs STAFFROOM_TEST_DATABASE_URL")
async def test_two_processes_on_postgresql_deliver_each_once(
    settings: Settings, clock: ManualClock
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("SQLite allows one process")
    one, two = open_worker(settings, clock), open_worker(settings, clock)
    try:
        zones = ["UTC", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]
        for n in range(40):
            await one.schedule("every day 09:00", zone=zones[n % len(zones)], user=f"m{n}")
        for _ in range(7 * 24 * 4):  # a week in 15-minute steps, both ticking at once
            clock.advance(timedelta(minutes=15))
            await asyncio.gather(one.scheduler.tick(), two.scheduler.tick())
        texts = [(s.target, s.text) for s in one.port.sent + two.port.sent]
        assert len(texts) == len(set(texts)) == 40 * 7
        assert one.port.sent and two.port.sent  # both did a share of the work
    finally:
        await one.close()
        await two.close()


async def test_housekeeping_forgets_finished_work(worker: Worker, clock: ManualClock) -> None:
    await worker.schedule("tomorrow 13:00")
    await worker.schedule("every day 13:00", user="ben")
    await worker.scheduler.run_until(START + timedelta(days=2))
    await worker.scheduler.housekeeping()
    async with worker.store.sessions() as session:
        assert len(list(await session.scalars(select(ScheduleRow)))) == 2  # kept for a week
        assert len(list(await session.scalars(select(OutboxMessage)))) == 3
    clock.advance(timedelta(days=8))
    await worker.scheduler.housekeeping()
    async with worker.store.sessions() as session:
        rules = [row.rule for row in await session.scalars(select(ScheduleRow))]
        assert rules == ["every day 13:00"]
        assert len(list(await session.scalars(select(OutboxMessage)))) == 0
