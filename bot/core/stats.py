"""Engagement figures each skill contributes to ``admin stats``.

A skill lists one provider per section of the report in its manifest (``Skill(stats=...)``):

    async def resource_stats(session, tenant_id, period) -> StatsSection | None: ...

The registry collects them at start-up and ``admin stats`` calls every one, so a new skill's
figures appear without touching the admin skill. Providers count only rows of ``tenant_id``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, kw_only=True, slots=True)
class StatsPeriod:
    """The window a report covers: the ``days`` up to ``end`` (now), written (start, end] —
    a moment at ``end`` counts, one at ``start`` belongs to the previous window."""

    end: datetime
    days: int

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)

    @property
    def label(self) -> str:
        return f"{self.days}d"

    def previous(self) -> StatsPeriod:
        """The window of the same length just before this one (for comparisons)."""
        return StatsPeriod(end=self.start, days=self.days)

    @property
    def by_day(self) -> bool:
        """Charts of a week or less show days; longer ones show weeks."""
        return self.days <= 7

    def buckets(self) -> list[tuple[datetime, datetime]]:
        """Calendar slices (UTC) covering the window, for a chart: days, or weeks starting on
        Monday. The first and the last slice may be cut short by the window."""
        first = self.start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        step = timedelta(days=1)
        if not self.by_day:
            first -= timedelta(days=first.weekday())
            step = timedelta(days=7)
        buckets = []
        while first <= self.end:
            buckets.append((first, first + step))
            first += step
        return buckets

    def count_by_bucket(self, moments: Iterable[datetime]) -> list[tuple[datetime, int]]:
        """How many of ``moments`` inside the window fall in each slice, by the slice's start."""
        buckets = self.buckets()
        counts = [0] * len(buckets)
        for moment in moments:
            if not self.start < moment <= self.end:
                continue
            for index, (low, high) in enumerate(buckets):
                if low <= moment < high:
                    counts[index] += 1
                    break
        return [(low, count) for (low, _), count in zip(buckets, counts, strict=True)]


@dataclass(frozen=True, kw_only=True, slots=True)
class Figure:
    label: str
    value: str
    note: str = ""
    """Context shown after the value, such as "previous 30 days: 12"."""


@dataclass(frozen=True, kw_only=True, slots=True)
class StatsSection:
    title: str
    figures: tuple[Figure, ...]
    chart: tuple[str, ...] = ()
    """Lines of a small text chart, printed under the figures."""
    order: int = 100
    """Sections are listed by ``order``, then title."""


StatsProvider = Callable[[AsyncSession, int, StatsPeriod], Awaitable[StatsSection | None]]
"""(session, tenant id, period) → one section of the report, or None when it has nothing."""


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage, or "—" when there is no whole."""
    if whole <= 0:
        return "—"
    return f"{round(100 * part / whole)}%"


def sparkline(values: Sequence[int]) -> str:
    """One character per value, taller for larger values (``▁▃█``)."""
    if not values:
        return ""
    top = max(values)
    if top <= 0:
        return _BARS[0] * len(values)
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] for v in values)


def bar_chart(rows: Sequence[tuple[str, int]], *, width: int = 20) -> tuple[str, ...]:
    """Labelled horizontal bars scaled to the largest value, each line ending in its count."""
    if not rows:
        return ()
    top = max(value for _, value in rows)
    pad = max(len(label) for label, _ in rows)
    lines = []
    for label, value in rows:
        length = round(value / top * width) if top > 0 else 0
        bar = "█" * length if length or not value else "▏"
        lines.append(f"{label.ljust(pad)} │{bar} {value}")
    return tuple(lines)
