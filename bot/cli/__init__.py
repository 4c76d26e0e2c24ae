"""The ``staffroom`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import chat, db, discord_commands, doctor, run, skills
from bot.storage.errors import StartupError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="staffroom", description="Staffroom, a community assistant for teacher networks."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chat.register(commands)
    db.register(commands)
    skills.register(commands)
    run.register(commands)
    doctor.register(commands)
    discord_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except StartupError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
