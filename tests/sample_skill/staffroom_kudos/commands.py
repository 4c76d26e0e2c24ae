"""``kudos @member <what for>`` thanks a colleague; ``kudos board`` lists the latest; with
``kudos weekly`` a moderator has the week's thanks posted every Friday afternoon."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.community.timezones import default_zone
from bot.core.commands import JobRun, Param, ParamKind, command, scheduled
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply, mention
from bot.core.roles import Role
from bot.scheduling.grammar import parse_schedule
from bot.scheduling.jobs import create_schedule, schedules_of
from bot.storage.models import Member
from bot.storage.tenant_settings import channel_for
from staffroom_kudos.models import Kudos

CHANNEL = "kudos"
WEEKLY_JOB = "kudos.weekly"
WEEKLY_OWNER = "kudos:weekly"
WEEKLY_RULE = "every friday 15:00"


@command(
    "kudos",
    summary="Thank a colleague: they get a DM, and it joins the week's round-up.",
    params=[
        Param(name="member", kind=ParamKind.MENTION),
        Param(name="reason", kind=ParamKind.TEXT, max_length=300, help="what for"),
    ],
    examples=("kudos @bea for the lab safety slides",),
)
async def give_kudos(ctx: Context, args: Args) -> Reply:
    who = args.member("member")
    assert who is not None
    receiver = await ctx.lookup_member(who)
    if receiver.id == ctx.member.id:
        raise UserFacingError("Kudos are for someone else — but well done, you.")
    reason = args.require_text("reason").removeprefix("for ").strip()
    ctx.session.add(
        Kudos(
            tenant_id=ctx.tenant.id,
            giver_id=ctx.member.id,
            receiver_id=receiver.id,
            reason=reason,
            created_at=ctx.now(),
        )
    )
    await ctx.send_dm(receiver.user_id, f"{mention(ctx.member.user_id)} thanks you: {reason}")
    return Reply(text=f"Kudos sent to {mention(receiver.user_id)}.")


@command("kudos board", summary="The latest kudos in this community.")
async def kudos_board(ctx: Context, args: Args) -> Reply:
    lines = await _lines(ctx.session, ctx.tenant.id, since=None)
    return Reply(title="Kudos", text="\n".join(lines) or "No kudos yet: `kudos @name for …`.")


@command(
    "kudos weekly",
    summary="Post the week's kudos to the kudos channel every Friday at 15:00.",
    role=Role.MODERATOR,
)
async def kudos_weekly(ctx: Context, args: Args) -> Reply:
    if await schedules_of(ctx.session, ctx.tenant.id, WEEKLY_OWNER):
        return Reply(text="The weekly kudos round-up is already on.")
    zone_key = await default_zone(ctx.session, ctx.tenant.id)
    await create_schedule(
        ctx.session,
        tenant_id=ctx.tenant.id,
        job=WEEKLY_JOB,
        owner=WEEKLY_OWNER,
        schedule=parse_schedule(WEEKLY_RULE, now=ctx.now(), zone_key=zone_key),
        zone_key=zone_key,
        payload={},
        now=ctx.now(),
    )
    where = await channel_for(ctx.session, ctx.tenant.id, CHANNEL)
    hint = "" if where else " Choose its channel with `admin channel kudos #channel`."
    return Reply(text=f"Every Friday at 15:00 ({zone_key}) I'll post the week's kudos.{hint}")


@scheduled(WEEKLY_JOB)
async def post_weekly(ctx: Context, run: JobRun) -> None:
    """Runs as Staffroom itself; reloads everything from the store (a job carries ids)."""
    channel = await channel_for(ctx.session, ctx.tenant.id, CHANNEL)
    lines = await _lines(ctx.session, ctx.tenant.id, since=run.due_at - timedelta(days=7))
    if channel is not None and lines:
        await ctx.post(channel, Reply(title="Kudos this week", text="\n".join(lines)))


async def _lines(session: AsyncSession, tenant_id: int, *, since: Any) -> list[str]:
    giver, receiver = aliased(Member), aliased(Member)
    query = (
        select(receiver.user_id, Kudos.reason, giver.user_id)
        .join(giver, giver.id == Kudos.giver_id)
        .join(receiver, receiver.id == Kudos.receiver_id)
        .where(Kudos.tenant_id == tenant_id)
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .limit(20)
    )
    if since is not None:
        query = query.where(Kudos.created_at > since)
    rows = await session.execute(query)
    return [f"• {mention(to)} — {why} (from {mention(by)})" for to, why, by in rows]


async def export_kudos(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    rows = await session.scalars(
        select(Kudos).where(
            Kudos.tenant_id == tenant_id,
            or_(Kudos.giver_id == member_id, Kudos.receiver_id == member_id),
        )
    )
    return {
        "kudos": [
            {
                "given": row.giver_id == member_id,
                "reason": row.reason,
                "at": row.created_at.isoformat(),
            }
            for row in rows
        ]
    }


async def forget_kudos(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    await session.execute(
        delete(Kudos).where(
            Kudos.tenant_id == tenant_id,
            or_(Kudos.giver_id == member_id, Kudos.receiver_id == member_id),
        )
    )
