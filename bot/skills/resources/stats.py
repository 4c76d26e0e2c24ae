"""The library's figures in ``admin stats``: sharing, searching, and what people save."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import N_, LazyText
from bot.core.stats import Figure, StatsPeriod, StatsSection, bar_chart, percent
from bot.skills.resources.models import Resource, ResourceSave, ResourceSearch

TOP = 3
DOMAIN = "resources"
"""The section is shown by ``admin stats``: its words say which domain they are in."""


async def resource_stats(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection | None:
    shared = await _shared(session, tenant_id, period)
    earlier = await _shared(session, tenant_id, period.previous())
    searches = (
        await session.execute(
            select(ResourceSearch.terms, ResourceSearch.found).where(
                ResourceSearch.tenant_id == tenant_id,
                ResourceSearch.searched_at > period.start,
                ResourceSearch.searched_at <= period.end,
            )
        )
    ).all()
    missed = Counter(terms for terms, found in searches if not found and terms)
    unmatched = sum(1 for _, found in searches if not found)
    saved = (
        await session.execute(
            select(Resource.title, func.count())
            .join(ResourceSave, ResourceSave.resource_id == Resource.id)
            .where(
                ResourceSave.tenant_id == tenant_id,
                Resource.removed_at.is_(None),
                ResourceSave.saved_at > period.start,
                ResourceSave.saved_at <= period.end,
            )
            .group_by(Resource.id, Resource.title)
            .order_by(func.count().desc(), Resource.title)
            .limit(TOP)
        )
    ).all()
    if not (shared or earlier or searches or saved):
        return None
    figures = [
        Figure(
            label=LazyText(N_("Resources shared"), domain=DOMAIN),
            value=str(shared),
            note=LazyText(N_("previous period: {count}"), domain=DOMAIN, count=earlier),
        ),
        Figure(label=LazyText(N_("Searches"), domain=DOMAIN), value=str(len(searches))),
        Figure(
            label=LazyText(N_("Searches with no result"), domain=DOMAIN),
            value=str(unmatched),
            note=LazyText(
                N_("{percent} of searches"),
                domain=DOMAIN,
                percent=percent(unmatched, len(searches)),
            ),
        ),
    ]
    if saved:
        figures.append(
            Figure(
                label=LazyText(N_("Most saved"), domain=DOMAIN),
                value="; ".join(f"{title} ({n})" for title, n in saved),
            )
        )
    chart: tuple[str, ...] = ()
    if missed:
        chart = (
            LazyText(N_("Looked for but not found:"), domain=DOMAIN),
            *bar_chart(missed.most_common(5), width=12),
        )
    return StatsSection(
        title=LazyText(N_("Resources"), domain=DOMAIN),
        figures=tuple(figures),
        chart=chart,
        order=20,
    )


async def _shared(session: AsyncSession, tenant_id: int, period: StatsPeriod) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Resource)
        .where(
            Resource.tenant_id == tenant_id,
            Resource.removed_at.is_(None),
            Resource.created_at > period.start,
            Resource.created_at <= period.end,
        )
    )
    return int(count or 0)
