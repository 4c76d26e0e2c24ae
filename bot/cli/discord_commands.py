"""``staffroom discord sync`` and ``staffroom discord invite``."""

from __future__ import annotations

import argparse
import asyncio


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("discord", help="manage the Discord application")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sync = actions.add_parser(
        "sync",
        help="send the slash commands to Discord (only when they changed)",
        description="Register the slash commands in the test server (discord.test_guild_id), "
        "or in every server with --global. Nothing is sent when they have not changed since "
        "the last sync, because Discord limits how often commands may be created.",
    )
    sync.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="register in every server, even when discord.test_guild_id is set",
    )
    sync.add_argument("--force", action="store_true", help="send even if nothing changed")
    sync.set_defaults(run=run_sync)
    invite = actions.add_parser(
        "invite",
        help="print the link that adds Staffroom to a server",
        description="Print the OAuth2 link a server owner opens to add Staffroom with the "
        "permissions it needs (uses discord.application_id, or the token to look it up).",
    )
    invite.set_defaults(run=run_invite)


def run_sync(args: argparse.Namespace) -> int:
    from bot.adapters.discord.adapter import discord_token
    from bot.adapters.discord.application import SyncOutcome, sync_commands
    from bot.app import start_app
    from bot.settings import load_settings

    settings = load_settings()
    discord_token(settings.discord)

    async def main() -> SyncOutcome:
        app = await start_app(settings)
        try:
            return await sync_commands(
                app, settings.discord, everywhere=args.everywhere, force=args.force
            )
        finally:
            await app.close()

    outcome = asyncio.run(main())
    where = "every server" if outcome.scope == "global" else f"server {outcome.scope}"
    if outcome.sent:
        print(f"Sent {outcome.commands} slash commands to {where}.")
    else:
        print(
            f"The {outcome.commands} slash commands in {where} are up to date; nothing was sent "
            "(--force sends them anyway)."
        )
    return 0


def run_invite(args: argparse.Namespace) -> int:
    from bot.adapters.discord.application import application_id, invite_url
    from bot.settings import load_settings

    settings = load_settings()
    print(invite_url(asyncio.run(application_id(settings.discord))))
    return 0
