"""``staffroom doctor``: check settings, database, schema, tokens and permissions."""

from __future__ import annotations

import argparse
import asyncio


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "doctor", help="check settings, database, tokens and permissions, and say what to fix"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.runtime.doctor import Status, examine
    from bot.settings import load_settings
    from bot.storage.errors import SettingsError

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"[fail] settings: {exc}")
        return 1
    print("[  ok] settings: loaded")
    findings = asyncio.run(examine(settings))
    for finding in findings:
        print(finding.line())
    failed = sum(1 for f in findings if f.status is Status.FAIL)
    print("All good." if not failed else f"{failed} problem(s) to fix.")
    return 1 if failed else 0
