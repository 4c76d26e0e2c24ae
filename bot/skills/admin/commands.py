"""Changing the network: channels, moderators, settings, blocks and intros that must go.

Every command here records what it changed (before → after) in the audit log.
"""

from __future__ import annotations

from sqlalchemy import update

from bot.community.profiles import FIELDS, delete_profile, load_profile
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.members import MemberInfo
from bot.core.parsing import Args
from bot.core.replies import Reply, channel_mention, mention
from bot.core.roles import Role
from bot.skills.admin.config import (
    change_setting,
    describe_setting,
    find_setting,
    reset_setting,
    settings_overview,
)
from bot.storage.models import Member
from bot.storage.tenant_settings import channel_for, set_setting

_REASON = Param(
    name="reason", kind=ParamKind.TEXT, required=False, max_length=300, help="told to the member"
)


@command(
    "admin channel",
    summary="Choose the channel for introductions, resources, check-in summaries and more.",
    params=[
        Param(name="purpose", help="what the channel is for: `admin config` lists them"),
        Param(name="channel", kind=ParamKind.CHANNEL),
    ],
    role=Role.MODERATOR,
    examples=("admin channel introductions #introductions",),
)
async def admin_channel(ctx: Context, args: Args) -> Reply:
    purpose = args.require_text("purpose").lower()
    if purpose not in ctx.registry.channel_purposes:
        known = ", ".join(f"`{name}`" for name in sorted(ctx.registry.channel_purposes))
        raise UsageError(
            f"I don't know the channel purpose `{purpose[:40]}`. Choose one of: {known}.",
            usage="admin channel <purpose> #channel",
        )
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
    target = await _target(ctx, args, create=True, verb="change your own role")
    if target.granted_role == role:
        state = "already a moderator" if role is Role.MODERATOR else "not a moderator"
        raise UserFacingError(f"{mention(target.user_id)} is {state}. Nothing was changed.")
    await ctx.session.execute(
        update(Member)
        .where(Member.tenant_id == ctx.tenant.id, Member.id == target.id)
        .values(granted_role=int(role))
    )
    await ctx.audit(
        "admin moderator " + ("add" if role is Role.MODERATOR else "remove"),
        target=mention(target.user_id),
        before=target.granted_role.label,
        after=role.label,
    )
    if role is Role.MODERATOR:
        return Reply(text=f"{mention(target.user_id)} is now a moderator.")
    return Reply(text=f"{mention(target.user_id)} is no longer a moderator.")


@command(
    "admin config",
    summary="See this community's settings, or change one.",
    params=[
        Param(name="key", required=False, max_length=64, help="a setting, as listed alone"),
        Param(name="value", kind=ParamKind.TEXT, required=False, max_length=2000),
    ],
    role=Role.MODERATOR,
    examples=(
        "admin config",
        "admin config welcome_text Welcome! Tell us what you teach.",
        "admin config privacy.retention_days 60",
    ),
    details="Alone, it lists every setting with its current value and default.",
)
async def admin_config(ctx: Context, args: Args) -> Reply:
    key = args.text("key")
    if key is None:
        reply = await settings_overview(ctx)
        await ctx.audit("admin config", after="listed the settings")
        return reply
    spec = find_setting(ctx.registry, key)
    value = args.text("value")
    if value is None:
        reply = await describe_setting(ctx, spec)
        await ctx.audit("admin config", target=spec.key, after="read the setting")
        return reply
    return await change_setting(ctx, spec, value)


@command(
    "admin config reset",
    summary="Put one setting back to its default.",
    params=[Param(name="key", max_length=64)],
    role=Role.MODERATOR,
    examples=("admin config reset welcome_text",),
)
async def admin_config_reset(ctx: Context, args: Args) -> Reply:
    return await reset_setting(ctx, find_setting(ctx.registry, args.require_text("key")))


