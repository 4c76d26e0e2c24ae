"""``staffroom resources import FILE``: load a network's existing resource list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import select

from bot.core.audit import record_audit
from bot.core.clock import Clock
from bot.core.events import TenantRef
from bot.core.members import TenantDirectory
from bot.core.skills import CliCommand
from bot.skills.resources.importer import ImportFileError, import_rows, read_file
from bot.storage.engine import Store
from bot.storage.errors import StartupError
from bot.storage.models import Tenant

PLATFORMS = ("console", "discord", "slack")


def add_arguments(load: argparse.ArgumentParser) -> None:
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


async def import_file(args: argparse.Namespace, store: Store, clock: Clock) -> int:
    try:
        rows, ignored = read_file(args.file, args.format)
    except ImportFileError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return 1
    ref = TenantRef(platform=args.platform, external_id=args.tenant)
    now = clock.now()
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
        report = await import_rows(session, tenant_id, rows, ignored_columns=ignored, now=now)
        await record_audit(
            session,
            tenant_id=tenant_id,
            actor=None,
            action="resource import",
            target=args.file.name,
            after={"imported": report.imported, "skipped": len(report.skipped)},
            now=now,
        )
    print("\n".join(report.lines(into=f"the {args.platform} community {args.tenant!r}")))
    return 0


IMPORT = CliCommand(
    name="resources import",
    help="import resources (url, title, description, type, subject, grades, tags) from a CSV "
    "or JSON file into one community, reporting the rows skipped and why",
    add_arguments=add_arguments,
    run=import_file,
)
