"""``staffroom init``: write a commented ``staffroom.toml`` and say what to do next."""

from __future__ import annotations

import argparse
import os
from importlib import resources
from pathlib import Path

from bot.storage.errors import StartupError

NEXT_STEPS = """\
Wrote {path} (readable by you only: it will hold tokens).
Every setting is in it, commented; environment variables STAFFROOM_<NAME> win over it.

Next:
  staffroom chat      try Staffroom in this terminal (no tokens needed)
  staffroom doctor    check the settings, the database, the tokens and the permissions
  Slack:    staffroom slack manifest  prints the app manifest to paste at api.slack.com/apps,
            then fill in the [slack] section and run  staffroom run slack
  Discord:  fill in the [discord] section, then  staffroom discord invite,
            staffroom discord sync  and  staffroom run discord
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "init",
        help="write a commented staffroom.toml to start from",
        description="Write a staffroom.toml listing every setting with its default and what "
        "it does, then say what to do next.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        default="staffroom.toml",
        type=Path,
        help="where to write it (default: ./staffroom.toml)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.set_defaults(run=run)


def example_settings() -> str:
    """The commented example settings shipped in the package."""
    return resources.files("bot.cli").joinpath("staffroom.example.toml").read_text("utf-8")


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if args.force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise StartupError(
            f"{path} already exists; edit it, or run `staffroom init --force` to replace it."
        ) from None
    except OSError as exc:
        raise StartupError(f"Cannot write {path}: {exc.strerror}.") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(example_settings())
    print(NEXT_STEPS.format(path=path), end="")
    return 0
