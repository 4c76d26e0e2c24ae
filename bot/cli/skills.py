"""``staffroom <command>`` for the operator commands skills declare (``Skill.cli``)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TypeAlias

from bot.core.clock import SystemClock
from bot.core.skills import CliCommand, discover_skills, migration_branches
from bot.storage.errors import StartupError

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(commands: Commands) -> None:
    groups: dict[str, Commands] = {}
    for skill in discover_skills():
        for declared in skill.cli:
            group, _, action = declared.name.partition(" ")
            if not action:
                parser = commands.add_parser(group, help=declared.help)
            else:
                if group not in groups:
                    holder = commands.add_parser(group, help=f"{group} commands")
                    groups[group] = holder.add_subparsers(
                        dest="action", required=True, metavar="ACTION"
                    )
                parser = groups[group].add_parser(
                    action, help=declared.help, description=declared.help
                )
            declared.add_arguments(parser)
            parser.set_defaults(run=lambda args, declared=declared: _run(declared, args))


def _run(declared: CliCommand, args: argparse.Namespace) -> int:
    """Open the store (upgrading its schema, or refusing), then run the skill's command."""
    from bot.settings import load_settings
    from bot.storage.engine import open_store
    from bot.storage.schema import is_current, upgrade_schema

    settings = load_settings()

    async def main() -> int:
        store = open_store(settings.database_url, schema=settings.database_schema)
        try:
            branches = migration_branches(discover_skills())
            if settings.auto_upgrade:
                await upgrade_schema(store, branches)
            elif not await is_current(store, branches):
                raise StartupError(
                    "The database schema is not current; run `staffroom db upgrade`."
                )
            return await declared.run(args, store, SystemClock())
        finally:
            await store.close()

    return asyncio.run(main())
