"""Per-tenant configuration values (channels, welcome text, weights…), stored as JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import TenantSetting


async def get_setting(session: AsyncSession, tenant_id: int, key: str, default: Any = None) -> Any:
    value = await session.scalar(
        select(TenantSetting.value).where(
            TenantSetting.tenant_id == tenant_id, TenantSetting.key == key
        )
    )
    return default if value is None else value


async def set_setting(session: AsyncSession, tenant_id: int, key: str, value: Any) -> None:
    row = await session.get(TenantSetting, (tenant_id, key))
    if row is None:
        session.add(TenantSetting(tenant_id=tenant_id, key=key, value=value))
    else:
        row.value = value
    await session.flush()


async def clear_setting(session: AsyncSession, tenant_id: int, key: str) -> None:
    await session.execute(
        delete(TenantSetting).where(TenantSetting.tenant_id == tenant_id, TenantSetting.key == key)
    )


async def channel_for(session: AsyncSession, tenant_id: int, purpose: str) -> str | None:
    """The channel id assigned to ``purpose`` in this tenant, if any (purposes are declared in
    skills' manifests and assigned with ``admin channel <purpose> #channel``)."""
    value = await get_setting(session, tenant_id, f"channel.{purpose}")
    return value if isinstance(value, str) else None
