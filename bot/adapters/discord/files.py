"""Files attached to a message for Staffroom (``resource import`` with a CSV), read through
discord.py before the event is dispatched."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.core.events import MAX_FILE_BYTES, EventFile

_log = logging.getLogger(__name__)

MAX_FILES = 3


async def read_attachments(attachments: Sequence[discord.Attachment]) -> tuple[EventFile, ...]:
    """Each attachment's content (at most ``MAX_FILES``); one too large is marked, one that
    can't be fetched is left out."""
    files = []
    for attachment in attachments[:MAX_FILES]:
        name = attachment.filename[:200]
        if attachment.size > MAX_FILE_BYTES:
            files.append(EventFile(name=name, too_large=True))
            continue
        try:
            content = await attachment.read()
        except discord.HTTPException as exc:
            _log.warning("could not read an attached file from Discord: %s", exc)
            continue
        files.append(EventFile(name=name, content=content))
    return tuple(files)
