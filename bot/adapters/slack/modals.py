"""Forms as Slack modals: the view, the answers read back, and field errors shown in it.

The modal's private metadata carries the form's submit invocation and where the form was
opened, so its answers run as that invocation and are answered there. A form sent in a DM or
a channel post (where there is no click to open a modal with) travels whole, compressed, in
the value of a button that opens it.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.blocks import (
    FIELD_ACTION,
    FORM_CALLBACK,
    MAX_BUTTON_VALUE,
    MAX_FIELD_TEXT,
    MAX_INPUT_LENGTH,
    MAX_METADATA,
    MAX_MODAL_BLOCKS,
    MAX_MODAL_TITLE,
    MAX_OPTION_VALUE,
    MAX_OPTIONS,
    MAX_PLACEHOLDER,
    MAX_SECTION_TEXT,
    WORKING_CALLBACK,
    chunks,
    cut,
    mrkdwn,
    option,
    plain_text,
    section,
)
from bot.core.events import Invocation
from bot.core.i18n import Translator
from bot.core.replies import Choice, FieldKind, Form, FormField


@dataclass(frozen=True, kw_only=True, slots=True)
class FormOrigin:
    """Where a form was opened, carried in the modal so its answers go back there."""

    submit: Invocation
    channel_id: str
    is_dm: bool
    thread_ts: str | None = None

    def encode(self) -> str:
        return json.dumps(
            {
                "i": [self.submit.command, dict(self.submit.args)],
                "c": self.channel_id,
                "d": self.is_dm,
                "t": self.thread_ts,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def decode(cls, data: str) -> FormOrigin:
        """Read back ``encode``'s output; raises ``ValueError`` for anything else."""
        try:
            raw = json.loads(data)
            submit = Invocation.decode(json.dumps(raw["i"]))
            channel, is_dm, thread = raw["c"], raw["d"], raw["t"]
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError("not a Staffroom form") from exc
        if not isinstance(channel, str) or not isinstance(is_dm, bool):
            raise ValueError("not a Staffroom form")
        if thread is not None and not isinstance(thread, str):
            raise ValueError("not a Staffroom form")
        return cls(submit=submit, channel_id=channel, is_dm=is_dm, thread_ts=thread)


MAX_FORM_BYTES = 64_000
"""More than any form a button value can hold inflates to; a bigger one is not ours."""


def encode_form(form: Form) -> str | None:
    """The whole form as a button value, or None when it is too big for one."""
    raw = json.dumps(
        [
            form.title,
            form.submit_label,
            form.submit.encode(),
            [
                [
                    f.name,
                    f.label,
                    f.kind.value,
                    f.required,
                    f.placeholder,
                    f.default,
                    [[o.label, o.value, o.description] for o in f.options],
                    f.max_length,
                ]
                for f in form.fields
            ],
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    value = base64.b64encode(zlib.compress(raw.encode(), 9)).decode()
    return value if len(value) <= MAX_BUTTON_VALUE else None


def decode_form(value: str) -> Form:
    """Read back ``encode_form``'s output; raises ``ValueError`` for anything else."""
    try:
        inflate = zlib.decompressobj()
        raw = inflate.decompress(base64.b64decode(value, validate=True), MAX_FORM_BYTES)
        if not inflate.eof:
            raise ValueError("a truncated or oversized form")
        title, submit_label, submit, fields = json.loads(raw)
        return Form(
            title=str(title),
            submit_label=str(submit_label),
            submit=Invocation.decode(str(submit)),
            fields=tuple(
                FormField(
                    name=str(name),
                    label=str(label),
                    kind=FieldKind(kind),
                    required=bool(required),
                    placeholder=str(placeholder),
                    default=str(default),
                    options=tuple(
                        Choice(label=str(o_label), value=str(o_value), description=str(o_desc))
                        for o_label, o_value, o_desc in options
                    ),
                    max_length=int(max_length),
                )
                for name, label, kind, required, placeholder, default, options, max_length in fields
            ),
        )
    except (TypeError, ValueError, zlib.error) as exc:
        raise ValueError("not a Staffroom form") from exc


def render_modal(
    form: Form, *, origin: FormOrigin, words: Translator, lead: str = ""
) -> dict[str, Any]:
    """A form as a modal, its buttons in the reader's language (``words``); raises
    ``ValueError`` when it cannot fit in one."""
    metadata = origin.encode()
    if len(metadata) > MAX_METADATA:
        raise ValueError("the form's submit action is too long for a Slack modal")
    blocks = [section(chunk) for chunk in chunks(mrkdwn(lead), MAX_SECTION_TEXT)]
    blocks += [_input_block(form_field) for form_field in form.fields]
    if len(blocks) > MAX_MODAL_BLOCKS:
        raise ValueError("the form has too many fields for a Slack modal")
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": plain_text(form.title, MAX_MODAL_TITLE),
        "submit": plain_text(form.submit_label or words.gettext("Save"), MAX_MODAL_TITLE),
        "close": plain_text(words.gettext("Cancel"), MAX_MODAL_TITLE),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def _input_block(form_field: FormField) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": form_field.name,
        "optional": not form_field.required,
        "label": plain_text(form_field.label, MAX_FIELD_TEXT),
        "element": _input_element(form_field),
    }


def _input_element(form_field: FormField) -> dict[str, Any]:
    default = form_field.default
    element: dict[str, Any]
    if form_field.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE) and form_field.options:
        options = [
            option(o.label, o.value, o.description)
            for o in form_field.options[:MAX_OPTIONS]
            if len(o.value) <= MAX_OPTION_VALUE
        ]
        by_value = {o["value"]: o for o in options}
        if form_field.kind is FieldKind.CHOICE:
            element = {"type": "static_select", "options": options}
            if default in by_value:
                element["initial_option"] = by_value[default]
        else:
            element = {"type": "multi_static_select", "options": options}
            chosen = [by_value[v.strip()] for v in default.split(",") if v.strip() in by_value]
            if chosen:
                element["initial_options"] = chosen
    elif form_field.kind is FieldKind.NUMBER and (not default or default.isdigit()):
        element = {"type": "number_input", "is_decimal_allowed": False}
        if default:
            element["initial_value"] = default
    else:
        limit = min(max(form_field.max_length, 1), MAX_INPUT_LENGTH)
        element = {
            "type": "plain_text_input",
            "multiline": form_field.kind is FieldKind.LONG_TEXT,
            "max_length": limit,
        }
        if default:
            element["initial_value"] = default[:limit]
    element["action_id"] = FIELD_ACTION
    if form_field.placeholder and element["type"] != "multi_static_select":
        element["placeholder"] = plain_text(form_field.placeholder, MAX_PLACEHOLDER)
    return element


