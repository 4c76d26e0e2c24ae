"""A dispatcher that answers only after a few turns of the event loop."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.dispatcher import Dispatcher
from bot.core.events import Event
from bot.core.replies import Reply


def answer_after_a_few_turns(monkeypatch: pytest.MonkeyPatch, dispatcher: Dispatcher) -> None:
    """As store or network work would: an answer from caches (``help``) needs no turn at all,
    so an adapter's zero-second budget would never run out before it."""
    handle = dispatcher.handle

    async def slow_handle(event: Event) -> list[Reply]:
        for _ in range(3):
            await asyncio.sleep(0)
        return await handle(event)

    monkeypatch.setattr(dispatcher, "handle", slow_handle)
