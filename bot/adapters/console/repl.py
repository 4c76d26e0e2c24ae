"""The ``staffroom chat`` loop: prompts on a terminal, a plain transcript from a pipe."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.adapters.console.session import ConsoleSession


async def run_repl(session: ConsoleSession, *, stdin: TextIO, stdout: TextIO) -> None:
    """Read lines until end of input or ``/quit``; echo them when not on a terminal."""
    interactive = stdin.isatty()
    if interactive:
        stdout.write(
            "Staffroom console — type `help` for Staffroom's commands, /help for the console's, "
            "/quit to leave.\n"
        )
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
    if interactive:
        stdout.write("Bye!\n")
