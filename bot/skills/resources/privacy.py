"""What the resources skill holds about a member, for ``privacy export`` and ``forget``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.skills.resources import library as lib


async def export_library(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    """The resources a member shared, rated and saved."""
    return await lib.member_contributions(session, tenant_id, member_id)


async def forget_library(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Ratings and saves go; shared resources stay, no longer naming the member."""
    await lib.forget_member(session, tenant_id, member_id)
