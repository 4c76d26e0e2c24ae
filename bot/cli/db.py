"""``staffroom db``: schema migrations."""

from __future__ import annotations

import argparse
import asyncio


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("db", help="manage the database")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply pending schema migrations")
    upgrade.set_defaults(run=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from bot.storage.engine import open_store
    from bot.storage.schema import SCHEMA_HEAD, upgrade_schema

    settings = load_settings()

    async def main() -> bool:
        store = open_store(settings.database_url, schema=settings.database_schema)
        try:
            return await upgrade_schema(store)
        finally:
            await store.close()

    changed = asyncio.run(main())
    print(f"Schema {'upgraded to' if changed else 'already at'} {SCHEMA_HEAD}.")
    return 0
