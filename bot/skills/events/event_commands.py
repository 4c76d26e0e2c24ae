"""Events: ``event create``, ``event list``, ``event ics``, ``event move``, ``event cancel``.

Times are read in the zone named after the date (else the organiser's own); every reader sees
them in theirs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from bot.community.timezones import member_zone
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import NotFound, PermissionDenied, UsageError
from bot.core.parsing import Args
from bot.core.replies import Attachment, Reply
from bot.core.roles import Role
from bot.core.tenant_config import TenantSettingSpec
from bot.core.timezones import UnknownTimeZone, parse_timezone
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import cancel_schedules
from bot.scheduling.recurrence import BadSchedule, Schedule
from bot.skills.events.calendar import event_calendar
from bot.skills.events.models import Event
from bot.skills.events.planning import (
    announcement,
    answered,
    next_at,
    numbered,
    owner,
    plan_occurrence,
    replan,
    rsvp_buttons,
    schedule_of,
)
from bot.skills.events.timing import moment_for, parse_duration
from bot.storage.numbering import next_number
from bot.storage.tenant_settings import channel_for, get_setting

CREATE_USAGE = 'event create "title" <when> [zone] <duration> [link] [description]'
MEMBERS_CREATE_KEY = "events.members_can_create"
MAX_DURATION = 12 * 60
MAX_LISTED = 15


def _yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in {"yes", "on", "true"}:
        return True
    if word in {"no", "off", "false"}:
        return False
    raise ValueError("Say yes or no.")


SETTINGS = (
    TenantSettingSpec(
        key=MEMBERS_CREATE_KEY,
        summary="Whether members (not only moderators) may create events (yes or no).",
        default=False,
        parse=_yes_no,
    ),
)


def read_when(words: list[str], *, now: datetime, default_zone: str) -> tuple[Schedule, str]:
    """A schedule, then optionally a time zone: ``2027-01-14 16:00 Europe/London``."""
    zone_key = default_zone
    if len(words) > 2:
        try:
            zone_key = parse_timezone(words[-1])
            words = words[:-1]
        except UnknownTimeZone:
            zone_key = default_zone
    try:
        return parse_schedule(" ".join(words), now=now, zone_key=zone_key), zone_key
    except BadSchedule as exc:
        raise UsageError(str(exc), usage=CREATE_USAGE) from None


def _split_details(text: str) -> tuple[list[str], int, str, str]:
    words = text.split()
    for index, word in enumerate(words):
        minutes = parse_duration(word)
        if minutes is not None and index > 0:
            rest = words[index + 1 :]
            link = rest.pop(0) if rest and rest[0].startswith(("https://", "http://")) else ""
            return words[:index], minutes, link, " ".join(rest)
    raise UsageError(
        "Say when and for how long: `2027-01-14 16:00 Europe/London 60m`.", usage=CREATE_USAGE
    )


async def find_event(ctx: Context, event_id: int | None) -> Event:
    event = await numbered(ctx.session, ctx.tenant.id, event_id) if event_id else None
    if event is None or event.tenant_id != ctx.tenant.id or event.cancelled_at is not None:
        raise NotFound(f"There is no event #{event_id}. `event list` shows what is coming.")
    return event


def _check_organiser(ctx: Context, event: Event) -> None:
    if event.organiser_id != ctx.member.id and ctx.role < Role.MODERATOR:
        raise PermissionDenied("Only the organiser or a moderator can change this event.")


@command(
    "event create",
    summary="Create an event; members answer Going / Maybe / Not going.",
    params=[
        Param(name="title", kind=ParamKind.QUOTED, max_length=200),
        Param(
            name="details",
            kind=ParamKind.TEXT,
            max_length=1500,
            help="when [zone] duration [link] [description]",
        ),
    ],
    examples=(
        'event create "Formative assessment webinar" 2027-01-14 16:00 Europe/London 60m '
        "https://meet.example/fa Bring one exit ticket",
        'event create "Monthly meetup" first tuesday of the month 17:00 Europe/Paris 45m',
    ),
)
async def event_create(ctx: Context, args: Args) -> Reply:
    if ctx.role < Role.MODERATOR and not await get_setting(
        ctx.session, ctx.tenant.id, MEMBERS_CREATE_KEY, False
    ):
        raise PermissionDenied("Only moderators can create events in this community.")
    title = args.require_text("title").strip()
    if not title:
        raise UsageError("Give the event a title in quotes.", usage=CREATE_USAGE)
    when, minutes, link, description = _split_details(args.text("details") or "")
    if not 5 <= minutes <= MAX_DURATION:
        raise UsageError("An event lasts from 5 minutes to 12 hours.", usage=CREATE_USAGE)
    own_zone = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    schedule, zone_key = read_when(when, now=ctx.now(), default_zone=own_zone)
    place = ctx.event.place
    channel = await channel_for(ctx.session, ctx.tenant.id, "events")
    event = Event(
        tenant_id=ctx.tenant.id,
        number=await next_number(ctx.session, ctx.tenant.id, "event"),
        organiser_id=ctx.member.id,
        title=title,
        description=description[:1000],
        link=link[:500],
        rule=schedule.text(),
        zone=zone_key,
        duration_minutes=minutes,
        channel_id=channel or ("" if place.is_dm else place.channel_id),
        created_at=ctx.now(),
    )
    first = next_at(event, ctx.now())
    if first is None:
        raise UsageError("That time has already passed; pick one in the future.")
    ctx.session.add(event)
    await ctx.session.flush()
    await plan_occurrence(ctx.session, event, first, ctx.now())
    card = announcement(event, first, recurring=schedule.recurring)
    if channel:
        await ctx.post(channel, card)
        return Reply(text=f"Event #{event.number} is announced in <#{channel}>.", private=True)
    return card


@command("event list", summary="What is coming: the next events and your answers.")
async def event_list(ctx: Context, args: Args) -> Reply:
    events = list(
        await ctx.session.scalars(
            select(Event).where(Event.tenant_id == ctx.tenant.id, Event.cancelled_at.is_(None))
        )
    )
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    coming = sorted(
        ((at, event) for event in events if (at := next_at(event, ctx.now())) is not None),
        key=lambda pair: pair[0],
    )[:MAX_LISTED]
    if not coming:
        return Reply(text="Nothing is planned yet.", private=True)
    lines = []
    for at, event in coming:
        mine = [
            row.answer
            for row, _ in await answered(ctx.session, event, at=at)
            if row.member_id == ctx.member.id
        ]
        going = len(await answered(ctx.session, event, at=at, answers=("going",)))
        answer = f" · you: {mine[0]}" if mine else ""
        lines.append(
            f"#{event.number} {moment_for(at, zone_key)} — {event.title} ({going} going){answer}"
        )
    return Reply(
        title="Coming up",
        text="\n".join(lines),
        footer="event show <id> to answer · event ics <id> gives a calendar file",
        private=True,
    )


@command(
    "event show",
    summary="An event's next meeting, to answer Going / Maybe / Not going.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1)],
    examples=("event show 1",),
)
async def event_show(ctx: Context, args: Args) -> Reply:
    event = await find_event(ctx, args.integer("id"))
    first = next_at(event, ctx.now())
    if first is None:
        raise NotFound(f"Event #{event.number} is over.")
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    card = announcement(
        event, first, recurring=schedule_of(event, ctx.now()).recurring, reader_zone=zone_key
    )
    return replace(card, private=True)


@command(
    "event ics",
    summary="An event as a calendar file (.ics) for your calendar app.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1)],
    examples=("event ics 1",),
)
async def event_ics(ctx: Context, args: Args) -> Reply:
    event = await find_event(ctx, args.integer("id"))
    first = next_at(event, ctx.now())
    if first is None:
        raise NotFound(f"Event #{event.number} is over.")
    content = event_calendar(
        event, schedule_of(event, ctx.now()), first, tenant_id=ctx.tenant.id, now=ctx.now()
    )
    return Reply(
        text=f"{event.title}: open the file to add it to your calendar.",
        attachments=(
            Attachment(
                filename=f"event-{event.number}.ics", content=content, mime_type="text/calendar"
            ),
        ),
        private=True,
    )


@command(
    "event move",
    summary="Move an event; everyone who answered is told.",
    params=[
        Param(name="id", kind=ParamKind.INT, minimum=1),
        Param(name="when", kind=ParamKind.TEXT, max_length=200, help="when [zone]"),
    ],
    examples=("event move 1 2027-01-21 16:00 Europe/London",),
)
async def event_move(ctx: Context, args: Args) -> Reply:
    event = await find_event(ctx, args.integer("id"))
    _check_organiser(ctx, event)
    before = next_at(event, ctx.now())
    schedule, zone_key = read_when(
        (args.text("when") or "").split(), now=ctx.now(), default_zone=event.zone
    )
    event.rule, event.zone = schedule.text(), zone_key
    first = await replan(ctx.session, event, ctx.now())
    if first is None:
        raise UsageError("That time has already passed; pick one in the future.")
    rows = await answered(ctx.session, event)
    told: set[str] = set()
    for row, user_id in rows:
        if before is not None and row.occurrence_at == before:
            row.occurrence_at = first
        if row.occurrence_at >= ctx.now() and user_id not in told:
            told.add(user_id)
            zone_of = await member_zone(ctx.session, ctx.tenant.id, row.member_id)
            await ctx.send_dm(
                user_id,
                Reply(
                    title=f"Moved: {event.title}",
                    text=f"It is now on {moment_for(first, zone_of)}.",
                    buttons=rsvp_buttons(event, first),
                ),
            )
    await ctx.audit("event.move", target=f"event {event.number}", after=event.rule)
    return Reply(
        text=f"Event #{event.number} is moved to {moment_for(first, event.zone)}; "
        f"{len(told)} told.",
        private=True,
    )


@command(
    "event cancel",
    summary="Cancel an event; everyone who answered is told.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1)],
    examples=("event cancel 1",),
)
async def event_cancel(ctx: Context, args: Args) -> Reply:
    event = await find_event(ctx, args.integer("id"))
    _check_organiser(ctx, event)
    event.cancelled_at = ctx.now()
    await cancel_schedules(ctx.session, ctx.tenant.id, owner(event.id))
    told: set[str] = set()
    for row, user_id in await answered(ctx.session, event):
        if row.occurrence_at >= ctx.now() and user_id not in told:
            told.add(user_id)
            zone_of = await member_zone(ctx.session, ctx.tenant.id, row.member_id)
            await ctx.send_dm(
                user_id,
                f"Cancelled: {event.title} on {moment_for(row.occurrence_at, zone_of)} "
                "will not take place.",
            )
    await ctx.audit("event.cancel", target=f"event {event.number}", before=event.title)
    return Reply(text=f"Event #{event.number} is cancelled; {len(told)} told.", private=True)
