"""Tab completion, line editing and history in ``staffroom chat`` on a terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.adapters.console.completion import CommandCompleter
from tests.support.console import Chat


async def test_tab_completes_the_commands_the_role_may_use(chat: Chat) -> None:
    complete = CommandCompleter(chat.session).candidates
    assert complete("he") == ["help"]
    assert complete("resource s") == ["save", "saved", "share", "show"]
    assert complete("resource sh") == ["share", "show"]
    assert complete("RESOURCE  sh") == ["share", "show"]
    assert "admin" not in complete("")  # members don't see moderators' commands
    assert complete("/c") == ["/cancel", "/clock"]
    assert complete("whois me ") == []
    await chat("/role moderator")
    assert "admin" in complete("")
    assert complete("admin config r") == ["reset"]


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> None:
    deadline = time.monotonic() + 30
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"waited for {wanted!r}; the terminal showed {bytes(seen)!r}"
        seen += os.read(fd, 4096)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_a_terminal_session_edits_completes_and_remembers(tmp_path: Path) -> None:
    import pty

    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    environment |= {"HOME": str(tmp_path), "TERM": "xterm", "INPUTRC": "/dev/null"}
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--as", "ana"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    os.close(terminal)
    seen = bytearray()
    prompt = b"ana@demo #general> "

    def type_line(keys: bytes, answer: bytes) -> None:
        # Type only once the prompt is up (readline is reading), then wait for the answer
        # and the next prompt.
        _read_until(controller, prompt, seen)
        del seen[:]
        os.write(controller, keys)
        _read_until(controller, answer, seen)

    try:
        type_line(b"who\tme\r", b"You haven't introduced yourself yet.")  # Tab: "whois "
        # "hepl", Left, Backspace (the "p"), Right, "p": "help" (the arrows edit the line).
        type_line(b"hepl\x1b[D\x7f\x1b[Cp\r", b"== What I can do for you (member) ==")
        type_line(b"peo\tfi\t\r", b"people find")
        type_line(b"/quit\r", b"Bye!")
        assert process.wait(timeout=30) == 0, process.stderr.read() if process.stderr else ""
    finally:
        process.kill()
        os.close(controller)
        if process.stderr:
            process.stderr.close()
    history = tmp_path / ".staffroom_history"
    assert "people find" in history.read_text()
    assert history.stat().st_mode & 0o077 == 0