@command(
    "admin block",
    summary="Pause a member's use of Staffroom (they get a note when they try).",
    params=[Param(name="member", kind=ParamKind.MENTION), _REASON],
    role=Role.MODERATOR,
    examples=("admin block @sam", "admin block @sam posting adverts"),
)
async def admin_block(ctx: Context, args: Args) -> Reply:
    target = await _target(ctx, args, create=True, verb="block yourself")
    if target.granted_role >= Role.MODERATOR:
        raise UserFacingError(
            f"{mention(target.user_id)} is a moderator; an admin must take that away "
            "(`admin moderator remove`) before they can be blocked. Nothing was changed."
        )
    if target.blocked:
        raise UserFacingError(f"{mention(target.user_id)} is already blocked. Nothing was changed.")
    await _set_blocked(ctx, target, blocked=True)
    reason = args.text("reason") or ""
    await ctx.audit(
        "admin block",
        target=mention(target.user_id),
        before="active",
        after=f"blocked: {reason}" if reason else "blocked",
    )
    note = f"A moderator has paused your access to Staffroom in {_community(ctx)}."
    if reason:
        note += f" Reason: {_sentence(reason)}"
    note += " If you think this is a mistake, please contact the moderators."
    await ctx.send_dm(target.user_id, note)
    return Reply(
        text=f"{mention(target.user_id)} is blocked: Staffroom will only answer them with a "
        "note. I've told them by DM. `admin unblock` lifts it."
    )


@command(
    "admin unblock",
    summary="Let a blocked member use Staffroom again.",
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.MODERATOR,
    examples=("admin unblock @sam",),
)
async def admin_unblock(ctx: Context, args: Args) -> Reply:
    target = await _target(ctx, args, create=False, verb="unblock yourself")
    if not target.blocked:
        raise UserFacingError(f"{mention(target.user_id)} isn't blocked. Nothing was changed.")
    await _set_blocked(ctx, target, blocked=False)
    await ctx.audit(
        "admin unblock", target=mention(target.user_id), before="blocked", after="active"
    )
    await ctx.send_dm(
        target.user_id, f"Your access to Staffroom in {_community(ctx)} is back. Welcome back!"
    )
    return Reply(text=f"{mention(target.user_id)} can use Staffroom again. I've told them by DM.")


@command(
    "admin remove-profile",
    summary="Delete a member's intro (for example one that breaks the rules).",
    params=[Param(name="member", kind=ParamKind.MENTION), _REASON],
    role=Role.MODERATOR,
    examples=("admin remove-profile @sam", "admin remove-profile @sam advertising"),
    details="The member is told by DM and can write a new intro. Posts already made stay.",
)
async def admin_remove_profile(ctx: Context, args: Args) -> Reply:
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who)
    profile = await load_profile(ctx.session, ctx.tenant.id, target.id)
    if profile is None:
        raise UserFacingError(
            f"{mention(target.user_id)} has no intro to remove. Nothing was changed."
        )
    await delete_profile(ctx.session, ctx.tenant.id, target.id)
    reason = args.text("reason") or ""
    filled = [f.name for f in FIELDS if profile.value(f.name) not in (None, "", ())]
    await ctx.audit(
        "admin remove-profile",
        target=mention(target.user_id),
        before={
            "intro": "complete" if profile.completed_at else "incomplete",
            "fields": filled,
        },
        after=f"removed: {reason}" if reason else "removed",
    )
    note = f"A moderator removed your intro in {_community(ctx)}."
    if reason:
        note += f" Reason: {_sentence(reason)}"
    note += " You can write a new one with `intro`."
    await ctx.send_dm(target.user_id, note)
    return Reply(text=f"Removed the intro of {mention(target.user_id)}; I've told them by DM.")


async def _target(ctx: Context, args: Args, *, create: bool, verb: str) -> MemberInfo:
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who, create=create)
    if target.id == ctx.member.id:
        raise UserFacingError(f"You can't {verb}. Nothing was changed.")
    return target


async def _set_blocked(ctx: Context, target: MemberInfo, *, blocked: bool) -> None:
    await ctx.session.execute(
        update(Member)
        .where(Member.tenant_id == ctx.tenant.id, Member.id == target.id)
        .values(blocked_at=ctx.now() if blocked else None)
    )


def _community(ctx: Context) -> str:
    return ctx.tenant.name or "this community"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
