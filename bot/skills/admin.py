"""Network administration from chat: channels and moderators."""

from __future__ import annotations

from sqlalchemy import update

from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply, channel_mention, mention
from bot.core.roles import Role
from bot.storage.models import Member
from bot.storage.tenant_settings import CHANNEL_PURPOSES, channel_for, set_setting


@command(
    "admin channel",
    summary="Choose the channel for introductions, resources or check-in summaries.",
    params=[
        Param(name="purpose", kind=ParamKind.CHOICE, choices=CHANNEL_PURPOSES),
        Param(name="channel", kind=ParamKind.CHANNEL),
    ],
    role=Role.MODERATOR,
    examples=("admin channel introductions #introductions",),
)
async def admin_channel(ctx: Context, args: Args) -> Reply:
    purpose = args.require_text("purpose")
    channel = args.channel("channel")
    assert channel is not None
    before = await channel_for(ctx.session, ctx.tenant.id, purpose)
    await set_setting(ctx.session, ctx.tenant.id, f"channel.{purpose}", channel.channel_id)
    await ctx.audit(
        "admin channel", target=purpose, before=before and str(before), after=channel.channel_id
    )
    return Reply(text=f"Done: {purpose} go to {channel_mention(channel.channel_id)}.")


@command(
    "admin moderator add",
    summary="Make a member a moderator.",
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.ADMIN,
    examples=("admin moderator add @ana",),
)
async def moderator_add(ctx: Context, args: Args) -> Reply:
    return await _grant(ctx, args, Role.MODERATOR)


@command(
    "admin moderator remove",
    summary="Take moderator rights away from a member.",
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.ADMIN,
    examples=("admin moderator remove @ana",),
)
async def moderator_remove(ctx: Context, args: Args) -> Reply:
    return await _grant(ctx, args, Role.MEMBER)


async def _grant(ctx: Context, args: Args, role: Role) -> Reply:
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who, create=True)
    if target.id == ctx.member.id:
        raise UserFacingError("You can't change your own role. Nothing was changed.")
    if target.granted_role == role:
        state = "already a moderator" if role is Role.MODERATOR else "not a moderator"
        return Reply(text=f"{mention(target.user_id)} is {state}.")
    await ctx.session.execute(
        update(Member)
        .where(Member.tenant_id == ctx.tenant.id, Member.id == target.id)
        .values(granted_role=int(role))
    )
    await ctx.audit(
        "admin moderator " + ("add" if role is Role.MODERATOR else "remove"),
        target=target.user_id,
        before=target.granted_role.label,
        after=role.label,
    )
    if role is Role.MODERATOR:
        return Reply(text=f"{mention(target.user_id)} is now a moderator.")
    return Reply(text=f"{mention(target.user_id)} is no longer a moderator.")
