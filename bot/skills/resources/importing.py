"""``resource import`` in chat: moderators load a CSV or JSON list attached to the message
(Slack, Discord) or pasted in the console, with the same checks and report as the command line
(``staffroom resources import``)."""

from __future__ import annotations

from bot.core.commands import command
from bot.core.context import Context
from bot.core.errors import UsageError, UserFacingError
from bot.core.events import MAX_FILE_BYTES
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.skills.resources.importer import ImportFileError, import_rows, read_upload

HOW = (
    "Attach a .csv or .json file to the message `resource import` (columns: url, title, "
    "description, type, subject, grades, tags), or in the console type `/paste resource "
    "import`, paste the lines and finish with `/end`."
)


@command(
    "resource import",
    summary="Import resources from a CSV or JSON file attached to the message.",
    role=Role.MODERATOR,
    examples=("resource import",),
    details=HOW,
)
async def resource_import(ctx: Context, args: Args) -> Reply:
    if not ctx.event.files:
        raise UsageError(f"I need a file to import. {HOW}")
    upload = ctx.event.files[0]
    if upload.too_large:
        raise UserFacingError(
            f"{upload.name} is larger than {MAX_FILE_BYTES:,} bytes; split it, or use "
            "`staffroom resources import` on the server. Nothing was imported."
        )
    try:
        rows, ignored = read_upload(upload.name, upload.content)
    except ImportFileError as exc:
        raise UserFacingError(f"{exc} Nothing was imported.") from None
    report = await import_rows(
        ctx.session, ctx.tenant.id, rows, ignored_columns=ignored, now=ctx.now()
    )
    await ctx.audit(
        "resource import",
        target=upload.name[:100],
        after={"imported": report.imported, "skipped": len(report.skipped)},
    )
    extra = " (only the first file was read)" if len(ctx.event.files) > 1 else ""
    lines = report.lines(into=f"the library{extra}")
    return Reply(text="\n".join(lines), private=True)
