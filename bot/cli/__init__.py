"""The ``staffroom`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata

from bot.cli import chat, db, discord_commands, doctor, init, run, skills, slack_commands
from bot.runtime.platforms import check_platform
from bot.storage.errors import StartupError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="staffroom", description="Staffroom, a community assistant for teacher networks."
    )
    parser.add_argument("--version", action="version", version=f"staffroom {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init.register(commands)
    chat.register(commands)
    db.register(commands)
    skills.register(commands)
    run.register(commands)
    doctor.register(commands)
    discord_commands.register(commands)
    slack_commands.register(commands)
    return parser


def version() -> str:
    """The installed distribution's version."""
    try:
        return metadata.version("staffroom")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except StartupError as exc:  # an installed skill that cannot load
        print(f"staffroom: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    problem = check_platform()
    if problem:
        print(f"staffroom: {problem}", file=sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except StartupError as exc:
        print(f"staffroom: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
