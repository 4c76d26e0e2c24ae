"""Nothing typed at the console ends it: odd numbers for options, bad bytes, far clocks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.console import Chat


@pytest.mark.parametrize("typed", ["²", "①", "9" * 4301, "0", "07"])
async def test_any_answer_to_numbered_options_is_safe(chat: Chat, typed: str) -> None:
    out = await chat("privacy forget")
    assert "[1]" in out
    out = await chat(typed)
    assert "error id" not in out
    assert "There's no option" in out or "I don't know" in out


async def test_a_form_choice_answered_with_a_circled_digit_is_refused(chat: Chat) -> None:
    await chat("resource share", "https://example.org/fractions", "Fractions")
    out = await chat("①", "math", "", "", "")
    assert "error id" not in out
    assert "The type must be one of: lesson-plan, article" in out


async def test_the_clock_stops_at_the_end_of_the_schedulable_dates(chat: Chat) -> None:
    out = await chat("/clock 9999-12-31 23:59")
    assert "The clock stops at 2999-12-31" in out


def test_invalid_utf8_under_a_strict_locale_keeps_the_console_running(tmp_path: Path) -> None:
    script = b"help me\xff\xfe\n/whoami\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=script,
        capture_output=True,
        cwd=tmp_path,
        env={"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"You are @alex" in result.stdout
