"""Rendering a core ``Reply`` as Slack Block Kit: the one place that knows Slack's layout.

Text becomes ``mrkdwn`` with ``&``, ``<`` and ``>`` escaped, except the core's own mentions
``<@U…>`` and ``<#C…>``, which Slack reads as they are. Buttons carry their ``Invocation`` in
their value; a choice list is a static select whose block id carries the invocation (forms
become modals in ``modals``). Slack's size limits (block counts, text lengths) are applied
here, never left to an API error.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.events import Invocation
from bot.core.replies import (
    TIMESTAMP,
    Button,
    ButtonStyle,
    CardField,
    ChoiceList,
    Reply,
    TimeStyle,
)

_log = logging.getLogger(__name__)

ACTION_PREFIX = "sr:"
BUTTON_ACTION = "sr:btn"
"""``sr:btn:<n>``: a button whose value is an encoded ``Invocation``."""
SAY_ACTION = "sr:say"
"""A button whose value is a command line to run again (to open a form with a fresh trigger)."""
OPEN_ACTION = "sr:open"
"""A button whose value is a whole form (``modals.encode_form``): a click opens it."""
SELECT_ACTION = "sr:sel"
SELECT_BLOCK = "sr:sel:"
"""The select's block id: this prefix and ``[command, args, arg]`` as JSON."""
FORM_CALLBACK = "sr:form"
WORKING_CALLBACK = "sr:working"
FIELD_ACTION = "value"
"""The action id of every input of a form; the block id is the field's name."""

MAX_MESSAGE_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS_PER_SECTION = 10
MAX_HEADER = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS_PER_BLOCK = 25
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BLOCK_ID = 255
MAX_PLACEHOLDER = 150
MAX_MODAL_TITLE = 24
MAX_MODAL_BLOCKS = 100
MAX_METADATA = 3000
MAX_INPUT_LENGTH = 3000
MAX_FALLBACK_TEXT = 3000

_CORE_MENTION = re.compile(r"<([@#])([A-Za-z0-9_.\-]{1,64})>")
_SLACK_DATE = {
    TimeStyle.FULL: "{date_long_pretty} {time}",
    TimeStyle.RELATIVE: "{date_short_pretty} {time}",
}


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs ask."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Core text as Slack ``mrkdwn``: escaped, with the core's mentions passed through."""
    parts: list[str] = []
    position = 0
    for found in _CORE_MENTION.finditer(text):
        parts.append(_with_dates(text[position : found.start()]))
        parts.append(found.group(0))
        position = found.end()
    parts.append(_with_dates(text[position:]))
    return "".join(parts)


def _with_dates(text: str) -> str:
    """Escaped text whose ``timestamp`` tokens become Slack dates (``<!date^…>``), which each
    reader's app shows in their own zone, with the fallback where it cannot."""
    parts: list[str] = []
    position = 0
    for found in TIMESTAMP.finditer(text):
        unix, style, fallback = found.groups()
        parts.append(escape(text[position : found.start()]))
        parts.append(f"<!date^{unix}^{_SLACK_DATE[TimeStyle(style)]}|{escape(fallback)}>")
        position = found.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def plain(text: str, limit: int) -> str:
    """Text for a ``plain_text`` object (no markup, so mentions are shown as @id/#id)."""
    shown = _CORE_MENTION.sub(lambda m: m.group(1) + m.group(2), TIMESTAMP.sub(r"\3", text))
    shown = shown.strip()
    return cut(shown, limit)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit) or " ", "emoji": True}


@dataclass(frozen=True, kw_only=True, slots=True)
class FormOpener:
    """A button that runs the event again so that Slack hands us a fresh trigger for a modal.

    Slack opens a modal only in answer to a click or a slash command (a trigger lives three
    seconds), so a form asked for by a typed message arrives as this button.
    """

    label: str
    action_id: str
    value: str


@dataclass(frozen=True, kw_only=True, slots=True)
class MessagePayload:
    text: str
    """The notification and fallback text."""
    blocks: list[dict[str, Any]]


def render_message(reply: Reply, *, opener: FormOpener | None = None) -> MessagePayload:
    """A reply as a message (its form, if any, is opened separately or through ``opener``)."""
    head: list[dict[str, Any]] = []
    if reply.title:
        if _CORE_MENTION.search(reply.title):
            head.append(section(f"*{mrkdwn(reply.title)}*"))
        else:
            head.append({"type": "header", "text": plain_text(reply.title, MAX_HEADER)})
    body = [section(chunk) for chunk in chunks(mrkdwn(reply.text), MAX_SECTION_TEXT)]
    body += _field_sections(reply.fields)
    tail: list[dict[str, Any]] = []
    if reply.footer:
        tail.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _footer(reply.footer)}]}
        )
    tail += _button_blocks(reply.buttons, opener)
    if reply.choices is not None:
        tail += _select_blocks(reply.choices)
    room = MAX_MESSAGE_BLOCKS - len(head) - len(tail)
    if len(body) > room:
        _log.warning("a reply of %d blocks was shortened to fit a Slack message", len(body))
        body = [*body[: room - 1], section("_(shortened to fit in Slack)_")]
    return MessagePayload(text=fallback_text(reply), blocks=[*head, *body, *tail])


