"""``staffroom chat``: the console adapter."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from datetime import datetime

from bot.core.clock import Clock, ManualClock, SystemClock
from bot.core.roles import Role


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "chat",
        help="talk to Staffroom in this terminal (no tokens needed)",
        description="Talk to Staffroom in this terminal. Reads a script from stdin when piped.",
    )
    parser.add_argument("--as", dest="user", default="alex", metavar="NAME", help="who you are")
    parser.add_argument(
        "--role", default="member", choices=[r.label for r in Role], help="your role"
    )
    parser.add_argument("--tenant", default="demo", metavar="NAME", help="the community's name")
    parser.add_argument(
        "--clock",
        metavar="ISO-TIME",
        nargs="?",
        const="now",
        help="use a simulated clock (starting now, or at the given time) that /clock can move",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.adapters.console.repl import run_repl
    from bot.adapters.console.session import ConsoleSession
    from bot.app import start_app
    from bot.runtime.logs import configure_logging
    from bot.settings import load_settings

    settings = load_settings()
    # The conversation is the output here: only warnings, unless asked for more detail.
    configure_logging(
        level="WARNING" if settings.log_level == "INFO" else settings.log_level,
        json_lines=settings.log_format == "json",
    )
    clock = _clock(args.clock)

    async def main() -> None:
        app = await start_app(settings, clock=clock)
        try:
            session = ConsoleSession(
                app.dispatcher,
                clock=clock,
                user=args.user,
                role=Role.parse(args.role),
                tenant=args.tenant,
                scheduler=app.scheduler,
            )
            await app.start_background()
            _tolerate_bad_bytes()
            await run_repl(session, stdin=sys.stdin, stdout=sys.stdout)
        finally:
            await app.close()

    asyncio.run(main())
    return 0


def _tolerate_bad_bytes() -> None:
    """Bytes that are not UTF-8 (or a strict locale) must not end the conversation: they are
    read and written as U+FFFD instead."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")


def _clock(option: str | None) -> Clock:
    if option is None:
        return SystemClock()
    if option == "now":
        return ManualClock()
    try:
        start = datetime.fromisoformat(option)
    except ValueError:
        raise SystemExit(
            f"staffroom: --clock expects an ISO time like 2026-12-01T09:00+00:00, not {option!r}"
        ) from None
    if start.tzinfo is None:
        raise SystemExit("staffroom: --clock needs a time zone, like 2026-12-01T09:00+00:00")
    return ManualClock(start)
