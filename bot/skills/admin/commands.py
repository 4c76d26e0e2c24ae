"""Changing the network: channels, moderators, settings, blocks and intros that must go.

Every command here records what it changed (before → after) in the audit log.
"""

from __future__ import annotations

from sqlalchemy import update

from bot.community.profiles import FIELDS, delete_profile, load_profile
from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.i18n import N_, Translator
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
    name="reason",
    kind=ParamKind.TEXT,
    required=False,
    max_length=300,
    help=N_("told to the member"),
)


@command(
    "admin channel",
    summary=N_("Choose the channel for introductions, resources, check-in summaries and more."),
    params=[
        Param(name="purpose", help=N_("what the channel is for: `admin config` lists them")),
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
            ctx.gettext(
                "I don't know the channel purpose `{purpose}`. Choose one of: {known}.",
                purpose=purpose[:40].replace("`", "'"),
                known=known,
            ),
            usage="admin channel <purpose> #channel",
        )
    channel = args.channel("channel")
    assert channel is not None
    before = await channel_for(ctx.session, ctx.tenant.id, purpose)
    await set_setting(ctx.session, ctx.tenant.id, f"channel.{purpose}", channel.channel_id)
    await ctx.audit(
        "admin channel", target=purpose, before=before and str(before), after=channel.channel_id
    )
    return Reply(
        text=ctx.gettext(
            "Done: {purpose} go to {channel}.",
            purpose=purpose,
            channel=channel_mention(channel.channel_id),
        )
    )


@command(
    "admin moderator add",
    summary=N_("Make a member a moderator."),
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.ADMIN,
    examples=("admin moderator add @ana",),
)
async def moderator_add(ctx: Context, args: Args) -> Reply:
    return await _grant(ctx, args, Role.MODERATOR)


@command(
    "admin moderator remove",
    summary=N_("Take moderator rights away from a member."),
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.ADMIN,
    examples=("admin moderator remove @ana",),
)
async def moderator_remove(ctx: Context, args: Args) -> Reply:
    return await _grant(ctx, args, Role.MEMBER)


async def _grant(ctx: Context, args: Args, role: Role) -> Reply:
    refusal = ctx.gettext("You can't change your own role. Nothing was changed.")
    target = await _target(ctx, args, create=True, refusal=refusal)
    if target.granted_role == role:
        if role is Role.MODERATOR:
            text = ctx.gettext(
                "{member} is already a moderator. Nothing was changed.",
                member=mention(target.user_id),
            )
        else:
            text = ctx.gettext(
                "{member} is not a moderator. Nothing was changed.", member=mention(target.user_id)
            )
        raise UserFacingError(text)
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
        return Reply(
            text=ctx.gettext("{member} is now a moderator.", member=mention(target.user_id))
        )
    return Reply(
        text=ctx.gettext("{member} is no longer a moderator.", member=mention(target.user_id))
    )


@command(
    "admin config",
    summary=N_("See this community's settings, or change one."),
    params=[
        Param(name="key", required=False, max_length=64, help=N_("a setting, as listed alone")),
        Param(name="value", kind=ParamKind.TEXT, required=False, max_length=2000),
    ],
    role=Role.MODERATOR,
    examples=(
        "admin config",
        "admin config welcome_text Welcome! Tell us what you teach.",
        "admin config privacy.retention_days 60",
    ),
    details=N_("Alone, it lists every setting with its current value and default."),
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
    summary=N_("Put one setting back to its default."),
    params=[Param(name="key", max_length=64)],
    role=Role.MODERATOR,
    examples=("admin config reset welcome_text",),
)
async def admin_config_reset(ctx: Context, args: Args) -> Reply:
    return await reset_setting(ctx, find_setting(ctx.registry, args.require_text("key")))


@command(
    "admin block",
    summary=N_("Pause a member's use of Staffroom (they get a note when they try)."),
    params=[Param(name="member", kind=ParamKind.MENTION), _REASON],
    role=Role.MODERATOR,
    examples=("admin block @sam", "admin block @sam posting adverts"),
)
async def admin_block(ctx: Context, args: Args) -> Reply:
    refusal = ctx.gettext("You can't block yourself. Nothing was changed.")
    target = await _target(ctx, args, create=True, refusal=refusal)
    who = mention(target.user_id)
    if target.granted_role >= Role.MODERATOR:
        raise UserFacingError(
            ctx.gettext(
                "{member} is a moderator; an admin must take that away "
                "(`admin moderator remove`) before they can be blocked. Nothing was changed.",
                member=who,
            )
        )
    if target.blocked:
        raise UserFacingError(
            ctx.gettext("{member} is already blocked. Nothing was changed.", member=who)
        )
    await _set_blocked(ctx, target, blocked=True)
    reason = args.text("reason") or ""
    await ctx.audit(
        "admin block",
        target=mention(target.user_id),
        before="active",
        after=f"blocked: {reason}" if reason else "blocked",
    )
    community = ctx.tenant.name

    def note(words: Translator) -> str:
        text = words.gettext(
            "A moderator has paused your access to Staffroom in {community}.",
            community=community or words.gettext("this community"),
        )
        if reason:
            text += " " + words.gettext("Reason: {reason}", reason=_sentence(reason))
        return (
            text
            + " "
            + words.gettext("If you think this is a mistake, please contact the moderators.")
        )

    await ctx.send_dm(target.user_id, note)
    return Reply(
        text=ctx.gettext(
            "{member} is blocked: Staffroom will only answer them with a note. I've told them "
            "by DM. `admin unblock` lifts it.",
            member=who,
        )
    )


@command(
    "admin unblock",
    summary=N_("Let a blocked member use Staffroom again."),
    params=[Param(name="member", kind=ParamKind.MENTION)],
    role=Role.MODERATOR,
    examples=("admin unblock @sam",),
)
async def admin_unblock(ctx: Context, args: Args) -> Reply:
    refusal = ctx.gettext("You can't unblock yourself. Nothing was changed.")
    target = await _target(ctx, args, create=False, refusal=refusal)
    who = mention(target.user_id)
    if not target.blocked:
        raise UserFacingError(
            ctx.gettext("{member} isn't blocked. Nothing was changed.", member=who)
        )
    await _set_blocked(ctx, target, blocked=False)
    await ctx.audit(
        "admin unblock", target=mention(target.user_id), before="blocked", after="active"
    )
    community = ctx.tenant.name
    await ctx.send_dm(
        target.user_id,
        lambda words: words.gettext(
            "Your access to Staffroom in {community} is back. Welcome back!",
            community=community or words.gettext("this community"),
        ),
    )
    return Reply(
        text=ctx.gettext("{member} can use Staffroom again. I've told them by DM.", member=who)
    )


@command(
    "admin remove-profile",
    summary=N_("Delete a member's intro (for example one that breaks the rules)."),
    params=[Param(name="member", kind=ParamKind.MENTION), _REASON],
    role=Role.MODERATOR,
    examples=("admin remove-profile @sam", "admin remove-profile @sam advertising"),
    details=N_("The member is told by DM and can write a new intro. Posts already made stay."),
)
async def admin_remove_profile(ctx: Context, args: Args) -> Reply:
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who)
    profile = await load_profile(ctx.session, ctx.tenant.id, target.id)
    if profile is None:
        raise UserFacingError(
            ctx.gettext(
                "{member} has no intro to remove. Nothing was changed.",
                member=mention(target.user_id),
            )
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
    community = ctx.tenant.name

    def note(words: Translator) -> str:
        text = words.gettext(
            "A moderator removed your intro in {community}.",
            community=community or words.gettext("this community"),
        )
        if reason:
            text += " " + words.gettext("Reason: {reason}", reason=_sentence(reason))
        return text + " " + words.gettext("You can write a new one with `intro`.")

    await ctx.send_dm(target.user_id, note)
    return Reply(
        text=ctx.gettext(
            "Removed the intro of {member}; I've told them by DM.", member=mention(target.user_id)
        )
    )


async def _target(ctx: Context, args: Args, *, create: bool, refusal: str) -> MemberInfo:
    """The member named, never the actor (``refusal`` says so, already translated)."""
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who, create=create)
    if target.id == ctx.member.id:
        raise UserFacingError(refusal)
    return target


async def _set_blocked(ctx: Context, target: MemberInfo, *, blocked: bool) -> None:
    await ctx.session.execute(
        update(Member)
        .where(Member.tenant_id == ctx.tenant.id, Member.id == target.id)
        .values(blocked_at=ctx.now() if blocked else None)
    )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
