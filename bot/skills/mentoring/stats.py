"""Mentoring's figures in ``admin stats``: offers, requests, pairs made, acceptance rate.

Labels are ``LazyText`` in the mentoring domain: ``admin stats`` writes them in the reader's
language."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.models import MentorPair
from bot.core.i18n import lazy
from bot.core.stats import Figure, StatsPeriod, StatsSection, percent
from bot.skills.mentoring import records
from bot.skills.mentoring.models import MentorProposal


async def mentoring_stats(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection | None:
    pool = await records.pool(session, tenant_id, period.end)
    offers = len(pool.mentors)
    requests = len(pool.requests)
    pairs = await session.scalar(
        select(func.count())
        .select_from(MentorPair)
        .where(
            MentorPair.tenant_id == tenant_id,
            MentorPair.started_at > period.start,
            MentorPair.started_at <= period.end,
        )
    )
    proposals = list(
        await session.scalars(
            select(MentorProposal).where(
                MentorProposal.tenant_id == tenant_id,
                MentorProposal.created_at > period.start,
                MentorProposal.created_at <= period.end,
            )
        )
    )
    active = len(await records.active_pairs(session, tenant_id))
    if not (offers or requests or pairs or proposals or active):
        return None
    statuses = [records.status_of(p, period.end) for p in proposals]
    accepted = statuses.count(records.ACCEPTED)
    decided = accepted + statuses.count(records.DECLINED) + statuses.count(records.EXPIRED)
    return StatsSection(
        title=lazy("Mentoring"),
        figures=(
            Figure(label=lazy("Mentors with free places"), value=str(offers)),
            Figure(label=lazy("Mentees waiting"), value=str(requests)),
            Figure(label=lazy("Active pairs"), value=str(active)),
            Figure(label=lazy("Pairs made"), value=str(pairs or 0)),
            Figure(label=lazy("Proposals"), value=str(len(proposals))),
            Figure(
                label=lazy("Acceptance rate"),
                value=percent(accepted, decided),
                note=lazy(
                    "{accepted} of {decided} answered proposals", accepted=accepted, decided=decided
                ),
            ),
        ),
        order=30,
    )
