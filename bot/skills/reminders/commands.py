"""Reminders: ``remind me in 2h …``, ``remind me tomorrow 8:00 …``, ``remind me mondays 9:00
…``, ``remind #channel every friday 15:00 …`` (moderators), ``remind list``, ``remind cancel``.

Times are read in the member's own time zone (their intro's, else the community's
``checkins.default_timezone``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.community.timezones import member_zone
from bot.core.commands import JobRun, Param, ParamKind, command, scheduled
from bot.core.context import Context
from bot.core.errors import NotFound, PermissionDenied, UsageError
from bot.core.members import find_member_by_id
from bot.core.mentions import without_live_mentions
from bot.core.parsing import Args
from bot.core.replies import Reply, channel_mention
from bot.core.roles import Role
from bot.core.timezones import zone
from bot.scheduling.grammar import GRAMMAR_HELP, UnreadableSchedule, parse_schedule, preview
from bot.scheduling.jobs import cancel_schedules, create_schedule, schedules_of
from bot.scheduling.recurrence import (
    BadSchedule,
    Schedule,
    check_in_range,
    next_occurrence,
)
from bot.skills.reminders.models import Reminder
from bot.storage.numbering import REMINDER, next_number

USAGE = "remind me|#channel <when> <text>"
MAX_SCHEDULE_WORDS = 10
MAX_REMINDERS = 50


def split_schedule(words: list[str], *, ctx: Context, zone_key: str) -> tuple[Schedule, str]:
    """The longest leading words that read as a schedule, and the text after them.

    Words that read as a schedule with a wrong value (``tomorrow 25:00``) are refused rather
    than cut shorter, so the mistake is said instead of a different time being picked.
    """
    for size in range(min(len(words) - 1, MAX_SCHEDULE_WORDS), 0, -1):
        try:
            schedule = parse_schedule(" ".join(words[:size]), now=ctx.now(), zone_key=zone_key)
            check_in_range(schedule, zone_key)
        except UnreadableSchedule:
            continue
        except BadSchedule as exc:
            raise UsageError(f"{exc} Nothing was set.", usage=USAGE) from None
        return schedule, " ".join(words[size:])
    if len(words) <= 1:
        raise UsageError(
            "Tell me when, then what to remind you of: `remind me in 2h call the parents`.",
            usage=USAGE,
        )
    raise UsageError(f"I couldn't find a time at the start. {GRAMMAR_HELP}", usage=USAGE)


def _owner(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


@command(
    "remind",
    summary="Set a reminder for yourself (or, moderators, for a channel).",
    params=[
        Param(name="who", help="me, or a #channel"),
        Param(
            name="reminder",
            kind=ParamKind.TEXT,
            max_length=1000,
            help="when, then what: in 2h call the parents",
        ),
    ],
    examples=(
        "remind me in 2h call the parents",
        "remind me tomorrow 8:00 bring the lab goggles",
        "remind me mondays 9:00 plan the week",
        "remind #staff every friday 15:00 submit attendance",
    ),
)
async def remind(ctx: Context, args: Args) -> Reply:
    who = (args.text("who") or "").strip()
    channel = ""
    if who.lower() != "me":
        if not who.startswith(("#", "<#")):
            raise UsageError("Say who to remind: `me` or a #channel.", usage=USAGE)
        channel = who.removeprefix("<#").removeprefix("#").split("|")[0].rstrip(">")
        if ctx.role < Role.MODERATOR:
            raise PermissionDenied("Only moderators and admins can set reminders for a channel.")
    zone_key = await member_zone(ctx.session, ctx.tenant.id, ctx.member.id)
    schedule, text = split_schedule(
        (args.text("reminder") or "").split(), ctx=ctx, zone_key=zone_key
    )
    first = next_occurrence(schedule, zone_key, ctx.now())
    if first is None:
        raise UsageError("That time has already passed; pick one in the future.", usage=USAGE)
    count = len(
        list(
            await ctx.session.scalars(
                select(Reminder.id).where(
                    Reminder.tenant_id == ctx.tenant.id, Reminder.member_id == ctx.member.id
                )
            )
        )
    )
    if count >= MAX_REMINDERS:
        raise UsageError(f"You have {count} reminders; cancel some first (`remind list`).")
    text = await without_live_mentions(ctx.session, ctx.tenant.id, text)
    reminder = Reminder(
        tenant_id=ctx.tenant.id,
        number=await next_number(ctx.session, ctx.tenant.id, REMINDER),
        member_id=ctx.member.id,
        channel_id=channel,
        text=text[:1000],
        rule=schedule.text(),
        zone=zone_key,
        created_at=ctx.now(),
    )
    ctx.session.add(reminder)
    await ctx.session.flush()
    await create_schedule(
        ctx.session,
        tenant_id=ctx.tenant.id,
        job="reminders.send",
        owner=_owner(reminder.id),
        schedule=schedule,
        zone_key=zone_key,
        payload={"reminder": str(reminder.id)},
        now=ctx.now(),
    )
    where = channel_mention(channel) if channel else "you"
    if channel:
        await ctx.audit("remind.channel", target=f"reminder {reminder.number}", after=text[:200])
    return Reply(
        text=f"Reminder #{reminder.number}: I'll remind {where} "
        f"{preview(schedule, zone_key, ctx.now())}. `remind cancel {reminder.number}` cancels it.",
        private=not channel,
    )


@command("remind list", summary="Your reminders.", examples=("remind list",))
async def remind_list(ctx: Context, args: Args) -> Reply:
    rows = list(
        await ctx.session.scalars(
            select(Reminder)
            .where(Reminder.tenant_id == ctx.tenant.id, Reminder.member_id == ctx.member.id)
            .order_by(Reminder.id)
        )
    )
    if not rows:
        return Reply(text="You have no reminders. Try `remind me in 2h call the parents`.")
    lines = []
    for row in rows:
        found = await schedules_of(ctx.session, ctx.tenant.id, _owner(row.id))
        due = found[0].next_due_at if found else None
        when = f"{due.astimezone(zone(row.zone)):%a %d %b %H:%M}" if due else "—"
        where = f" in {channel_mention(row.channel_id)}" if row.channel_id else ""
        lines.append(f"#{row.number} next {when} ({row.rule}){where}: {row.text}")
    return Reply(title="Your reminders", text="\n".join(lines), private=True)


@command(
    "remind cancel",
    summary="Cancel one of your reminders.",
    params=[Param(name="id", kind=ParamKind.INT, minimum=1)],
    examples=("remind cancel 3",),
)
async def remind_cancel(ctx: Context, args: Args) -> Reply:
    number = args.integer("id")
    row = await ctx.session.scalar(
        select(Reminder).where(Reminder.tenant_id == ctx.tenant.id, Reminder.number == number)
    )
    mine = row is not None and row.member_id == ctx.member.id
    moderated = row is not None and bool(row.channel_id) and ctx.role >= Role.MODERATOR
    if row is None or not (mine or moderated):
        raise NotFound(f"You have no reminder #{number}. `remind list` shows yours.")
    await cancel_schedules(ctx.session, ctx.tenant.id, _owner(row.id))
    await ctx.session.delete(row)
    if row.channel_id:
        await ctx.audit("remind.cancel", target=f"reminder {row.number}", before=row.text[:200])
    return Reply(text=f"Reminder #{row.number} is cancelled.", private=True)


@scheduled("reminders.send")
async def send_reminder(ctx: Context, run: JobRun) -> None:
    row = await ctx.session.get(Reminder, int(run.payload["reminder"]))
    if row is None or row.tenant_id != ctx.tenant.id:
        return
    text = f"⏰ Reminder: {row.text}"
    if row.channel_id:
        await ctx.post(row.channel_id, text)
    else:
        member = await find_member_by_id(ctx.session, ctx.tenant.id, row.member_id)
        if member is None:
            return
        await ctx.send_dm(member.user_id, text)
    if not parse_schedule(row.rule, now=run.due_at, zone_key=row.zone).recurring:
        await ctx.session.delete(row)
        await cancel_schedules(ctx.session, ctx.tenant.id, _owner(row.id))


async def export_reminders(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    rows = await session.scalars(
        select(Reminder)
        .where(Reminder.tenant_id == tenant_id, Reminder.member_id == member_id)
        .order_by(Reminder.id)
    )
    return {
        "reminders": [
            {"text": r.text, "schedule": r.rule, "zone": r.zone, "channel": r.channel_id}
            for r in rows
        ]
    }


async def forget_reminders(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    ids = list(
        await session.scalars(
            select(Reminder.id).where(
                Reminder.tenant_id == tenant_id, Reminder.member_id == member_id
            )
        )
    )
    for reminder_id in ids:
        await cancel_schedules(session, tenant_id, _owner(reminder_id))
    await session.execute(delete(Reminder).where(Reminder.id.in_(ids)))
