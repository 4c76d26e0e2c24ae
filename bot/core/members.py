"""Tenants and members: the identity every other table hangs off.

Every function takes the tenant id it works in; nothing here can return another tenant's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.events import TenantRef
from bot.core.roles import Role
from bot.storage.base import core_table
from bot.storage.member_cache import cache_of
from bot.storage.models import Member, Tenant
from bot.storage.upsert import insert_ignoring_conflicts


@dataclass(frozen=True, kw_only=True, slots=True)
class TenantInfo:
    id: int
    platform: str
    external_id: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class MemberInfo:
    id: int
    tenant_id: int
    user_id: str
    display_name: str
    granted_role: Role
    blocked: bool
    language: str | None = None
    """The language the member chose (``me language``)."""
    platform_locale: str | None = None
    """The locale their platform last reported, as sent (``pt-BR``)."""


SYSTEM_USER_ID = "staffroom"
"""The actor of scheduled work; it has no member row."""


def system_member(tenant_id: int) -> MemberInfo:
    """Staffroom itself, acting in a community (scheduled work)."""
    return MemberInfo(
        id=0,
        tenant_id=tenant_id,
        user_id=SYSTEM_USER_ID,
        display_name="Staffroom",
        granted_role=Role.ADMIN,
        blocked=False,
    )


# Hot-path statements use the table's Core columns: no ORM loading layer per call.
_members = core_table(Member).c
_MEMBER_COLUMNS = (
    _members.id,
    _members.tenant_id,
    _members.user_id,
    _members.display_name,
    _members.granted_role,
    _members.blocked_at,
    _members.language,
    _members.platform_locale,
)


def _member_info(row: tuple[Any, ...]) -> MemberInfo:
    return MemberInfo(
        id=row[0],
        tenant_id=row[1],
        user_id=row[2],
        display_name=row[3],
        granted_role=Role(row[4]),
        blocked=row[5] is not None,
        language=row[6],
        platform_locale=row[7],
    )


class TenantDirectory:
    """Finds or creates tenant rows, remembering the ids of committed ones (never renumbered)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], TenantInfo] = {}

    async def ensure(self, session: AsyncSession, ref: TenantRef, now: datetime) -> TenantInfo:
        key = (ref.platform, ref.external_id)
        cached = self._ids.get(key)
        if cached is not None and (not ref.name or cached.name == ref.name):
            return cached
        info = await self._load(session, ref)
        committed = info is not None
        if info is None:
            await insert_ignoring_conflicts(
                session,
                Tenant,
                {
                    "platform": ref.platform,
                    "external_id": ref.external_id,
                    "name": ref.name[:200],
                    "created_at": now,
                },
            )
            info = await self._load(session, ref)
            assert info is not None
        if ref.name and info.name != ref.name[:200]:
            await session.execute(
                update(Tenant).where(Tenant.id == info.id).values(name=ref.name[:200])
            )
            info = TenantInfo(
                id=info.id, platform=info.platform, external_id=info.external_id, name=ref.name
            )
        if committed:  # a row this transaction created may still be rolled back
            self._ids[key] = info
        return info

    async def _load(self, session: AsyncSession, ref: TenantRef) -> TenantInfo | None:
        row = (
            await session.execute(
                select(Tenant.id, Tenant.name).where(
                    Tenant.platform == ref.platform, Tenant.external_id == ref.external_id
                )
            )
        ).first()
        if row is None:
            return None
        return TenantInfo(
            id=row[0], platform=ref.platform, external_id=ref.external_id, name=row[1]
        )


_BY_USER_ID = select(*_MEMBER_COLUMNS).where(
    _members.tenant_id == bindparam("tenant_id"), _members.user_id == bindparam("user_id")
)


async def find_member(session: AsyncSession, tenant_id: int, user_id: str) -> MemberInfo | None:
    cache = cache_of(session.sync_session)
    if cache is not None and isinstance(cached := cache.get(tenant_id, user_id), MemberInfo):
        return cached
    row = (await session.execute(_BY_USER_ID, {"tenant_id": tenant_id, "user_id": user_id})).first()
    if row is None:
        return None
    info = _member_info(tuple(row))
    if cache is not None:
        cache.put(info)
    return info


async def find_member_by_id(
    session: AsyncSession, tenant_id: int, member_id: int
) -> MemberInfo | None:
    row = (
        await session.execute(
            select(*_MEMBER_COLUMNS).where(Member.tenant_id == tenant_id, Member.id == member_id)
        )
    ).first()
    return _member_info(tuple(row)) if row else None


_BY_NAME = (
    select(*_MEMBER_COLUMNS)
    .where(
        _members.tenant_id == bindparam("tenant_id"),
        (func.lower(_members.user_id) == bindparam("name"))
        | (func.lower(_members.display_name) == bindparam("name")),
    )
    .order_by(_members.id)
    .limit(1)
)


async def find_member_by_name(
    session: AsyncSession, tenant_id: int, name: str
) -> MemberInfo | None:
    """A member whose platform id or display name is ``name`` (case-insensitive)."""
    row = (await session.execute(_BY_NAME, {"tenant_id": tenant_id, "name": name.lower()})).first()
    return _member_info(tuple(row)) if row else None


async def ensure_member(
    session: AsyncSession,
    tenant_id: int,
    user_id: str,
    now: datetime,
    *,
    display_name: str = "",
) -> MemberInfo:
    """Find the member, creating the row on first sight and refreshing a changed name."""
    display_name = display_name[:100]
    info = await find_member(session, tenant_id, user_id)
    if info is None:
        await insert_ignoring_conflicts(
            session,
            Member,
            {
                "tenant_id": tenant_id,
                "user_id": user_id,
                "display_name": display_name,
                "granted_role": int(Role.MEMBER),
                "created_at": now,
            },
        )
        info = await find_member(session, tenant_id, user_id)
        assert info is not None
    elif display_name and info.display_name != display_name:
        await session.execute(
            update(Member).where(Member.id == info.id).values(display_name=display_name)
        )
        info = replace(info, display_name=display_name)
    return info


async def record_membership(
    session: AsyncSession, member_id: int, *, joined_at: datetime | None, left_at: datetime | None
) -> None:
    """Note a join (clears any earlier leave) or a leave."""
    values: dict[str, datetime | None] = {}
    if joined_at is not None:
        values = {"joined_at": joined_at, "left_at": None}
    if left_at is not None:
        values = {"left_at": left_at}
    if values:
        await session.execute(update(Member).where(Member.id == member_id).values(**values))