def fallback_text(reply: Reply) -> str:
    """The plain text Slack shows in notifications and where blocks cannot be shown."""
    lines = [line for line in (reply.title, reply.text) if line]
    if not lines and reply.fields:
        lines = [f"{f.name}: {f.value}" for f in reply.fields]
    return cut(mrkdwn("\n".join(lines)) or " ", MAX_FALLBACK_TEXT)


def _footer(text: str) -> str:
    return cut(mrkdwn(text), MAX_SECTION_TEXT)


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def chunks(text: str, limit: int) -> list[str]:
    """Split at line ends into pieces Slack accepts; a single over-long line is cut."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current.strip():
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()]


def _field_sections(fields: Sequence[CardField]) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    inline: list[dict[str, Any]] = []
    for card_field in fields:
        text = cut(f"*{mrkdwn(card_field.name)}*\n{mrkdwn(card_field.value)}", MAX_FIELD_TEXT)
        if card_field.inline:
            inline.append({"type": "mrkdwn", "text": text})
            if len(inline) == MAX_FIELDS_PER_SECTION:
                sections.append({"type": "section", "fields": inline})
                inline = []
            continue
        if inline:
            sections.append({"type": "section", "fields": inline})
            inline = []
        sections.append(section(text))
    if inline:
        sections.append({"type": "section", "fields": inline})
    return sections


def _button(label: str, action_id: str, value: str, style: ButtonStyle) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain_text(label, MAX_BUTTON_LABEL),
        "value": value,
    }
    if style is not ButtonStyle.DEFAULT:
        element["style"] = style.value
    return element


def _button_blocks(buttons: Sequence[Button], opener: FormOpener | None) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    if opener is not None:
        elements.append(_button(opener.label, opener.action_id, opener.value, ButtonStyle.PRIMARY))
    for index, button in enumerate(buttons):
        value = button.action.encode()
        if len(value) > MAX_BUTTON_VALUE:
            _log.warning("left out button %r: its action is too long for Slack", button.label)
            continue
        elements.append(_button(button.label, f"{BUTTON_ACTION}:{index}", value, button.style))
    return [
        {"type": "actions", "elements": elements[start : start + MAX_BUTTONS_PER_BLOCK]}
        for start in range(0, len(elements), MAX_BUTTONS_PER_BLOCK)
    ]


def option(label: str, value: str, description: str = "") -> dict[str, Any]:
    option: dict[str, Any] = {"text": plain_text(label, MAX_OPTION_TEXT), "value": value}
    if description:
        option["description"] = plain_text(description, MAX_OPTION_TEXT)
    return option


def _select_blocks(choices: ChoiceList) -> list[dict[str, Any]]:
    block_id = SELECT_BLOCK + json.dumps(
        [choices.action.command, dict(choices.action.args), choices.arg],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    options = [
        option(c.label, c.value, c.description)
        for c in choices.options[:MAX_OPTIONS]
        if len(c.value) <= MAX_OPTION_VALUE
    ]
    if len(block_id) > MAX_BLOCK_ID or not options:
        _log.warning("left out a choice list (%r): it does not fit Slack", choices.placeholder)
        return []
    return [
        {
            "type": "actions",
            "block_id": block_id,
            "elements": [
                {
                    "type": "static_select",
                    "action_id": SELECT_ACTION,
                    "placeholder": plain_text(choices.placeholder, MAX_PLACEHOLDER),
                    "options": options,
                }
            ],
        }
    ]


def read_select_block(block_id: str) -> tuple[Invocation, str]:
    """The invocation and argument name a select's block id carries; ``ValueError`` if none."""
    if not block_id.startswith(SELECT_BLOCK):
        raise ValueError("not a Staffroom select")
    try:
        command, args, arg = json.loads(block_id.removeprefix(SELECT_BLOCK))
    except (TypeError, ValueError) as exc:
        raise ValueError("not a Staffroom select") from exc
    invocation = Invocation.decode(json.dumps([command, args]))
    if not isinstance(arg, str):
        raise ValueError("not a Staffroom select")
    return invocation, arg
