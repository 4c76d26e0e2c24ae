"""What the dispatcher reports about each event it handled: one log line and any observers.

The record carries who and what in outline (tenant, platform, skill, command, outcome,
latency, error id), never what anyone wrote: message bodies and arguments stay out of logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.core.commands import Command

_log = logging.getLogger("bot.core.dispatcher")


class Outcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"
    """A friendly refusal: bad input, a missing permission, something not found."""
    ERROR = "error"
    """An unexpected exception; the member got an apology with the error id."""
    DUPLICATE = "duplicate"
    """A platform retry of an event already handled."""
    IGNORED = "ignored"
    """A bot's own message, or a blocked member turned away."""
    SHED = "shed"
    """Arrived while the process was shutting down; not claimed, so a retry can run it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class HandledEvent:
    platform: str
    tenant: str
    """The platform's id of the community (a Slack team id, a Discord guild id)."""
    kind: str
    skill: str
    command: str
    outcome: Outcome
    latency_s: float
    error_id: str = ""
    error_type: str = ""


EventObserver = Callable[[HandledEvent], None]


def skill_of(command: Command | None) -> str:
    """The skill that answered, ``-`` when no command ran (a listener, a duplicate)."""
    return command.skill if command is not None else "-"


def log_handled(record: HandledEvent) -> None:
    """The one line per event: INFO, or WARNING for an unexpected error."""
    level = logging.WARNING if record.outcome is Outcome.ERROR else logging.INFO
    if not _log.isEnabledFor(level):
        return
    fields: dict[str, object] = {
        "platform": record.platform,
        "tenant": record.tenant,
        "kind": record.kind,
        "skill": record.skill,
        "command": record.command or "-",
        "outcome": str(record.outcome),
        "latency_ms": round(record.latency_s * 1000, 2),
    }
    if record.error_id:
        fields["error_id"] = record.error_id
        fields["error_type"] = record.error_type
    _log.log(level, "event handled", extra={"fields": fields})
