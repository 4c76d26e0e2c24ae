"""The discord.py client: which intents Staffroom asks for, and how events reach the adapter.

Each gateway event Staffroom handles is started as a tracked task the moment discord.py
dispatches it, so that shutting down can wait for the work in flight (and tests can wait for
exactly the events they sent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord

_log = logging.getLogger(__name__)

EventRoute = Callable[..., Coroutine[Any, Any, None]]


@dataclass(frozen=True, kw_only=True, slots=True)
class PrivilegedIntent:
    """A gateway intent Discord grants only when enabled in the Developer Portal."""

    name: str
    """The ``discord.Intents`` attribute."""
    flag: str
    """The ``discord.ApplicationFlags`` attribute saying it is enabled (or ``…_limited``)."""
    portal_name: str
    disables: str

    def granted(self, flags: discord.ApplicationFlags) -> bool:
        return bool(getattr(flags, self.flag) or getattr(flags, f"{self.flag}_limited"))

    def warning(self) -> str:
        return (
            f"Discord has not granted the {self.portal_name} intent (Developer Portal → Bot → "
            f"Privileged Gateway Intents), so Staffroom runs without it: {self.disables}"
        )


PRIVILEGED_INTENTS = (
    PrivilegedIntent(
        name="message_content",
        flag="gateway_message_content",
        portal_name="MESSAGE CONTENT",
        disables="text commands work only when they start with a mention of the bot (slash "
        "commands work fully), and links posted in the resources channel get no offer to add "
        "them to the library.",
    ),
    PrivilegedIntent(
        name="members",
        flag="gateway_guild_members",
        portal_name="SERVER MEMBERS",
        disables="newcomers get no welcome DM, departures go unnoticed (so their data is never "
        "cleaned up after the retention period), @name written as plain text can't be found, "
        "and commands typed in a DM can't tell which server they are for.",
    ),
)
INTENTS_REFUSED = (
    "Discord closed the connection with code 4014: Staffroom asked for a privileged intent "
    "this application does not have. Enable SERVER MEMBERS INTENT and MESSAGE CONTENT INTENT "
    "under Bot → Privileged Gateway Intents in the Discord Developer Portal, then start again."
)


def staffroom_intents(*, without: Sequence[PrivilegedIntent] = ()) -> discord.Intents:
    """Servers, their messages, DMs, members and message content — minus ``without``."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    for intent in PRIVILEGED_INTENTS:
        setattr(intents, intent.name, intent not in without)
    return intents


def missing_intents(flags: discord.ApplicationFlags) -> list[PrivilegedIntent]:
    return [intent for intent in PRIVILEGED_INTENTS if not intent.granted(flags)]


class TaskSet:
    """The event handlers in flight."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("a Discord event handler failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait until every handler has finished, including handlers started meanwhile."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class StaffroomClient(discord.Client):
    """A discord.py client that hands the events in ``routes`` to the adapter."""

    def __init__(self, *, routes: Mapping[str, EventRoute], tasks: TaskSet, **options: Any) -> None:
        super().__init__(**options)
        self._routes = routes
        self._tasks = tasks

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        super().dispatch(event, *args, **kwargs)
        route = self._routes.get(event)
        if route is not None:
            self._tasks.start(route(*args))


class ShardedStaffroomClient(StaffroomClient, discord.AutoShardedClient):
    """The same, on discord.py's AutoShardedClient (several gateway connections)."""
