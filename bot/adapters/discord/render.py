"""A ``Reply`` out: the one place that decides how Staffroom looks on Discord.

Text alone is a plain message; a title, fields or a footer make an embed. Buttons and a
choice list become components whose custom ids carry the core ``Invocation`` (see
``custom_ids``); a form becomes a button that opens it as a modal; attachments become files.
Long text is split over several messages (components and files go on the last one).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import discord

from bot.adapters.discord.custom_ids import Action
from bot.core.replies import TIMESTAMP, ButtonStyle, CardField, Form, Reply

_log = logging.getLogger(__name__)

COLOUR = discord.Colour(0x2E7D6B)
CONTENT_LIMIT = 2000
_DESCRIPTION_CHUNK = 3500
_EMBED_TOTAL = 5800
_TITLE_LIMIT = 256
_FIELD_NAME_LIMIT = 256
_FIELD_VALUE_LIMIT = 1024
_FOOTER_LIMIT = 2048
_MAX_FIELDS = 25
_LABEL_LIMIT = 80
_OPTION_LIMIT = 100
_MAX_OPTIONS = 25
_STYLES = {
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}
FORM_BUTTON_LABEL = "Open the form"


class ComponentIds(Protocol):
    """Makes the custom ids of one message's components (storing what does not fit)."""

    async def action_id(self, action: Action) -> str: ...

    async def form_id(self, form: Form) -> str | None:
        """The id of a button opening ``form``; None where nobody in particular can fill it."""
        ...


@dataclass(kw_only=True)
class OutgoingMessage:
    """One Discord message: keyword arguments for ``send``, ``send_message`` and friends."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)


async def render_reply(
    reply: Reply,
    ids: ComponentIds,
    *,
    extra_buttons: Sequence[tuple[str, str, discord.ButtonStyle]] = (),
    include_files: bool = True,
) -> list[OutgoingMessage]:
    """The messages that show ``reply``; ``extra_buttons`` are (label, custom id, style)."""
    messages = _text_messages(local_times(reply))
    last = messages[-1]
    last.view = await _view(reply, ids, extra_buttons)
    if include_files:
        last.files = [
            discord.File(io.BytesIO(a.content), filename=a.filename) for a in reply.attachments
        ]
    return messages


def local_times(reply: Reply) -> Reply:
    """Moments as Discord timestamps (``<t:…:F>``), which each reader's app shows in their own
    zone; titles and footers show no markup, so there the fallback text."""
    if "<t:" not in "".join((reply.title, reply.text, reply.footer, *map(str, reply.fields))):
        return reply
    return replace(
        reply,
        title=TIMESTAMP.sub(r"\3", reply.title),
        text=TIMESTAMP.sub(r"<t:\1:\2>", reply.text),
        footer=TIMESTAMP.sub(r"\3", reply.footer),
        fields=tuple(
            CardField(
                name=TIMESTAMP.sub(r"\3", f.name),
                value=TIMESTAMP.sub(r"<t:\1:\2>", f.value),
                inline=f.inline,
            )
            for f in reply.fields
        ),
    )


def plain_text(text: str) -> list[str]:
    """Text in pieces of at most ``CONTENT_LIMIT`` characters, split at line ends."""
    return _chunks(text, CONTENT_LIMIT)


def _text_messages(reply: Reply) -> list[OutgoingMessage]:
    if not (reply.title or reply.fields or reply.footer):
        return [OutgoingMessage(content=piece) for piece in plain_text(reply.text or "…")]
    pieces = _chunks(reply.text, _DESCRIPTION_CHUNK) if reply.text else [""]
    embeds = [discord.Embed(colour=COLOUR, description=piece or None) for piece in pieces]
    embeds[0].title = _fit(reply.title, _TITLE_LIMIT) or None
    fields = reply.fields[:_MAX_FIELDS]
    if len(reply.fields) > _MAX_FIELDS:
        _log.warning("a reply had %d fields; showing the first %d", len(reply.fields), _MAX_FIELDS)
    last = embeds[-1]
    size = len(last.description or "") + len(last.title or "")
    size += sum(
        min(len(f.name), _FIELD_NAME_LIMIT) + min(len(f.value), _FIELD_VALUE_LIMIT) for f in fields
    )
    if size + len(reply.footer) > _EMBED_TOTAL:
        last = discord.Embed(colour=COLOUR)
        embeds.append(last)
    for card_field in fields:
        last.add_field(
            name=_fit(card_field.name, _FIELD_NAME_LIMIT) or "—",
            value=_fit(card_field.value, _FIELD_VALUE_LIMIT) or "—",
            inline=card_field.inline,
        )
    if reply.footer:
        last.set_footer(text=_fit(reply.footer, _FOOTER_LIMIT))
    return [OutgoingMessage(embed=embed) for embed in embeds]


async def _view(
    reply: Reply,
    ids: ComponentIds,
    extra_buttons: Sequence[tuple[str, str, discord.ButtonStyle]],
) -> discord.ui.View | None:
    items: list[discord.ui.Item[discord.ui.View]] = []
    for button in reply.buttons:
        items.append(
            discord.ui.Button(
                label=_fit(button.label, _LABEL_LIMIT),
                custom_id=await ids.action_id(Action(invocation=button.action)),
                style=_STYLES[button.style],
            )
        )
    if reply.form is not None:
        form_id = await ids.form_id(reply.form)
        if form_id is not None:
            items.append(
                discord.ui.Button(
                    label=FORM_BUTTON_LABEL, custom_id=form_id, style=discord.ButtonStyle.primary
                )
            )
    for label, custom_id, style in extra_buttons:
        items.append(
            discord.ui.Button(label=_fit(label, _LABEL_LIMIT), custom_id=custom_id, style=style)
        )
    if reply.choices is not None and reply.choices.options:
        choices = reply.choices
        action = Action(invocation=choices.action, choice_arg=choices.arg)
        items.append(
            discord.ui.Select(
                custom_id=await ids.action_id(action),
                placeholder=_fit(choices.placeholder, 150) or None,
                options=[
                    discord.SelectOption(
                        label=_fit(option.label, _OPTION_LIMIT) or option.value[:_OPTION_LIMIT],
                        value=option.value[:_OPTION_LIMIT],
                        description=_fit(option.description, _OPTION_LIMIT) or None,
                    )
                    for option in choices.options[:_MAX_OPTIONS]
                ],
            )
        )
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for item in items:
        try:
            view.add_item(item)
        except ValueError:
            _log.warning("a reply had more components than a message can hold; some were left out")
            break
    # Staffroom routes every interaction by custom id itself (see ``custom_ids``); a stopped
    # view is sent as it is but not kept in discord.py's view store, so it costs no memory.
    view.stop()
    return view


def _chunks(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or [text[:limit]]


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
