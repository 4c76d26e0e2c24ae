"""``privacy show``, ``privacy export`` and ``privacy forget``, and the privacy hooks of the
core's own tables (the member row and the audit log)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands import Param, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.events import Invocation
from bot.core.i18n import N_
from bot.core.parsing import Args
from bot.core.replies import Attachment, Button, ButtonStyle, Reply
from bot.scheduling.outbox import drop_queued_for
from bot.skills.privacy.erasure import RETENTION_SETTING, forget_member
from bot.skills.privacy.records import (
    anonymise_audit_mentions,
    export_audit_mentions,
    membership_record,
)
from bot.skills.privacy.report import gather_member_data, member_data_file, render_member_data
from bot.storage.models import Member

TENANT_SETTINGS = (RETENTION_SETTING,)
CONFIRM_WITHIN = timedelta(hours=1)


@command(
    "privacy show",
    summary=N_("See everything Staffroom stores about you in this community."),
    examples=("privacy show",),
    open_to_blocked=True,
)
async def privacy_show(ctx: Context, args: Args) -> Reply:
    data = await gather_member_data(ctx.session, ctx.registry, ctx.tenant.id, ctx.member.id)
    return Reply(
        title=ctx.gettext(
            "What Staffroom stores about you in {community}", community=_community(ctx)
        ),
        text=render_member_data(data, ctx.translator),
        footer=ctx.gettext(
            "`privacy export` sends all of it as a file; `privacy forget` erases it."
        ),
        private=True,
    )


@command(
    "privacy export",
    summary=N_("Get everything Staffroom stores about you as a file, in a direct message."),
    examples=("privacy export",),
    open_to_blocked=True,
)
async def privacy_export(ctx: Context, args: Args) -> Reply:
    data = await gather_member_data(ctx.session, ctx.registry, ctx.tenant.id, ctx.member.id)
    filename, content = member_data_file(data, ctx.tenant, ctx.member, ctx.now())
    await ctx.send_dm(
        ctx.member.user_id,
        Reply(
            text=ctx.gettext(
                "Everything Staffroom stores about you in {community}, as JSON.",
                community=_community(ctx),
            ),
            attachments=(
                Attachment(filename=filename, content=content, mime_type="application/json"),
            ),
        ),
    )
    return Reply(
        text=ctx.gettext("I've sent you your data as a file in a direct message."), private=True
    )


@command(
    "privacy forget",
    summary=N_("Erase everything Staffroom stores about you in this community (asks first)."),
    examples=("privacy forget",),
    open_to_blocked=True,
)
async def privacy_forget(ctx: Context, args: Args) -> Reply:
    data = await gather_member_data(ctx.session, ctx.registry, ctx.tenant.id, ctx.member.id)
    held = ", ".join(k.replace("_", " ") for k, v in data.items() if v not in (None, {}, []))
    confirm = Invocation(
        command="privacy forget confirm",
        args={"member": ctx.member.user_id, "asked": ctx.now().isoformat()},
    )
    text = ctx.gettext(
        "This deletes everything Staffroom keeps about you in {community} ({held}) and ends "
        "anything you take part in, such as a mentoring pairing. What you shared with everyone "
        "stays, without your name, and so do moderators' log entries about you. This can't be "
        "undone.",
        community=_community(ctx),
        held=held,
    )
    text += "\n" + ctx.gettext(
        "Press the button within an hour to go ahead; otherwise nothing happens."
    )
    return Reply(
        title=ctx.gettext("Erase everything about you?"),
        text=text,
        buttons=(
            Button(label=ctx.gettext("Yes, forget me"), action=confirm, style=ButtonStyle.DANGER),
        ),
        private=True,
    )


@command(
    "privacy forget confirm",
    summary=N_("Erase everything about you (the button of `privacy forget`)."),
    params=[Param(name="member", max_length=64), Param(name="asked", max_length=40)],
    hidden=True,
    open_to_blocked=True,
)
async def privacy_forget_confirm(ctx: Context, args: Args) -> Reply:
    if args.require_text("member") != ctx.member.user_id:
        raise UserFacingError(
            ctx.gettext(
                "That button was for someone else. To erase your own data, type "
                "`privacy forget`. Nothing was changed."
            )
        )
    try:
        asked = datetime.fromisoformat(args.require_text("asked"))
    except ValueError:
        asked = None
    if asked is None or asked.tzinfo is None or not timedelta(0) <= ctx.now() - asked:
        raise UserFacingError(
            ctx.gettext("That button isn't valid. Type `privacy forget` to start again.")
        )
    if ctx.now() - asked > CONFIRM_WITHIN:
        raise UserFacingError(
            ctx.gettext(
                "That button has expired. Type `privacy forget` again if you still want to "
                "erase your data. Nothing was changed."
            )
        )
    await forget_member(ctx.session, ctx.registry, ctx.tenant.id, ctx.member.id)
    return Reply(
        text=ctx.gettext(
            "Done: Staffroom has forgotten you in {community}. If you use it here again, you "
            "start afresh.",
            community=_community(ctx),
        ),
        private=True,
    )


async def export_membership(
    session: AsyncSession, tenant_id: int, member_id: int
) -> dict[str, Any]:
    return await membership_record(session, tenant_id, member_id)


async def export_audit_entries(
    session: AsyncSession, tenant_id: int, member_id: int
) -> dict[str, Any]:
    return await export_audit_mentions(session, tenant_id, member_id)


async def forget_audit_entries(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Keep moderators' log entries, with every mention of the member anonymised (the member
    row itself is deleted by ``forget_member`` once every eraser has run)."""
    await anonymise_audit_mentions(session, tenant_id, member_id)


async def forget_queued_messages(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    """Scheduled messages still waiting for the member are not sent after they are forgotten."""
    user_id = await session.scalar(select(Member.user_id).where(Member.id == member_id))
    if user_id is not None:
        await drop_queued_for(session, tenant_id, user_id)


def _community(ctx: Context) -> str:
    return ctx.tenant.name or ctx.gettext("this community")
