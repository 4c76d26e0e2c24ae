"""Answers to an event: Going / Maybe / Not going per occurrence, the reminders to those going,
and afterwards "Did you attend?" and one question: how useful was it?"""

from __future__ import annotations

from sqlalchemy import select

from bot.community.timezones import member_zone
from bot.core.commands import JobRun, Param, ParamKind, command, scheduled
from bot.core.context import Context
from bot.core.errors import NotFound, UsageError
from bot.core.events import Invocation
from bot.core.parsing import Args
from bot.core.replies import Button, Reply, TimeStyle, timestamp
from bot.skills.events.models import Event, EventAnswer
from bot.skills.events.planning import (
    AFTER,
    ANSWERS,
    REMIND_JOB,
    announcement,
    answered,
    from_unix,
    is_occurrence,
    next_at,
    numbered,
    plan_occurrence,
    unix,
)
from bot.skills.events.timing import moment_for

_IN = {"day": "in 24 hours", "soon": "in 15 minutes"}
_OCCURRENCE = [
    Param(name="id", kind=ParamKind.INT, minimum=1),
    Param(name="at", kind=ParamKind.INT, minimum=0, maximum=10**11),
]


async def _occurrence(ctx: Context, args: Args) -> tuple[Event, EventAnswer | None]:
    event = await numbered(ctx.session, ctx.tenant.id, args.integer("id") or 0)
    at = from_unix(str(args.integer("at") or 0))
    if (
        event is None
        or event.tenant_id != ctx.tenant.id
        or event.cancelled_at is not None
        or not is_occurrence(event, at)
    ):
        raise NotFound("That event is no longer planned. `event list` shows what is coming.")
    row = await ctx.session.scalar(
        select(EventAnswer).where(
            EventAnswer.tenant_id == ctx.tenant.id,
            EventAnswer.event_id == event.id,
            EventAnswer.occurrence_at == at,
            EventAnswer.member_id == ctx.member.id,
        )
    )
    return event, row


@command(
    "event rsvp",
    summary="Answer an event: going, maybe or no.",
    params=[*_OCCURRENCE, Param(name="answer", kind=ParamKind.CHOICE, choices=tuple(ANSWERS))],
    hidden=True,
)
async def event_rsvp(ctx: Context, args: Args) -> Reply:
    event, row = await _occurrence(ctx, args)
    at = from_unix(str(args.integer("at")))
    if at <= ctx.now():
        raise UsageError(f"{event.title} has already started.")
    answer = args.require_text("answer")
    if row is None:
        row = EventAnswer(
            tenant_id=ctx.tenant.id,
            event_id=event.id,
            occurrence_at=at,
            member_id=ctx.member.id,
            answer=answer,
            answered_at=ctx.now(),
        )
        ctx.session.add(row)
    row.answer, row.answered_at = answer, ctx.now()
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    when = moment_for(at, zone_key)
    text = {
        "going": f"You're going to {event.title} on {when}. "
        "I'll remind you 24 hours and 15 minutes before.",
        "maybe": f"Maybe for {event.title} on {when}; answer Going if you decide to come.",
        "no": f"Not going to {event.title} on {when}. Thanks for saying.",
    }[answer]
    return Reply(text=text, private=True)


@command(
    "event attended",
    summary="Say whether you attended an event.",
    params=[*_OCCURRENCE, Param(name="answer", kind=ParamKind.CHOICE, choices=("yes", "no"))],
    hidden=True,
)
async def event_attended(ctx: Context, args: Args) -> Reply:
    event, row = await _occurrence(ctx, args)
    if row is None:
        raise NotFound("You didn't answer that event.")
    row.attended = args.require_text("answer") == "yes"
    if not row.attended:
        return Reply(text="Thanks — maybe next time.", private=True)
    rate = Invocation(
        command="event rate", args={"id": str(event.number), "at": unix(row.occurrence_at)}
    )
    return Reply(
        text=f"Glad you came. One question: how useful was {event.title}? (1 = not at all, "
        "5 = very)",
        buttons=tuple(
            Button(label=str(n), action=rate.with_args({"rating": str(n)})) for n in range(1, 6)
        ),
        private=True,
    )


@command(
    "event rate",
    summary="Say how useful an event was, 1 to 5.",
    params=[*_OCCURRENCE, Param(name="rating", kind=ParamKind.INT, minimum=1, maximum=5)],
    hidden=True,
)
async def event_rate(ctx: Context, args: Args) -> Reply:
    _event, row = await _occurrence(ctx, args)
    if row is None or not row.attended:
        raise NotFound("Say first that you attended it.")
    row.rating = args.integer("rating")
    return Reply(text="Thank you — the organisers will see it.", private=True)


@scheduled(REMIND_JOB)
async def remind(ctx: Context, run: JobRun) -> None:
    """A reminder to those going, or the follow-up (and the next occurrence's plan)."""
    event = await ctx.session.get(Event, int(run.payload["event"]))
    if event is None or event.tenant_id != ctx.tenant.id or event.cancelled_at is not None:
        return
    at = from_unix(run.payload["at"])
    kind = run.payload["kind"]
    if kind != AFTER:
        for row, user_id in await answered(ctx.session, event, at=at, answers=("going",)):
            zone_key = await member_zone(ctx.session, ctx.tenant.id, row.member_id)
            soon = timestamp(at, fallback=_IN[kind], style=TimeStyle.RELATIVE)
            text = f"⏰ {event.title} starts {soon}: {moment_for(at, zone_key)}."
            await ctx.send_dm(user_id, text + (f"\n{event.link}" if event.link else ""))
        return
    for _row, user_id in await answered(ctx.session, event, at=at, answers=("going", "maybe")):
        attended = Invocation(
            command="event attended", args={"id": str(event.number), "at": unix(at)}
        )
        await ctx.send_dm(
            user_id,
            Reply(
                text=f"Did you attend {event.title}?",
                buttons=(
                    Button(label="Yes", action=attended.with_args({"answer": "yes"})),
                    Button(label="No", action=attended.with_args({"answer": "no"})),
                ),
            ),
        )
    following = next_at(event, at)
    if following is not None:
        await plan_occurrence(ctx.session, event, following, ctx.now())
        if event.channel_id:
            await ctx.post(event.channel_id, announcement(event, following, recurring=True))
