"""Writing audit entries (reading and listing them belongs to the admin skill)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.members import MemberInfo
from bot.storage.models import AuditEntry


async def record_audit(
    session: AsyncSession,
    *,
    tenant_id: int,
    actor: MemberInfo | None,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
    now: datetime,
) -> None:
    """Add one entry; ``actor`` is None for the system (scheduled work)."""
    session.add(
        AuditEntry(
            tenant_id=tenant_id,
            actor_member_id=actor.id if actor else None,
            actor_name=(actor.display_name or actor.user_id) if actor else "Staffroom",
            action=action[:64],
            target=target[:200],
            before=before,
            after=after,
            created_at=now,
        )
    )
