"""The ``staffroom chat`` loop: prompts on a terminal, a plain transcript from a pipe."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from bot.adapters.console.completion import enable_line_editing
from bot.adapters.console.session import ConsoleSession

HISTORY_FILE = ".staffroom_history"
"""In the home directory: lines typed in earlier sessions, for the arrow keys and Ctrl-R."""


async def run_repl(
    session: ConsoleSession, *, stdin: TextIO, stdout: TextIO, history: Path | None = None
) -> None:
    """Read lines until end of input or ``/quit``; echo them when not on a terminal.

    On a terminal, lines can be edited, recalled (kept in ``history``) and completed with Tab.
    """
    interactive = stdin.isatty()
    save_history = None
    if interactive:
        save_history = enable_line_editing(session, history or Path.home() / HISTORY_FILE)
        stdout.write(
            "Staffroom console — type `help` for Staffroom's commands, /help for the console's, "
            "/quit to leave. Tab completes a command.\n"
        )
    try:
        await _loop(session, stdin=stdin, stdout=stdout, interactive=interactive)
    finally:
        if save_history is not None:
            save_history()
    if interactive:
        stdout.write("Bye!\n")


async def _loop(
    session: ConsoleSession, *, stdin: TextIO, stdout: TextIO, interactive: bool
) -> None:
    while True:
        if interactive:
            try:
                line = await asyncio.to_thread(input, session.prompt)
            except EOFError:
                break
        else:
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            stdout.write(f"{session.prompt}{line}\n")
        if line.strip() == "/quit":
            break
        for out in await session.feed(line):
            stdout.write(out + "\n")
        stdout.flush()
