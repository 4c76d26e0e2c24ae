"""Putting a ``LazyText`` (a parser's error, an import report's reason) into the reader's
language, in the domain it was written for, its ``LazyText`` placeholders too."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.context import Context
from bot.core.i18n import LazyText, Translator

Words = Callable[[str | None], Translator]
"""The reader's words in a gettext domain (None: the resources skill's)."""


def shown(words: Words, text: str) -> str:
    """``text`` in the reader's language when it is a ``LazyText``; other text as it is."""
    if not isinstance(text, LazyText):
        return text
    params = {
        name: shown(words, value) if isinstance(value, str) else value
        for name, value in text.params.items()
    }
    return words(text.domain).gettext(text.message, **params)


def said(ctx: Context, text: str) -> str:
    """``text`` in the actor's language."""
    return shown(lambda domain: ctx.translator_for(ctx.language, domain=domain), text)


def error_text(exc: Exception) -> str:
    """What a parser's ``ValueError`` says, kept translatable when it is a ``LazyText``
    (``str(exc)`` would give its English)."""
    message = exc.args[0] if exc.args else ""
    return message if isinstance(message, str) else str(exc)
