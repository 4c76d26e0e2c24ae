"""What the events skill keeps about a member (``privacy export``/``forget``) and its section
of ``admin stats``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.stats import Figure, StatsPeriod, StatsSection, percent
from bot.scheduling.jobs import cancel_schedules
from bot.skills.events.models import Booking, Event, EventAnswer, OfficeHours


async def export_events(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    """Their answers (with attendance and rating), events organised, office hours, bookings."""
    answers = await session.execute(
        select(EventAnswer, Event.title)
        .join(Event, Event.id == EventAnswer.event_id)
        .where(EventAnswer.tenant_id == tenant_id, EventAnswer.member_id == member_id)
        .order_by(EventAnswer.id)
    )
    organised = await session.scalars(
        select(Event)
        .where(Event.tenant_id == tenant_id, Event.organiser_id == member_id)
        .order_by(Event.id)
    )
    hours = await session.scalars(
        select(OfficeHours)
        .where(OfficeHours.tenant_id == tenant_id, OfficeHours.host_id == member_id)
        .order_by(OfficeHours.id)
    )
    bookings = await session.scalars(
        select(Booking)
        .where(Booking.tenant_id == tenant_id, Booking.member_id == member_id)
        .order_by(Booking.id)
    )
    return {
        "event_answers": [
            {
                "event": title,
                "occurrence": row.occurrence_at.isoformat(),
                "answer": row.answer,
                "attended": row.attended,
                "rating": row.rating,
            }
            for row, title in answers.all()
        ],
        "events_organised": [
            {"title": e.title, "schedule": e.rule, "zone": e.zone, "link": e.link}
            for e in organised
        ],
        "office_hours": [
            {"schedule": h.rule, "zone": h.zone, "minutes": h.duration_minutes, "topic": h.topic}
            for h in hours
        ],
        "office_hour_bookings": [{"slot": b.slot_at.isoformat()} for b in bookings],
    }


async def forget_events(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Their answers, office hours (with their bookings) and bookings go; events they organised
    stay for the others, without an organiser."""
    bookings = list(
        await session.scalars(
            select(Booking.id).where(Booking.tenant_id == tenant_id, Booking.member_id == member_id)
        )
    )
    hours = list(
        await session.scalars(
            select(OfficeHours.id).where(
                OfficeHours.tenant_id == tenant_id, OfficeHours.host_id == member_id
            )
        )
    )
    bookings += list(
        await session.scalars(select(Booking.id).where(Booking.office_hours_id.in_(hours)))
    )
    for booking_id in bookings:
        await cancel_schedules(session, tenant_id, f"booking:{booking_id}")
    await session.execute(delete(Booking).where(Booking.id.in_(bookings)))
    await session.execute(delete(OfficeHours).where(OfficeHours.id.in_(hours)))
    await session.execute(
        delete(EventAnswer).where(
            EventAnswer.tenant_id == tenant_id, EventAnswer.member_id == member_id
        )
    )
    await session.execute(
        update(Event)
        .where(Event.tenant_id == tenant_id, Event.organiser_id == member_id)
        .values(organiser_id=None)
    )


async def events_stats(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection | None:
    def within(column: Any) -> Any:
        return (column > period.start) & (column <= period.end)

    created = await session.scalar(
        select(func.count())
        .select_from(Event)
        .where(Event.tenant_id == tenant_id, within(Event.created_at))
    )
    held = list(
        (
            await session.execute(
                select(EventAnswer.answer, EventAnswer.attended, EventAnswer.rating).where(
                    EventAnswer.tenant_id == tenant_id, within(EventAnswer.occurrence_at)
                )
            )
        ).all()
    )
    bookings = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(Booking.tenant_id == tenant_id, within(Booking.slot_at))
    )
    if not (created or held or bookings):
        return None
    going = sum(1 for answer, _, _ in held if answer == "going")
    attended = sum(1 for _, came, _ in held if came)
    ratings = [rating for _, _, rating in held if rating]
    average = f"{sum(ratings) / len(ratings):.1f} / 5" if ratings else "—"
    return StatsSection(
        title="Events and office hours",
        figures=(
            Figure(label="Events created", value=str(created or 0)),
            Figure(label="Answered going", value=str(going)),
            Figure(
                label="Said they attended",
                value=str(attended),
                note=f"{percent(attended, going)} of those going",
            ),
            Figure(label="Usefulness", value=average, note=f"{len(ratings)} ratings"),
            Figure(label="Office-hour slots booked", value=str(bookings or 0)),
        ),
        order=60,
    )
