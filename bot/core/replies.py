"""What the core hands back to adapters: a ``Reply`` is text plus optional structure.

Text is plain; members and channels are written ``<@user_id>`` and ``<#channel_id>`` (the
form Slack and Discord both use) and each adapter renders them for its platform. A moment is
written with ``timestamp``: each reader's own app shows it in their zone (Discord ``<t:…>``,
Slack ``<!date^…>``), and a platform without that (the console) shows the fallback text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.core.events import Invocation


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def channel_mention(channel_id: str) -> str:
    return f"<#{channel_id}>"


def and_list(items: Sequence[str]) -> str:
    """``math``, ``math and art``, ``math, art and music``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class TimeStyle(StrEnum):
    FULL = "F"
    """Weekday, date and time."""
    RELATIVE = "R"
    """How far away ("in 3 days"), where the platform can say it."""


TIMESTAMP = re.compile(r"<t:(-?\d{1,12}):([FR])\|([^<>]*)>")
"""A ``timestamp`` token: the Unix time, the style and the fallback text."""


def timestamp(moment: datetime, *, fallback: str, style: TimeStyle = TimeStyle.FULL) -> str:
    """``moment`` shown in each reader's own zone where the platform can; elsewhere
    ``fallback`` (write it in the zone of whoever will read it, named)."""
    shown = fallback.replace("<", "").replace(">", "").replace("|", "/")
    return f"<t:{int(moment.timestamp())}:{style.value}|{shown}>"


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, kw_only=True, slots=True)
class Button:
    label: str
    action: Invocation
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True, kw_only=True, slots=True)
class Choice:
    label: str
    value: str
    description: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ChoiceList:
    """A pick-one list; choosing calls ``action`` with the value under ``arg``."""

    placeholder: str
    options: tuple[Choice, ...]
    action: Invocation
    arg: str


class FieldKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    """Values are joined with ``", "`` when submitted."""


@dataclass(frozen=True, kw_only=True, slots=True)
class FormField:
    name: str
    label: str
    kind: FieldKind = FieldKind.SHORT_TEXT
    required: bool = False
    placeholder: str = ""
    default: str = ""
    options: tuple[Choice, ...] = ()
    max_length: int = 200


@dataclass(frozen=True, kw_only=True, slots=True)
class Form:
    """A form to fill in; submitting calls ``submit`` with each field's value as an argument."""

    title: str
    fields: tuple[FormField, ...]
    submit: Invocation
    submit_label: str = ""
    """Empty: the adapter's "Save", in the reader's language."""


@dataclass(frozen=True, kw_only=True, slots=True)
class CardField:
    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True, kw_only=True, slots=True)
class Reply:
    """A message from the bot. ``private`` replies are shown only to the actor (ephemeral)."""

    text: str = ""
    title: str = ""
    fields: tuple[CardField, ...] = ()
    footer: str = ""
    buttons: tuple[Button, ...] = ()
    choices: ChoiceList | None = None
    form: Form | None = None
    attachments: tuple[Attachment, ...] = ()
    private: bool = False
    field_errors: dict[str, str] = field(default_factory=dict)
    """Set when a submitted form was rejected: field name → what to fix."""
    language: str = ""
    """The reader's language, for the adapter's own words around it (a form's buttons); set
    by the dispatcher and ``Context`` (empty: English)."""
    delivery_key: str = ""
    """Set by the outbox: a key the adapter attaches to the message where the platform keeps
    one (Slack message metadata), so that a send whose outcome was lost in a crash can be
    looked up (``ChatPort.find_delivery``) instead of sent twice."""
