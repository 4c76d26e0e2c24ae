"""Reading the network: ``admin stats``, ``admin audit`` and ``admin export``.

Reading is recorded in the audit log too: who looked at the figures, the log, or took a copy
of everyone's data.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands import Param, ParamKind, command
from bot.core.context import Context
from bot.core.parsing import Args
from bot.core.replies import Attachment, Reply
from bot.core.roles import Role
from bot.core.stats import StatsPeriod, StatsSection
from bot.skills.admin.audit_log import entry_line, newest_entries
from bot.skills.admin.export import export_tenant
from bot.skills.admin.stats import PERIODS, build_report, membership_section, render_report

AUDIT_DEFAULT = 20
AUDIT_MAX = 200


@command(
    "admin stats",
    summary="Engagement figures for the last 7, 30 or 90 days.",
    params=[
        Param(
            name="period",
            kind=ParamKind.CHOICE,
            choices=PERIODS,
            required=False,
            help="7d, 30d (the default) or 90d",
        )
    ],
    role=Role.MODERATOR,
    examples=("admin stats", "admin stats 90d"),
)
async def admin_stats(ctx: Context, args: Args) -> Reply:
    label = args.text("period") or "30d"
    period = StatsPeriod(end=ctx.now(), days=int(label.removesuffix("d")))
    sections = await build_report(ctx.session, ctx.registry, ctx.tenant.id, period)
    title, text = render_report(sections, period)
    await ctx.audit("admin stats", after={"period": label})
    return Reply(title=title, text=text, private=True)


async def membership_stats(
    session: AsyncSession, tenant_id: int, period: StatsPeriod
) -> StatsSection:
    return await membership_section(session, tenant_id, period)


@command(
    "admin audit",
    summary="The newest moderator and admin actions: who, what, when, before → after.",
    params=[
        Param(
            name="count",
            kind=ParamKind.INT,
            required=False,
            minimum=1,
            maximum=AUDIT_MAX,
            help=f"how many entries (default {AUDIT_DEFAULT})",
        )
    ],
    role=Role.MODERATOR,
    examples=("admin audit", "admin audit 50"),
    details="The log is written by Staffroom itself; nothing in it can be changed from chat.",
)
async def admin_audit(ctx: Context, args: Args) -> Reply:
    limit = args.integer("count") or AUDIT_DEFAULT
    entries, total = await newest_entries(ctx.session, ctx.tenant.id, limit)
    await ctx.audit("admin audit", after={"count": limit})
    if not entries:
        return Reply(text="The audit log is empty: no moderator has acted yet.", private=True)
    shown = f"the {len(entries)} newest of {total}" if total > len(entries) else f"all {total}"
    return Reply(
        title="Audit log",
        text="\n".join(entry_line(entry) for entry in entries),
        footer=f"Showing {shown}, newest first. The log can't be changed from chat.",
        private=True,
    )


@command(
    "admin export",
    summary="Get all of this community's data as a file (JSON, and a CSV per table).",
    role=Role.MODERATOR,
    examples=("admin export",),
    details="The file is sent to you in a direct message.",
)
async def admin_export(ctx: Context, args: Args) -> Reply:
    export = await export_tenant(ctx.session, ctx.tenant, ctx.now())
    await ctx.audit("admin export", after={"tables": export.tables, "rows": export.rows})
    await ctx.send_dm(
        ctx.member.user_id,
        Reply(
            text=f"Here is everything Staffroom stores for {ctx.tenant.name or 'this community'}: "
            f"{export.rows} rows from {export.tables} tables, as `staffroom.json` and one CSV "
            "per table. It holds members' personal data; keep it safe.",
            attachments=(
                Attachment(
                    filename=export.filename, content=export.content, mime_type="application/zip"
                ),
            ),
        ),
    )
    return Reply(text="I've sent you the export in a direct message.", private=True)
