"""The store API skills use to schedule work: create, list, pause, resume and cancel schedules.

A schedule names a job (declared with ``@scheduled``), a payload of strings (ids, never
objects) and an ``owner`` key (``checkin:12``) by which the skill finds its schedules again;
``owner`` matches that key and any key under it (``checkin:12:Europe/Paris``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduling.grammar import parse_schedule
from bot.scheduling.models import ScheduleRow
from bot.scheduling.recurrence import Schedule, next_occurrence
from bot.storage.models import Tenant


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduleInfo:
    id: int
    job: str
    owner: str
    rule: str
    zone: str
    next_due_at: datetime | None
    paused: bool
    payload: Mapping[str, str]


def _owned(tenant_id: int, owner: str) -> ColumnElement[bool]:
    escaped = owner.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (ScheduleRow.tenant_id == tenant_id) & or_(
        ScheduleRow.owner == owner, ScheduleRow.owner.like(escaped + ":%", escape="\\")
    )


async def create_schedule(
    session: AsyncSession,
    *,
    tenant_id: int,
    job: str,
    owner: str,
    schedule: Schedule,
    zone_key: str,
    payload: Mapping[str, str],
    now: datetime,
    paused: bool = False,
) -> ScheduleInfo:
    """Add a schedule, first due at its next occurrence after ``now``."""
    row = ScheduleRow(
        tenant_id=tenant_id,
        job=job,
        owner=owner,
        payload=dict(payload),
        rule=schedule.text(),
        zone=zone_key,
        next_due_at=next_occurrence(schedule, zone_key, now),
        paused=paused,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return _info(row)


async def schedules_of(session: AsyncSession, tenant_id: int, owner: str) -> list[ScheduleInfo]:
    rows = await session.scalars(
        select(ScheduleRow).where(_owned(tenant_id, owner)).order_by(ScheduleRow.id)
    )
    return [_info(row) for row in rows]


async def pause_schedules(session: AsyncSession, tenant_id: int, owner: str) -> int:
    result = await session.execute(
        update(ScheduleRow).where(_owned(tenant_id, owner)).values(paused=True)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def resume_schedules(session: AsyncSession, tenant_id: int, owner: str, now: datetime) -> int:
    """Unpause; each schedule is next due at its first occurrence after ``now`` (what was
    missed while paused is not sent)."""
    rows = list(await session.scalars(select(ScheduleRow).where(_owned(tenant_id, owner))))
    for row in rows:
        row.paused = False
        schedule = parse_schedule(row.rule, now=now, zone_key=row.zone)
        row.next_due_at = next_occurrence(schedule, row.zone, now)
    await session.flush()
    return len(rows)


async def cancel_schedules(session: AsyncSession, tenant_id: int, owner: str) -> int:
    result = await session.execute(delete(ScheduleRow).where(_owned(tenant_id, owner)))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def postpone_schedule(session: AsyncSession, schedule_id: int, due_at: datetime) -> None:
    """Move a one-off to ``due_at`` (for example a summary waiting for a later round)."""
    await session.execute(
        update(ScheduleRow).where(ScheduleRow.id == schedule_id).values(next_due_at=due_at)
    )


def _info(row: ScheduleRow) -> ScheduleInfo:
    return ScheduleInfo(
        id=row.id,
        job=row.job,
        owner=row.owner,
        rule=row.rule,
        zone=row.zone,
        next_due_at=row.next_due_at,
        paused=row.paused,
        payload=dict(row.payload),
    )


async def set_installed(
    session: AsyncSession, platform: str, external_id: str, *, installed: bool, now: datetime
) -> bool:
    """Record that Staffroom left a community (its schedules and outbox then wait) or came back
    (each schedule is next due at its first occurrence after ``now``: what came due while away
    is not sent late). Returns whether anything changed."""
    tenant = await session.scalar(
        select(Tenant).where(Tenant.platform == platform, Tenant.external_id == external_id)
    )
    if tenant is None or (tenant.absent_since is None) == installed:
        return False
    if not installed:
        tenant.absent_since = now
        return True
    tenant.absent_since = None
    overdue = await session.scalars(
        select(ScheduleRow).where(
            ScheduleRow.tenant_id == tenant.id, ScheduleRow.next_due_at <= now
        )
    )
    for row in overdue:
        schedule = parse_schedule(row.rule, now=now, zone_key=row.zone)
        row.next_due_at = next_occurrence(schedule, row.zone, now)
    return True


async def installed_communities(session: AsyncSession, platform: str) -> list[str]:
    """The external ids of the communities of ``platform`` Staffroom is (as far as it knows) in."""
    found = await session.scalars(
        select(Tenant.external_id).where(Tenant.platform == platform, Tenant.absent_since.is_(None))
    )
    return list(found)
