"""Which language to speak to whom: the member's choice, then their platform's locale, then
the community's default (``admin config language``), then English."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import SOURCE_LANGUAGE, supported_language
from bot.core.members import MemberInfo
from bot.storage.member_cache import cache_of
from bot.storage.models import Member
from bot.storage.tenant_settings import get_setting

COMMUNITY_LANGUAGE = "language"
"""The tenant setting holding the community's default language (channel posts too)."""


async def community_language(session: AsyncSession, tenant_id: int) -> str:
    """The community's default language (cached while one process owns the store)."""
    cache = cache_of(session.sync_session)
    if cache is not None and (cached := cache.community_languages.get(tenant_id)) is not None:
        return cached
    value = await get_setting(session, tenant_id, COMMUNITY_LANGUAGE)
    language = supported_language(value if isinstance(value, str) else None) or SOURCE_LANGUAGE
    if cache is not None:
        cache.community_languages[tenant_id] = language
    return language


def own_language(member: MemberInfo) -> str | None:
    """The member's language when it does not depend on their community."""
    return member.language or supported_language(member.platform_locale)


async def language_of(session: AsyncSession, member: MemberInfo) -> str:
    """The language to write to ``member`` in (DMs, private answers)."""
    return own_language(member) or await community_language(session, member.tenant_id)


async def choose_language(session: AsyncSession, member: MemberInfo, language: str | None) -> None:
    """Store the member's choice (``None`` goes back to the platform's or community's)."""
    await session.execute(update(Member).where(Member.id == member.id).values(language=language))


async def note_platform_locale(
    session: AsyncSession, member: MemberInfo, locale: str
) -> MemberInfo:
    """Remember the locale the platform reported, when it changed (a write only then)."""
    locale = locale[:16]
    if not locale or locale == member.platform_locale:
        return member
    await session.execute(
        update(Member).where(Member.id == member.id).values(platform_locale=locale)
    )
    return replace(member, platform_locale=locale)
