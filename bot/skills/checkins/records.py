"""What check-ins keep about a member (answers, mutes), for ``privacy export``/``forget``, and
the figures for ``admin stats``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import LazyText
from bot.core.stats import Figure, StatsPeriod, StatsSection, percent
from bot.skills.checkins.models import Checkin, CheckinMute, CheckinPrompt


async def export_checkins(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    rows = await session.execute(
        select(Checkin.title, CheckinPrompt)
        .join(Checkin, Checkin.id == CheckinPrompt.checkin_id)
        .where(CheckinPrompt.tenant_id == tenant_id, CheckinPrompt.member_id == member_id)
        .order_by(CheckinPrompt.sent_at)
    )
    muted = await session.scalars(
        select(Checkin.title)
        .join(CheckinMute, CheckinMute.checkin_id == Checkin.id)
        .where(CheckinMute.tenant_id == tenant_id, CheckinMute.member_id == member_id)
    )
    return {
        "checkin_answers": [
            {
                "checkin": title,
                "round": prompt.round_key,
                "sent_at": prompt.sent_at.isoformat(),
                "answered_at": prompt.answered_at.isoformat() if prompt.answered_at else None,
                "skipped": prompt.skipped,
                "answers": list(prompt.answers or []),
            }
            for title, prompt in rows.all()
        ],
        "checkins_muted": list(muted),
    }


DOMAIN = "checkins"
"""Where the words of ``admin stats`` figures are (they are translated where shown)."""


async def forget_checkins(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    await session.execute(
        delete(CheckinPrompt).where(
            CheckinPrompt.tenant_id == tenant_id, CheckinPrompt.member_id == member_id
        )
    )
    await session.execute(
        delete(CheckinMute).where(
            CheckinMute.tenant_id == tenant_id, CheckinMute.member_id == member_id
        )
    )


async def checkin_stats(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection | None:
    sent, answered = await _counts(session, tenant_id, period)
    if not sent:
        return None
    before_sent, before_answered = await _counts(session, tenant_id, period.previous())
    return StatsSection(
        title=LazyText("Check-ins", domain=DOMAIN),
        order=40,
        figures=(
            Figure(
                label=LazyText("Check-ins sent", domain=DOMAIN),
                value=str(sent),
                note=LazyText("previous: {value}", domain=DOMAIN, value=before_sent),
            ),
            Figure(
                label=LazyText("Response rate", domain=DOMAIN),
                value=percent(answered, sent),
                note=LazyText(
                    "previous: {value}",
                    domain=DOMAIN,
                    value=percent(before_answered, before_sent),
                ),
            ),
        ),
    )


async def _counts(session: AsyncSession, tenant_id: int, period: StatsPeriod) -> tuple[int, int]:
    row = (
        await session.execute(
            select(func.count(), func.count(CheckinPrompt.answered_at)).where(
                CheckinPrompt.tenant_id == tenant_id,
                CheckinPrompt.sent_at > period.start,
                CheckinPrompt.sent_at <= period.end,
            )
        )
    ).one()
    return int(row[0]), int(row[1])
