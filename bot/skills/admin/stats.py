"""``admin stats``: every installed skill's figures for one period, and the membership figures
that come from the foundation's own tables (joins, departures, intros)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.community.models import Profile
from bot.core.commands import Registry
from bot.core.stats import Figure, StatsPeriod, StatsSection, bar_chart, percent
from bot.storage.models import Member

PERIODS = ("7d", "30d", "90d")


async def build_report(
    session: AsyncSession, registry: Registry, tenant_id: int, period: StatsPeriod
) -> list[StatsSection]:
    """Every provider's section for ``period``, in their declared order."""
    sections = []
    for provider in registry.stats_providers:
        section = await provider(session, tenant_id, period)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: (s.order, s.title))


def render_report(sections: list[StatsSection], period: StatsPeriod) -> tuple[str, str]:
    """The report's title and text."""
    title = (
        f"Community stats, last {period.days} days ({period.start:%d %b} – {period.end:%d %b %Y})"
    )
    lines: list[str] = []
    for section in sections:
        lines.append(f"\n{section.title}")
        for figure in section.figures:
            note = f" ({figure.note})" if figure.note else ""
            lines.append(f"  {figure.label}: {figure.value}{note}")
        lines += [f"    {line}" for line in section.chart]
    if not sections:
        lines.append("No skill has figures to show yet.")
    return title, "\n".join(lines).strip("\n")


async def membership_section(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection:
    """New members, departures and intros, with a chart of joins through the period."""
    joins: list[datetime] = [
        moment
        for moment in await session.scalars(
            select(Member.joined_at).where(
                Member.tenant_id == tenant_id,
                Member.joined_at > period.start,
                Member.joined_at <= period.end,
            )
        )
        if moment is not None
    ]
    earlier = await _count(session, tenant_id, Member.joined_at, period.previous())
    left = await _count(session, tenant_id, Member.left_at, period)
    current = await session.scalar(
        select(func.count()).where(Member.tenant_id == tenant_id, Member.left_at.is_(None))
    )
    blocked = await session.scalar(
        select(func.count()).where(Member.tenant_id == tenant_id, Member.blocked_at.is_not(None))
    )
    newcomers_with_intro = await session.scalar(
        select(func.count())
        .select_from(Member)
        .join(Profile, Profile.member_id == Member.id)
        .where(
            Member.tenant_id == tenant_id,
            Member.joined_at > period.start,
            Member.joined_at <= period.end,
            Profile.completed_at.is_not(None),
        )
    )
    intros = await session.scalar(
        select(func.count()).where(
            Profile.tenant_id == tenant_id,
            Profile.completed_at > period.start,
            Profile.completed_at <= period.end,
        )
    )
    new = len(joins)
    figures = (
        Figure(label="New members", value=str(new), note=f"previous {period.days} days: {earlier}"),
        Figure(
            label="Newcomers who completed their intro",
            value=f"{newcomers_with_intro or 0} of {new}",
            note=percent(newcomers_with_intro or 0, new),
        ),
        Figure(label="Intros completed by anyone", value=str(intros or 0)),
        Figure(label="Members who left", value=str(left)),
        Figure(label="Members now", value=str(current or 0), note=f"{blocked or 0} blocked"),
    )
    heading = "Joins per day:" if period.by_day else "Joins per week (weeks from Monday):"
    chart = (heading, *bar_chart(_labelled(period, joins), width=16))
    return StatsSection(title="Members", figures=figures, chart=chart if new else (), order=0)


async def _count(
    session: AsyncSession,
    tenant_id: int,
    moment: InstrumentedAttribute[datetime | None],
    period: StatsPeriod,
) -> int:
    """Members of the tenant whose ``moment`` (joined, left…) falls in ``period``."""
    found = await session.scalar(
        select(func.count()).where(
            Member.tenant_id == tenant_id, moment > period.start, moment <= period.end
        )
    )
    return int(found or 0)


def _labelled(period: StatsPeriod, moments: list[datetime]) -> list[tuple[str, int]]:
    style = "%a %d" if period.by_day else "%d %b"
    return [(f"{start:{style}}", count) for start, count in period.count_by_bucket(moments)]
