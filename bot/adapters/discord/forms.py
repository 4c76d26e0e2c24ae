"""Forms as Discord modals: at most five inputs per modal, so longer forms come in pages.

A modal submit cannot open another modal, so after each page but the last the member gets a
"Continue (2/3)" button that opens the next one. The form and the answers so far are kept in a
draft (``discord_form_drafts``); the last page submits every answer at once, and a rejected
answer reopens only the fields to fix, filled in with what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot.adapters.discord.custom_ids import modal_id
from bot.core.events import Invocation
from bot.core.replies import Choice, FieldKind, Form, FormField

MAX_INPUTS = 5
_TITLE_LIMIT = 45
_LABEL_LIMIT = 45
_PLACEHOLDER_LIMIT = 100
_VALUE_LIMIT = 4000


def paginate(names: Sequence[str]) -> list[list[str]]:
    """Field names in pages of at most ``MAX_INPUTS``."""
    return [list(names[i : i + MAX_INPUTS]) for i in range(0, len(names), MAX_INPUTS)]


def form_to_data(form: Form) -> dict[str, Any]:
    """The form as JSON-ready data, to keep in a draft."""
    return {
        "title": form.title,
        "submit": [form.submit.command, dict(form.submit.args)],
        "submit_label": form.submit_label,
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind.value,
                "required": f.required,
                "placeholder": f.placeholder,
                "default": f.default,
                "options": [[o.label, o.value, o.description] for o in f.options],
                "max_length": f.max_length,
            }
            for f in form.fields
        ],
    }


def form_from_data(data: Mapping[str, Any]) -> Form:
    command, args = data["submit"]
    return Form(
        title=data["title"],
        submit=Invocation(command=command, args=dict(args)),
        submit_label=data["submit_label"],
        fields=tuple(
            FormField(
                name=f["name"],
                label=f["label"],
                kind=FieldKind(f["kind"]),
                required=f["required"],
                placeholder=f["placeholder"],
                default=f["default"],
                options=tuple(
                    Choice(label=label, value=value, description=description)
                    for label, value, description in f["options"]
                ),
                max_length=f["max_length"],
            )
            for f in data["fields"]
        ),
    )


def build_modal(
    form: Form,
    *,
    draft_id: int,
    page: int,
    pages: Sequence[Sequence[str]],
    answers: Mapping[str, str],
) -> discord.ui.Modal:
    """The modal for one page, each input filled in with its answer so far (or default)."""
    title = form.title if len(pages) == 1 else f"{form.title} ({page}/{len(pages)})"
    modal = discord.ui.Modal(
        title=_fit(title, _TITLE_LIMIT), custom_id=modal_id(draft_id, page), timeout=None
    )
    by_name = {f.name: f for f in form.fields}
    for name in pages[page - 1]:
        field = by_name[name]
        limit = max(1, min(field.max_length, _VALUE_LIMIT))
        value = answers.get(name, field.default)[:limit]
        modal.add_item(
            discord.ui.TextInput(
                label=_fit(field.label, _LABEL_LIMIT),
                custom_id=name,
                style=(
                    discord.TextStyle.paragraph
                    if field.kind is FieldKind.LONG_TEXT
                    else discord.TextStyle.short
                ),
                placeholder=_fit(_placeholder(field), _PLACEHOLDER_LIMIT) or None,
                default=value or None,
                required=field.required,
                max_length=limit,
            )
        )
    # Staffroom routes modal submits by custom id itself (see ``custom_ids``); a stopped modal
    # is not kept in discord.py's view store, so unsubmitted modals cost no memory.
    modal.stop()
    return modal


def _placeholder(field: FormField) -> str:
    if field.options:
        return "One of: " + ", ".join(o.value for o in field.options)
    return field.placeholder


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
