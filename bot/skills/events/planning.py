"""An event's occurrences and the scheduled work each one gets: reminders to those going 24 h
and 15 min before, and "Did you attend?" when it ends. Each is a one-off schedule, claimed
once across processes like any scheduled work; the follow-up plans the next occurrence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.events import Invocation
from bot.core.replies import Button, ButtonStyle, Reply
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import cancel_schedules, create_schedule
from bot.scheduling.recurrence import Schedule, next_occurrence, once_at
from bot.skills.events.models import Event, EventAnswer
from bot.skills.events.timing import moment_for
from bot.storage.models.core import Member

REMIND_JOB = "events.remind"
REMINDERS = (("day", timedelta(hours=24)), ("soon", timedelta(minutes=15)))
AFTER = "after"
ANSWERS = {"going": "Going", "maybe": "Maybe", "no": "Not going"}


def owner(event_id: int) -> str:
    return f"event:{event_id}"


def schedule_of(event: Event, now: datetime) -> Schedule:
    return parse_schedule(event.rule, now=now, zone_key=event.zone)


def next_at(event: Event, after: datetime) -> datetime | None:
    return next_occurrence(schedule_of(event, after), event.zone, after)


def is_occurrence(event: Event, at: datetime) -> bool:
    return next_at(event, at - timedelta(seconds=1)) == at


def unix(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def from_unix(text: str) -> datetime:
    return datetime.fromtimestamp(int(text), UTC)


async def plan_occurrence(session: AsyncSession, event: Event, at: datetime, now: datetime) -> None:
    """The reminders still ahead of ``now`` and the follow-up, for the occurrence at ``at``."""
    moments = [(kind, at - before) for kind, before in REMINDERS]
    moments.append((AFTER, at + timedelta(minutes=event.duration_minutes)))
    for kind, moment in moments:
        if moment <= now:
            continue
        await create_schedule(
            session,
            tenant_id=event.tenant_id,
            job=REMIND_JOB,
            owner=f"{owner(event.id)}:{unix(at)}",
            schedule=once_at(moment),
            zone_key="UTC",
            payload={"event": str(event.id), "at": unix(at), "kind": kind},
            now=now,
        )


async def replan(session: AsyncSession, event: Event, now: datetime) -> datetime | None:
    """Drop the event's planned work and plan its next occurrence again (after a move)."""
    await cancel_schedules(session, event.tenant_id, owner(event.id))
    first = next_at(event, now)
    if first is not None:
        await plan_occurrence(session, event, first, now)
    return first


async def answered(
    session: AsyncSession,
    event: Event,
    *,
    at: datetime | None = None,
    answers: tuple[str, ...] = (),
) -> list[tuple[EventAnswer, str]]:
    """Answers (with the member's platform id) for one occurrence, or every one from ``at``
    when ``answers`` is empty and ``at`` is None."""
    query = (
        select(EventAnswer, Member.user_id)
        .join(Member, Member.id == EventAnswer.member_id)
        .where(EventAnswer.tenant_id == event.tenant_id, EventAnswer.event_id == event.id)
        .order_by(EventAnswer.id)
    )
    if at is not None:
        query = query.where(EventAnswer.occurrence_at == at)
    if answers:
        query = query.where(EventAnswer.answer.in_(answers))
    return [(row, user_id) for row, user_id in (await session.execute(query)).all()]


async def numbered(session: AsyncSession, tenant_id: int, number: int) -> Event | None:
    """The community's event number ``number`` (what members see and type)."""
    return await session.scalar(
        select(Event).where(Event.tenant_id == tenant_id, Event.number == number)
    )


def rsvp_buttons(event: Event, at: datetime) -> tuple[Button, ...]:
    def button(answer: str, style: ButtonStyle) -> Button:
        return Button(
            label=ANSWERS[answer],
            action=Invocation(
                command="event rsvp",
                args={"id": str(event.number), "at": unix(at), "answer": answer},
            ),
            style=style,
        )

    return (
        button("going", ButtonStyle.PRIMARY),
        button("maybe", ButtonStyle.DEFAULT),
        button("no", ButtonStyle.DEFAULT),
        Button(
            label="Add to calendar",
            action=Invocation(command="event ics", args={"id": str(event.number)}),
        ),
    )


def announcement(
    event: Event, at: datetime, *, recurring: bool, reader_zone: str | None = None
) -> Reply:
    """The event as a card with Going / Maybe / Not going, shown to each reader in their zone
    (where the platform cannot, in ``reader_zone``, else the event's)."""
    lines = [f"🗓 {moment_for(at, reader_zone or event.zone)} · {event.duration_minutes} min"]
    if recurring:
        lines.append(f"Repeats: {event.rule} ({event.zone}); answer for each meeting.")
    if event.description:
        lines.append(event.description)
    if event.link:
        lines.append(event.link)
    return Reply(
        title=event.title,
        text="\n".join(lines),
        footer=f"Event #{event.number} · event list shows what is coming",
        buttons=rsvp_buttons(event, at),
    )
