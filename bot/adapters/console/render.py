"""Rendering a ``Reply`` as terminal text: buttons and choices become numbered options."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.events import Invocation, Place
from bot.core.replies import TIMESTAMP, Reply

_USER = re.compile(r"<@!?([^>|]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([^>|]+)(?:\|[^>]*)?>")


@dataclass(frozen=True, kw_only=True, slots=True)
class Action:
    """A numbered option the console user can pick by typing its number."""

    label: str
    invocation: Invocation
    place: Place


def plain(text: str) -> str:
    """Mentions as @id and #id; a moment as its fallback, written in the reader's zone."""
    return TIMESTAMP.sub(r"\3", _CHANNEL.sub(r"#\1", _USER.sub(r"@\1", text)))


def render(reply: Reply, *, place: Place, first_number: int) -> tuple[list[str], list[Action]]:
    """The lines to print, and the numbered actions they offer (numbering from ``first_number``)."""
    lines: list[str] = []
    if reply.title:
        lines.append(f"== {plain(reply.title)} ==")
    if reply.text:
        lines += plain(reply.text).splitlines()
    for card_field in reply.fields:
        lines.append(f"  {card_field.name}: {plain(card_field.value)}")
    if reply.footer:
        lines.append(f"  ({plain(reply.footer)})")
    actions: list[Action] = []
    for button in reply.buttons:
        actions.append(Action(label=button.label, invocation=button.action, place=place))
    if reply.choices is not None:
        choices = reply.choices
        lines.append(f"  {choices.placeholder}:")
        for option in choices.options:
            label = option.label + (f" — {option.description}" if option.description else "")
            actions.append(
                Action(
                    label=label,
                    invocation=choices.action.with_args({choices.arg: option.value}),
                    place=place,
                )
            )
    if actions:
        numbered = [f"[{first_number + i}] {a.label}" for i, a in enumerate(actions)]
        lines.append("  " + "   ".join(numbered))
    return lines, actions
