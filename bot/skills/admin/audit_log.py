"""Reading the audit log for ``admin audit`` (entries are written by ``ctx.audit``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import AuditEntry

_VALUE_LENGTH = 80


async def newest_entries(
    session: AsyncSession, tenant_id: int, limit: int
) -> tuple[list[AuditEntry], int]:
    """The ``limit`` newest entries of the tenant, newest first, and how many there are."""
    entries = list(
        await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.tenant_id == tenant_id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
    total = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    )
    return entries, int(total or 0)


def entry_line(entry: AuditEntry) -> str:
    """``when · who · what · target · before → after`` on one line."""
    parts = [f"{entry.created_at:%Y-%m-%d %H:%M}", entry.actor_name or "?", entry.action]
    if entry.target:
        parts.append(entry.target)
    if entry.before is not None or entry.after is not None:
        parts.append(f"{describe_value(entry.before)} → {describe_value(entry.after)}")
    return " · ".join(parts)


def describe_value(value: Any) -> str:
    """A stored before/after value as short readable text."""
    if value is None:
        return "—"
    if isinstance(value, str):
        text = value
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_flat(v)}" for k, v in value.items()) or "{}"
    elif isinstance(value, list):
        text = ", ".join(_flat(v) for v in value) or "[]"
    else:
        text = json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_LENGTH else text[: _VALUE_LENGTH - 1] + "…"


def _flat(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "/".join(_flat(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)
