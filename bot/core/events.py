"""What adapters hand to the core: one ``Event`` per platform event worth handling."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from bot.core.roles import Role

_EMPTY: Mapping[str, str] = MappingProxyType({})


class EventKind(StrEnum):
    MESSAGE = "message"
    """A text message; ``addressed`` says whether it was meant for the bot."""
    INVOCATION = "invocation"
    """A structured call: a slash command, a button, a select or a submitted form."""
    MEMBER_JOINED = "member_joined"
    SCHEDULED = "scheduled"
    """Due scheduled work: the invocation names the job and carries its payload."""
    MEMBER_LEFT = "member_left"


@dataclass(frozen=True, kw_only=True, slots=True)
class TenantRef:
    """One community: a Discord guild, a Slack workspace or a console community."""

    platform: str
    external_id: str
    name: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Actor:
    """The platform user behind an event."""

    user_id: str
    display_name: str = ""
    platform_role: Role = Role.MEMBER
    """The role the platform itself grants (Discord Manage Server, Slack workspace admin)."""
    is_bot: bool = False
    timezone: str = ""
    """The user's time zone where the platform knows it (Slack's ``tz``), else empty."""
    locale: str = ""
    """The language the platform says they use (``pt-BR``), when the event carries it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Place:
    """Where the event happened: a channel, or a direct-message conversation."""

    channel_id: str
    is_dm: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Invocation:
    """A command called with named arguments instead of text (buttons, forms, slash commands).

    Arguments are strings: they pass through the same converters and checks as typed text.
    """

    command: str
    args: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def with_args(self, extra: Mapping[str, str]) -> Invocation:
        return Invocation(command=self.command, args={**self.args, **extra})

    def encode(self) -> str:
        """A compact string for a button's custom id or action value (see ``decode``)."""
        return json.dumps(
            [self.command, dict(self.args)], separators=(",", ":"), ensure_ascii=False
        )

    @classmethod
    def decode(cls, data: str) -> Invocation:
        """Read back ``encode``'s output; raises ``ValueError`` for anything malformed."""
        try:
            command, args = json.loads(data)
        except (TypeError, ValueError) as exc:
            raise ValueError("not an encoded invocation") from exc
        if not isinstance(command, str) or not isinstance(args, dict):
            raise ValueError("not an encoded invocation")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in args.items()):
            raise ValueError("invocation arguments must be strings")
        return cls(command=command, args=args)


MAX_FILE_BYTES = 2_000_000
"""The largest attached file an adapter reads into an event; larger ones arrive empty, with
``too_large`` set, so the skill can say so."""


@dataclass(frozen=True, kw_only=True, slots=True)
class EventFile:
    """A file attached to a message (Slack, Discord) or pasted (console), already read."""

    name: str
    content: bytes = b""
    too_large: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """One platform event, translated by an adapter.

    ``event_id`` is the platform's own id for it (Slack ``event_id``, Discord interaction or
    message id); the dispatcher uses it to drop retries.
    """

    kind: EventKind
    event_id: str
    tenant: TenantRef
    actor: Actor
    place: Place
    text: str = ""
    addressed: bool = True
    invocation: Invocation | None = None
    files: tuple[EventFile, ...] = ()
    """Files attached to an addressed message, in the order the platform lists them."""

    @property
    def platform(self) -> str:
        return self.tenant.platform
