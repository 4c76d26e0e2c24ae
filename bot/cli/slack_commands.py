"""``staffroom slack manifest``: the Slack app manifest shipped with Staffroom."""

from __future__ import annotations

import argparse
import sys


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("slack", help="set up the Slack app")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    manifest = actions.add_parser(
        "manifest",
        help="print the Slack app manifest (scopes, events, slash command)",
        description="Print the app manifest to paste at api.slack.com/apps → Create New App → "
        "From a manifest. It asks for the scopes `staffroom doctor` checks.",
    )
    manifest.set_defaults(run=run_manifest)


def run_manifest(args: argparse.Namespace) -> int:
    from bot.adapters.slack.setup import app_manifest

    sys.stdout.write(app_manifest())
    return 0
