"""Filling in a form in the console, one field per line: the progress, the prompt, the options."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.adapters.console.render import plain
from bot.core.events import Place
from bot.core.replies import Form, FormField
from bot.core.text import whole_number


@dataclass(kw_only=True)
class FormProgress:
    """A form being filled in, one field per line."""

    form: Form
    place: Place
    values: dict[str, str]
    queue: list[FormField]

    @property
    def current(self) -> FormField:
        return self.queue[0]


def field_prompt(form_field: FormField, current: str) -> str:
    mark = "*" if form_field.required else ""
    hint = ""
    if form_field.options:
        hint = " (" + ", ".join(f"{i}={o.label}" for i, o in enumerate(form_field.options, 1)) + ")"
    elif form_field.placeholder and not current:
        hint = f" (e.g. {form_field.placeholder})"
    shown = f" [{plain(current)}]" if current else ""
    return f"{form_field.label}{mark}{hint}{shown}: "


def pick_options(form_field: FormField, answer: str) -> str:
    """Numbers pick options ("1, 3"); anything else is taken as typed."""
    picked = []
    for part in re.split(r"[\s,]+", answer.strip()):
        number = whole_number(part, minimum=1, maximum=len(form_field.options))
        if number is not None:
            picked.append(form_field.options[number - 1].value)
        elif part:
            picked.append(part)
    return ", ".join(picked)
