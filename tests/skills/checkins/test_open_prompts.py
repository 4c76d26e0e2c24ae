"""While a check-in waits for a member, their free text in a DM is the answer, even when it
starts with a command word; only an exact command still runs as one."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.app import App
from bot.skills.checkins.models import CheckinPrompt
from tests.skills.checkins.test_flow import form
from tests.support.console import Chat


async def answers(app: App) -> list[list[str]]:
    async with app.store.sessions() as session:
        rows = await session.scalars(
            select(CheckinPrompt).where(CheckinPrompt.answered_at.is_not(None))
        )
        return [list(row.answers) for row in rows]


async def asked(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone London")
    await chat("/as mo moderator", "checkin create", *form())
    await chat("/clock +7d")


async def test_an_answer_that_starts_with_a_command_word_is_the_answer(
    chat: Chat, app: App
) -> None:
    await asked(chat)
    out = await chat("/as ana", "/dm", "Help with report cards was what I needed")
    assert "your answer to “Weekly pulse” is recorded" in out
    assert "not as the command `help`" in out
    assert "What I can do for you" not in out
    assert await answers(app) == [["Help with report cards was what I needed"]]
    button = re.search(r"\[(\d+)\] Run help", out)
    assert button is not None
    ran = await chat(button.group(1))
    assert "I don't have a command called `with report cards" in ran  # help ran, on that topic
    assert await answers(app) == [["Help with report cards was what I needed"]]


async def test_an_exact_command_still_runs_while_a_prompt_waits(chat: Chat, app: App) -> None:
    await asked(chat)
    out = await chat("/as ana", "/dm", "help")
    assert "What I can do for you" in out
    assert await answers(app) == []
    out = await chat("Plain words")
    assert "your answer to “Weekly pulse” is recorded" in out
    assert "not as the command" not in out
    assert await answers(app) == [["Plain words"]]


async def test_without_a_waiting_prompt_a_dm_is_a_command(chat: Chat, app: App) -> None:
    await asked(chat)
    await chat("/as ana", "/dm", "Fine, thanks")
    out = await chat("Help with report cards was what I needed")
    assert "your answer" not in out
    assert await answers(app) == [["Fine, thanks"]]