def submitted_values(view: Mapping[str, Any]) -> dict[str, str]:
    """Each input's value as the core reads form answers (several choices joined by ", ")."""
    values: dict[str, str] = {}
    state = view.get("state") or {}
    for block_id, actions in (state.get("values") or {}).items():
        entry = actions.get(FIELD_ACTION) if isinstance(actions, Mapping) else None
        if not isinstance(entry, Mapping):
            continue
        if "selected_options" in entry:
            values[block_id] = ", ".join(
                str(o.get("value", "")) for o in entry.get("selected_options") or ()
            )
        elif "selected_option" in entry:
            option = entry.get("selected_option") or {}
            values[block_id] = str(option.get("value", ""))
        else:
            values[block_id] = str(entry.get("value") or "")
    return values


def input_errors(view: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors keyed by the view's input blocks (what ``response_action: errors`` takes).

    An error about a field the modal does not show is added to the first input's error.
    """
    inputs = [b["block_id"] for b in view.get("blocks", ()) if b.get("type") == "input"]
    shown = {name: text for name, text in errors.items() if name in inputs}
    others = [text for name, text in errors.items() if name not in inputs]
    if others and inputs:
        first = inputs[0]
        shown[first] = " ".join(text for text in (shown.get(first, ""), *others) if text)
    return {name: cut(text, MAX_FIELD_TEXT) for name, text in shown.items()}


def view_with_errors(
    view: Mapping[str, Any], values: Mapping[str, str], errors: Mapping[str, str]
) -> dict[str, Any]:
    """The submitted modal again, holding the answers, with each error under its input.

    Used when the answers came back too late to answer the submission itself (Slack shows
    ``response_action: errors`` only in that answer), through ``views.update``.
    """
    shown = input_errors(view, errors)
    blocks: list[dict[str, Any]] = []
    for block in view.get("blocks", ()):
        block = dict(block)
        if block.get("type") == "input":
            name = block["block_id"]
            block["element"] = _with_value(dict(block["element"]), values.get(name, ""))
            blocks.append(block)
            if name in shown:
                blocks.append(
                    {
                        "type": "context",
                        "elements": [{"type": "mrkdwn", "text": "⚠️ " + mrkdwn(shown[name])}],
                    }
                )
        elif block.get("type") != "context":
            blocks.append(block)
    return {
        key: view[key]
        for key in ("type", "callback_id", "title", "submit", "close", "private_metadata")
        if key in view
    } | {"blocks": blocks}


def _with_value(element: dict[str, Any], value: str) -> dict[str, Any]:
    for key in ("initial_value", "initial_option", "initial_options"):
        element.pop(key, None)
    if not value:
        return element
    options = {o["value"]: o for o in element.get("options", ())}
    if element["type"] == "static_select":
        if value in options:
            element["initial_option"] = options[value]
    elif element["type"] == "multi_static_select":
        chosen = [options[v.strip()] for v in value.split(",") if v.strip() in options]
        if chosen:
            element["initial_options"] = chosen
    elif element["type"] != "number_input" or value.isdigit():
        element["initial_value"] = value
    return element


def message_view(title: str, text: str, words: Translator) -> dict[str, Any]:
    """A modal that only says something (while a slow submission runs, and after it)."""
    return {
        "type": "modal",
        "callback_id": WORKING_CALLBACK,
        "title": plain_text(title, MAX_MODAL_TITLE),
        "close": plain_text(words.gettext("Close"), MAX_MODAL_TITLE),
        "blocks": [section(chunk) for chunk in chunks(mrkdwn(text), MAX_SECTION_TEXT)],
    }
