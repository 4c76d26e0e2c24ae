"""Line editing, history and tab completion for ``staffroom chat`` on a terminal.

The standard library's ``readline`` does the editing (arrow keys, Ctrl-R, …) where Python has
it (Linux, macOS); elsewhere the console reads plain lines. ``CommandCompleter`` is pure: it
completes the word being typed from the commands the current member's role may use.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from bot.adapters.console.session import CONSOLE_COMMANDS, ConsoleSession

HISTORY_LENGTH = 1000


class CommandCompleter:
    """Completions for the word at the end of a line, from the session's command names."""

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session

    def candidates(self, before_cursor: str) -> list[str]:
        if self.session.form is not None:
            return []
        *typed, current = before_cursor.split(" ")
        done = [word.lower() for word in typed if word]
        if not done and current.startswith("/"):
            names = (f"/{name}" for name in (*CONSOLE_COMMANDS, "quit"))
            return sorted(name for name in names if name.startswith(current.lower()))
        registry = self.session.dispatcher.registry
        found: set[str] = set()
        for cmd in registry.commands(role=self.session.user.role):
            words = cmd.name.split()
            if len(words) <= len(done) or words[: len(done)] != done:
                continue
            if words[len(done)].startswith(current.lower()):
                found.add(words[len(done)])
        return sorted(found)


def enable_line_editing(session: ConsoleSession, history: Path) -> Callable[[], None] | None:
    """Turn on readline for ``input()``; returns what saves the history, or None without
    readline. ``history`` is created readable by its owner only (it holds what was typed)."""
    try:
        import readline
    except ImportError:
        return None
    completer = CommandCompleter(session)
    matches: list[str] = []

    def complete(text: str, state: int) -> str | None:
        if state == 0:
            before = readline.get_line_buffer()[: readline.get_endidx()]
            # Python's readline adds no space after a completed word: the completer does.
            matches[:] = [word + " " for word in completer.candidates(before)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    if "libedit" in (readline.__doc__ or ""):  # macOS's readline is libedit underneath
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):
        readline.read_history_file(history)

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(history)
            os.chmod(history, 0o600)

    return save
