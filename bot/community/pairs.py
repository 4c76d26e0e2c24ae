"""Mentor pairs as an audience: written by the mentoring skill, read by others (check-ins
can go to every active pair)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import MentorPair


def is_active() -> ColumnElement[bool]:
    """A pair that has not ended; a pair missing a side (erased) has ended too."""
    return and_(
        MentorPair.ended_at.is_(None),
        MentorPair.mentor_member_id.is_not(None),
        MentorPair.mentee_member_id.is_not(None),
    )


async def mentor_pairs(session: AsyncSession, tenant_id: int) -> list[tuple[int, int]]:
    """Every active pair of the tenant as (mentor member id, mentee member id)."""
    rows = await session.execute(
        select(MentorPair.mentor_member_id, MentorPair.mentee_member_id)
        .where(MentorPair.tenant_id == tenant_id, is_active())
        .order_by(MentorPair.id)
    )
    return [(int(mentor), int(mentee)) for mentor, mentee in rows if mentor and mentee]
