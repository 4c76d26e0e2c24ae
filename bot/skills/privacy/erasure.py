"""Forgetting a member: on their request, or once they have been gone for the retention period.

``forget_member`` calls every skill's eraser (each leaves nothing that names the member:
rows deleted, or kept without the member as shared resources are) and then deletes the member
row itself. ``forget_departed_members`` is the periodic clean-up the scheduler runs.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.commands import Registry
from bot.core.tenant_config import TenantSettingSpec
from bot.storage.engine import Store
from bot.storage.models import Member
from bot.storage.tenant_settings import get_setting

_log = logging.getLogger(__name__)

RETENTION_KEY = "privacy.retention_days"
RETENTION_DEFAULT = 30
_DAYS = re.compile(r"^\s*([0-9]{1,4})\s*(?:d|days?)?\s*$", re.IGNORECASE)


def _parse_days(raw: str) -> int:
    match = _DAYS.match(raw)
    if match is None or int(match.group(1)) > 3650:
        raise ValueError("The retention period is a number of days from 0 to 3650, like `30`.")
    return int(match.group(1))


RETENTION_SETTING = TenantSettingSpec(
    key=RETENTION_KEY,
    summary="Days after a member leaves before everything about them is erased (0: at once).",
    default=RETENTION_DEFAULT,
    parse=_parse_days,
)


async def forget_member(
    session: AsyncSession, registry: Registry, tenant_id: int, member_id: int
) -> bool:
    """Erase the member through every registered eraser, then delete their row.

    Returns False when there was no such member. Erasers run while the member row still
    exists (some need its user id); a foreign key that cascades from ``members`` removes
    whatever an eraser chose to leave, so an eraser keeps a row by unlinking it first.
    """
    exists = await session.scalar(
        select(Member.id).where(Member.tenant_id == tenant_id, Member.id == member_id)
    )
    if exists is None:
        return False
    for erase in registry.erasers:
        await erase(session, tenant_id, member_id)
    await session.execute(
        delete(Member).where(Member.tenant_id == tenant_id, Member.id == member_id)
    )
    return True


async def retention_days(session: AsyncSession, tenant_id: int) -> int:
    value: Any = await get_setting(session, tenant_id, RETENTION_KEY, RETENTION_DEFAULT)
    return value if isinstance(value, int) and value >= 0 else RETENTION_DEFAULT


async def forget_departed_members(
    store: Store, clock: Clock, registry: Registry, *, limit: int = 500
) -> int:
    """Forget up to ``limit`` members whose departure is older than their community's retention
    period; returns how many were forgotten.

    Each member is forgotten in a transaction of its own, after checking again that they are
    still gone (they may have come back) and, on PostgreSQL, locking the row so that two
    processes running this at once never both work on one member. A failing eraser is logged
    and that member is tried again on the next run. Each community's audit log notes how many
    members were forgotten, without naming them.
    """
    now = clock.now()
    due: list[tuple[int, int, int]] = []
    async with store.transaction() as session:
        tenant_ids = list(
            await session.scalars(
                select(Member.tenant_id)
                .where(Member.left_at.is_not(None))
                .distinct()
                .order_by(Member.tenant_id)
            )
        )
        for tenant_id in tenant_ids:
            if len(due) >= limit:
                break
            days = await retention_days(session, tenant_id)
            member_ids = await session.scalars(
                select(Member.id)
                .where(Member.tenant_id == tenant_id, Member.left_at <= now - timedelta(days=days))
                .order_by(Member.left_at, Member.id)
                .limit(limit - len(due))
            )
            due += [(tenant_id, member_id, days) for member_id in member_ids]
    forgotten: Counter[tuple[int, int]] = Counter()
    for tenant_id, member_id, days in due:
        try:
            async with store.transaction() as session:
                still_gone = await session.scalar(
                    select(Member.id)
                    .where(
                        Member.tenant_id == tenant_id,
                        Member.id == member_id,
                        Member.left_at <= now - timedelta(days=days),
                    )
                    .with_for_update(skip_locked=True)
                )
                if still_gone is None:
                    continue
                await forget_member(session, registry, tenant_id, member_id)
        except Exception:
            _log.exception("could not forget departed member %s of tenant %s", member_id, tenant_id)
            continue
        forgotten[(tenant_id, days)] += 1
    for (tenant_id, days), count in forgotten.items():
        async with store.transaction() as session:
            await record_audit(
                session,
                tenant_id=tenant_id,
                actor=None,
                action="privacy retention",
                after={"forgotten": count, "retention_days": days},
                now=now,
            )
    total = sum(forgotten.values())
    if total:
        _log.info("forgot %s members who left more than their retention period ago", total)
    return total
