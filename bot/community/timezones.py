"""A member's time zone: their profile's, else the community's default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import Profile
from bot.storage.tenant_settings import get_setting

DEFAULT_ZONE_KEY = "checkins.default_timezone"
"""The community setting (declared by the check-ins skill) for members without a zone."""


async def default_zone(session: AsyncSession, tenant_id: int) -> str:
    value = await get_setting(session, tenant_id, DEFAULT_ZONE_KEY, "UTC")
    return value if isinstance(value, str) else "UTC"


async def member_zone(session: AsyncSession, tenant_id: int, member_id: int) -> str:
    own = await session.scalar(select(Profile.timezone).where(Profile.member_id == member_id))
    return own or await default_zone(session, tenant_id)
