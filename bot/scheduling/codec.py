"""``Reply`` to JSON and back, so that an outbox row can be sent by any process, later."""

from __future__ import annotations

import base64
from typing import Any

from bot.core.events import Invocation
from bot.core.replies import (
    Attachment,
    Button,
    ButtonStyle,
    CardField,
    Choice,
    ChoiceList,
    FieldKind,
    Form,
    FormField,
    Reply,
)


def _invocation(data: Any) -> Invocation:
    return Invocation(command=data["command"], args=dict(data["args"]))


def _encode_invocation(invocation: Invocation) -> dict[str, Any]:
    return {"command": invocation.command, "args": dict(invocation.args)}


def _choice(data: Any) -> Choice:
    return Choice(label=data["label"], value=data["value"], description=data["description"])


def _encode_choice(choice: Choice) -> dict[str, Any]:
    return {"label": choice.label, "value": choice.value, "description": choice.description}


def encode_reply(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": reply.text,
        "title": reply.title,
        "footer": reply.footer,
        "private": reply.private,
        "language": reply.language,
        "fields": [[f.name, f.value, f.inline] for f in reply.fields],
        "buttons": [
            {"label": b.label, "style": str(b.style), "action": _encode_invocation(b.action)}
            for b in reply.buttons
        ],
        "attachments": [
            {
                "filename": a.filename,
                "mime_type": a.mime_type,
                "content": base64.b64encode(a.content).decode(),
            }
            for a in reply.attachments
        ],
    }
    if reply.choices is not None:
        data["choices"] = {
            "placeholder": reply.choices.placeholder,
            "options": [_encode_choice(o) for o in reply.choices.options],
            "action": _encode_invocation(reply.choices.action),
            "arg": reply.choices.arg,
        }
    if reply.form is not None:
        form = reply.form
        data["form"] = {
            "title": form.title,
            "submit": _encode_invocation(form.submit),
            "submit_label": form.submit_label,
            "fields": [
                {
                    "name": f.name,
                    "label": f.label,
                    "kind": str(f.kind),
                    "required": f.required,
                    "placeholder": f.placeholder,
                    "default": f.default,
                    "options": [_encode_choice(o) for o in f.options],
                    "max_length": f.max_length,
                }
                for f in form.fields
            ],
        }
    return data


def decode_reply(data: Any) -> Reply:
    choices = None
    if "choices" in data:
        c = data["choices"]
        choices = ChoiceList(
            placeholder=c["placeholder"],
            options=tuple(_choice(o) for o in c["options"]),
            action=_invocation(c["action"]),
            arg=c["arg"],
        )
    form = None
    if "form" in data:
        f = data["form"]
        form = Form(
            title=f["title"],
            submit=_invocation(f["submit"]),
            submit_label=f["submit_label"],
            fields=tuple(
                FormField(
                    name=x["name"],
                    label=x["label"],
                    kind=FieldKind(x["kind"]),
                    required=x["required"],
                    placeholder=x["placeholder"],
                    default=x["default"],
                    options=tuple(_choice(o) for o in x["options"]),
                    max_length=x["max_length"],
                )
                for x in f["fields"]
            ),
        )
    return Reply(
        text=data["text"],
        title=data["title"],
        footer=data["footer"],
        private=data["private"],
        language=data.get("language", ""),
        fields=tuple(CardField(name=n, value=v, inline=i) for n, v, i in data["fields"]),
        buttons=tuple(
            Button(label=b["label"], style=ButtonStyle(b["style"]), action=_invocation(b["action"]))
            for b in data["buttons"]
        ),
        attachments=tuple(
            Attachment(
                filename=a["filename"],
                mime_type=a["mime_type"],
                content=base64.b64decode(a["content"]),
            )
            for a in data["attachments"]
        ),
        choices=choices,
        form=form,
    )
