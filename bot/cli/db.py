"""``staffroom db``: schema migrations, backups and restores."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("db", help="manage the database")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade", help="apply pending schema migrations (and installed skills' own)"
    )
    upgrade.set_defaults(run=run_upgrade)
    backup = actions.add_parser(
        "backup", help="copy the database to FILE (safe while Staffroom runs)"
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(run=run_backup)
    restore = actions.add_parser(
        "restore", help="replace the database with the backup in FILE (Staffroom stopped)"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(run=run_restore)


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.core.skills import discover_skills, migration_branches
    from bot.settings import load_settings
    from bot.storage.engine import open_store
    from bot.storage.schema import SCHEMA_HEAD, upgrade_schema

    settings = load_settings()
    branches = migration_branches(discover_skills())

    async def main() -> bool:
        store = open_store(settings.database_url, schema=settings.database_schema)
        try:
            return await upgrade_schema(store, branches)
        finally:
            await store.close()

    changed = asyncio.run(main())
    print(f"Schema {'upgraded to' if changed else 'already at'} {SCHEMA_HEAD}.")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from bot.storage.backup import backup

    settings = load_settings()
    print(backup(settings.database_url, args.file, schema=settings.database_schema))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from bot.storage.backup import restore

    settings = load_settings()
    print(restore(settings.database_url, args.file, schema=settings.database_schema))
    print("Start Staffroom again; it upgrades the restored schema if it is older.")
    return 0
