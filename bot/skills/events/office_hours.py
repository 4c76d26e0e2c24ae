"""Office hours: a mentor or expert publishes recurring hours cut into slots
(``office-hours add every tuesday 16:00 for 60m [topic] [slot:20m]``); members book a slot
with a button. One booking per slot is kept by the store's unique constraint, so two members
clicking at once (in two processes too) get one booking and one friendly "just taken"."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.community.timezones import member_zone
from bot.core.commands import Filter, JobRun, Param, ParamKind, command, scheduled
from bot.core.context import Context
from bot.core.errors import NotFound, UsageError
from bot.core.events import Invocation
from bot.core.members import find_member_by_id
from bot.core.parsing import Args
from bot.core.replies import Button, ButtonStyle, Reply, mention
from bot.core.timezones import zone
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import cancel_schedules, create_schedule
from bot.scheduling.recurrence import BadSchedule, next_occurrence, once_at
from bot.skills.events.models import Booking, OfficeHours
from bot.skills.events.planning import from_unix, unix
from bot.skills.events.timing import moment_for, parse_duration
from bot.storage.numbering import next_number

ADD_USAGE = "office-hours add <schedule> for <duration> [topic] [slot:20m]"
BOOKING_JOB = "events.booking_reminder"
REMIND_BEFORE = timedelta(minutes=15)
MAX_SLOTS = 12
MAX_HOURS = 20
MAX_BUTTONS = 20


def _owner(booking_id: int) -> str:
    return f"booking:{booking_id}"


def slots(hours: OfficeHours, after: datetime) -> list[datetime]:
    """The slots of the next occurrence of ``hours`` that have not started by ``after``."""
    schedule = parse_schedule(hours.rule, now=after, zone_key=hours.zone)
    start = next_occurrence(schedule, hours.zone, after - timedelta(minutes=hours.duration_minutes))
    if start is None:
        return []
    count = hours.duration_minutes // hours.slot_minutes
    found = [start + timedelta(minutes=i * hours.slot_minutes) for i in range(count)]
    return [slot for slot in found if slot > after]


def _is_slot(hours: OfficeHours, at: datetime) -> bool:
    schedule = parse_schedule(hours.rule, now=at, zone_key=hours.zone)
    for i in range(hours.duration_minutes // hours.slot_minutes):
        start = at - timedelta(minutes=i * hours.slot_minutes)
        if next_occurrence(schedule, hours.zone, start - timedelta(seconds=1)) == start:
            return True
    return False


async def _numbered_hours(ctx: Context, number: int) -> OfficeHours | None:
    return await ctx.session.scalar(
        select(OfficeHours).where(
            OfficeHours.tenant_id == ctx.tenant.id, OfficeHours.number == number
        )
    )


async def _taken(ctx: Context, hours: OfficeHours) -> set[datetime]:
    rows = await ctx.session.scalars(
        select(Booking.slot_at).where(
            Booking.tenant_id == ctx.tenant.id, Booking.office_hours_id == hours.id
        )
    )
    return set(rows)


async def _slot_card(ctx: Context, hours: OfficeHours) -> Reply:
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    host = await find_member_by_id(ctx.session, ctx.tenant.id, hours.host_id)
    free = [s for s in slots(hours, ctx.now()) if s not in await _taken(ctx, hours)]
    book = Invocation(command="office-hours book", args={"id": str(hours.number)})
    topic = f" — {hours.topic}" if hours.topic else ""
    lines = [f"With {mention(host.user_id) if host else 'a colleague'}{topic}"]
    lines += [f"• {moment_for(s, zone_key)} ({hours.slot_minutes} min)" for s in free]
    if not free:
        lines.append("Every slot of the next session is booked.")
    return Reply(
        title=f"Office hours #{hours.number}",
        text="\n".join(lines),
        footer=f"{hours.rule} ({hours.zone})",
        buttons=tuple(
            Button(
                label=f"Book {s.astimezone(zone(zone_key)):%a %H:%M %Z}",
                action=book.with_args({"at": unix(s)}),
                style=ButtonStyle.PRIMARY,
            )
            for s in free[:MAX_BUTTONS]
        ),
    )


@command(
    "office-hours add",
    summary="Publish your office hours; members book a slot with a button.",
    params=[
        Param(
            name="details",
            kind=ParamKind.TEXT,
            max_length=400,
            help="schedule for duration [topic]",
        )
    ],
    filters=[Filter(key="slot", help="length of one booking", placeholder="20m")],
    examples=(
        "office-hours add every tuesday 16:00 for 60m lesson planning slot:20m",
        "office-hours add first monday of the month 17:00 for 30m",
    ),
)
async def office_hours_add(ctx: Context, args: Args) -> Reply:
    words = (args.text("details") or "").split()
    if "for" not in words[1:]:
        raise UsageError(
            "Say when and for how long: `every tuesday 16:00 for 60m`.", usage=ADD_USAGE
        )
    split = words.index("for", 1)
    minutes = parse_duration(words[split + 1]) if len(words) > split + 1 else None
    if minutes is None or not 10 <= minutes <= 8 * 60:
        raise UsageError(
            "Office hours last from 10 minutes to 8 hours: `for 60m`.", usage=ADD_USAGE
        )
    slot = parse_duration(args.filter("slot") or "") if args.filter("slot") else minutes
    if slot is None or not 5 <= slot <= minutes or minutes // slot > MAX_SLOTS:
        raise UsageError(
            f"A slot is 5 minutes or more, at most the whole session and at most {MAX_SLOTS} "
            "slots: `slot:20m`.",
            usage=ADD_USAGE,
        )
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    try:
        schedule = parse_schedule(" ".join(words[:split]), now=ctx.now(), zone_key=zone_key)
    except BadSchedule as exc:
        raise UsageError(str(exc), usage=ADD_USAGE) from None
    if next_occurrence(schedule, zone_key, ctx.now()) is None:
        raise UsageError("That time has already passed; pick one in the future.", usage=ADD_USAGE)
    mine = await ctx.session.scalars(
        select(OfficeHours.id).where(
            OfficeHours.tenant_id == ctx.tenant.id, OfficeHours.host_id == ctx.member.id
        )
    )
    if len(list(mine)) >= MAX_HOURS:
        raise UsageError("You have many office hours already; remove some first.")
    hours = OfficeHours(
        tenant_id=ctx.tenant.id,
        number=await next_number(ctx.session, ctx.tenant.id, "office_hours"),
        host_id=ctx.member.id,
        rule=schedule.text(),
        zone=zone_key,
        duration_minutes=minutes,
        slot_minutes=slot,
        topic=" ".join(words[split + 2 :])[:200],
        created_at=ctx.now(),
    )
    ctx.session.add(hours)
    await ctx.session.flush()
    return await _slot_card(ctx, hours)


@command("office-hours list", summary="Office hours with free slots, to book one.")
async def office_hours_list(ctx: Context, args: Args) -> Reply | None:
    rows = list(
        await ctx.session.scalars(
            select(OfficeHours)
            .where(OfficeHours.tenant_id == ctx.tenant.id)
            .order_by(OfficeHours.id)
        )
    )
    if not rows:
        return Reply(text="Nobody has published office hours yet.", private=True)
    for hours in rows[:MAX_SLOTS]:
        await ctx.reply(await _slot_card(ctx, hours))
    return None


@command(
    "office-hours book",
    summary="Book a slot of someone's office hours.",
    params=[
        Param(name="id", kind=ParamKind.INT, minimum=1),
        Param(name="at", kind=ParamKind.INT, minimum=0, maximum=10**11),
    ],
    hidden=True,
)
async def office_hours_book(ctx: Context, args: Args) -> Reply:
    hours = await _numbered_hours(ctx, args.integer("id") or 0)
    at = from_unix(str(args.integer("at") or 0))
    if hours is None or hours.tenant_id != ctx.tenant.id or not _is_slot(hours, at):
        raise NotFound("Those office hours are no longer offered. `office-hours list` shows them.")
    if at <= ctx.now():
        raise UsageError("That slot has already started.")
    if hours.host_id == ctx.member.id:
        raise UsageError("These are your own office hours.")
    booking = Booking(
        tenant_id=ctx.tenant.id,
        number=await next_number(ctx.session, ctx.tenant.id, "office_hour_booking"),
        office_hours_id=hours.id,
        slot_at=at,
        member_id=ctx.member.id,
        created_at=ctx.now(),
    )
    try:
        async with ctx.session.begin_nested():
            ctx.session.add(booking)
    except IntegrityError:
        raise UsageError(
            "Sorry — someone has just booked that slot. `office-hours list` shows the free ones."
        ) from None
    host = await find_member_by_id(ctx.session, ctx.tenant.id, hours.host_id)
    if host is not None:
        host_zone = await member_zone(ctx.session, ctx.tenant.id, host.id)
        await ctx.send_dm(
            host.user_id,
            f"{mention(ctx.member.user_id)} booked your office hours on "
            f"{moment_for(at, host_zone)}.",
        )
    if at - REMIND_BEFORE > ctx.now():
        await create_schedule(
            ctx.session,
            tenant_id=ctx.tenant.id,
            job=BOOKING_JOB,
            owner=_owner(booking.id),
            schedule=once_at(at - REMIND_BEFORE),
            zone_key="UTC",
            payload={"booking": str(booking.id)},
            now=ctx.now(),
        )
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    return Reply(
        text=f"Booked: {moment_for(at, zone_key)} with "
        f"{mention(host.user_id) if host else 'your host'}. I'll remind you both 15 minutes "
        "before.",
        buttons=(
            Button(
                label="Cancel booking",
                action=Invocation(command="office-hours cancel", args={"id": str(booking.number)}),
                style=ButtonStyle.DANGER,
            ),
        ),
        private=True,
    )


@command(
    "office-hours cancel",
    summary="Cancel a booking (yours, or one of your office hours); the other side is told.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1, help="the booking")],
    examples=("office-hours cancel 3",),
)
async def office_hours_cancel(ctx: Context, args: Args) -> Reply:
    booking = await ctx.session.scalar(
        select(Booking).where(
            Booking.tenant_id == ctx.tenant.id, Booking.number == (args.integer("id") or 0)
        )
    )
    hours = await ctx.session.get(OfficeHours, booking.office_hours_id) if booking else None
    if (
        booking is None
        or hours is None
        or booking.tenant_id != ctx.tenant.id
        or ctx.member.id not in (booking.member_id, hours.host_id)
    ):
        raise NotFound(f"You have no booking #{args.integer('id')}.")
    other_id = hours.host_id if booking.member_id == ctx.member.id else booking.member_id
    other = await find_member_by_id(ctx.session, ctx.tenant.id, other_id)
    if other is not None:
        other_zone = await member_zone(ctx.session, ctx.tenant.id, other.id)
        await ctx.send_dm(
            other.user_id,
            f"{mention(ctx.member.user_id)} cancelled the office-hours booking on "
            f"{moment_for(booking.slot_at, other_zone)}; the slot is free again.",
        )
    await cancel_schedules(ctx.session, ctx.tenant.id, _owner(booking.id))
    await ctx.session.delete(booking)
    return Reply(text="The booking is cancelled and the slot is free again.", private=True)


@command(
    "office-hours remove",
    summary="Stop offering office hours; members with a booking still ahead are told.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1, help="the office hours")],
    examples=("office-hours remove 1",),
)
async def office_hours_remove(ctx: Context, args: Args) -> Reply:
    hours = await _numbered_hours(ctx, args.integer("id") or 0)
    if hours is None or hours.tenant_id != ctx.tenant.id or hours.host_id != ctx.member.id:
        raise NotFound(f"You have no office hours #{args.integer('id')}.")
    bookings = list(
        await ctx.session.scalars(select(Booking).where(Booking.office_hours_id == hours.id))
    )
    for booking in bookings:
        await cancel_schedules(ctx.session, ctx.tenant.id, _owner(booking.id))
        member = await find_member_by_id(ctx.session, ctx.tenant.id, booking.member_id)
        if member is not None and booking.slot_at > ctx.now():
            zone_key = await member_zone(ctx.session, ctx.tenant.id, member.id)
            await ctx.send_dm(
                member.user_id,
                f"{mention(ctx.member.user_id)} no longer offers these office hours: your "
                f"booking on {moment_for(booking.slot_at, zone_key)} is cancelled.",
            )
        await ctx.session.delete(booking)
    await ctx.session.delete(hours)
    return Reply(text=f"Office hours #{hours.number} are removed.", private=True)


@scheduled(BOOKING_JOB)
async def booking_reminder(ctx: Context, run: JobRun) -> None:
    booking = await ctx.session.get(Booking, int(run.payload["booking"]))
    hours = await ctx.session.get(OfficeHours, booking.office_hours_id) if booking else None
    if booking is None or hours is None or booking.tenant_id != ctx.tenant.id:
        return
    member = await find_member_by_id(ctx.session, ctx.tenant.id, booking.member_id)
    host = await find_member_by_id(ctx.session, ctx.tenant.id, hours.host_id)
    if member is None or host is None:
        return
    for who, other in ((member, host), (host, member)):
        zone_key = await member_zone(ctx.session, ctx.tenant.id, who.id)
        await ctx.send_dm(
            who.user_id,
            f"⏰ Office hours with {mention(other.user_id)} at "
            f"{moment_for(booking.slot_at, zone_key)}.",
        )
