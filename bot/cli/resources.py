"""``staffroom resources import FILE``: load a network's existing resource list."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

PLATFORMS = ("console", "discord", "slack")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("resources", help="manage the resource library")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "import",
        help="import resources from a CSV or JSON file",
        description="Import resources (url, title, description, type, subject, grades, tags) "
        "from a CSV or JSON file into one community, reporting the rows skipped and why.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="a .csv or .json file")
    load.add_argument(
        "--tenant",
        default="demo",
        metavar="NAME",
        help="the community: a console community's name (default demo), a Discord server id "
        "or a Slack team id",
    )
    load.add_argument(
        "--platform", default="console", choices=PLATFORMS, help="where the community lives"
    )
    load.add_argument("--format", choices=("csv", "json"), help="when the suffix doesn't say")
    load.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from bot.core.clock import SystemClock
    from bot.core.errors import StartupError
    from bot.core.events import TenantRef
    from bot.settings import load_settings
    from bot.skills.resources.importer import ImportFileError, import_rows, read_file
    from bot.storage.audit import record_audit
    from bot.storage.engine import open_store
    from bot.storage.members import TenantDirectory
    from bot.storage.models import Tenant
    from bot.storage.schema import is_current, upgrade_schema

    try:
        rows, ignored = read_file(args.file, args.format)
    except ImportFileError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return 1
    settings = load_settings()
    ref = TenantRef(platform=args.platform, external_id=args.tenant)
    now = SystemClock().now()

    async def main() -> None:
        store = open_store(settings.database_url, schema=settings.database_schema)
        try:
            if settings.auto_upgrade:
                await upgrade_schema(store)
            elif not await is_current(store):
                raise StartupError(
                    "The database schema is not current; run `staffroom db upgrade`."
                )
            async with store.transaction() as session:
                if args.platform == "console":
                    tenant_id = (await TenantDirectory().ensure(session, ref, now)).id
                else:
                    found = await session.scalar(
                        select(Tenant.id).where(
                            Tenant.platform == ref.platform, Tenant.external_id == ref.external_id
                        )
                    )
                    if found is None:
                        raise StartupError(
                            f"Staffroom hasn't been used in the {args.platform} community "
                            f"{args.tenant!r} yet, so there is nothing to import into."
                        )
                    tenant_id = found
                report = await import_rows(
                    session, tenant_id, rows, ignored_columns=ignored, now=now
                )
                await record_audit(
                    session,
                    tenant_id=tenant_id,
                    actor=None,
                    action="resource import",
                    target=args.file.name,
                    after={"imported": report.imported, "skipped": len(report.skipped)},
                    now=now,
                )
        finally:
            await store.close()
        print("\n".join(report.lines(into=f"the {args.platform} community {args.tenant!r}")))

    asyncio.run(main())
    return 0
