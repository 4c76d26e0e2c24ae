"""Mentoring's words kept for later (reasons for a match, refusals): put into a reader's
language where they are shown."""

from __future__ import annotations

from typing import Any

from bot.core.context import Context
from bot.core.i18n import LazyText, Translator


def shown(t: Translator, text: str) -> str:
    """``text`` in ``t``'s language when it is one of mentoring's ``LazyText`` (a reason for a
    match, say); other text (stored reasons of earlier rounds, names) as it is."""
    if isinstance(text, LazyText):
        return t.gettext(text.message, **text.params)
    return text


def actor_text(ctx: Context, text: str) -> str:
    """``text`` in the actor's language, in its own domain when it has one (the scheduling
    grammar's explanations are the core's words)."""
    if isinstance(text, LazyText):
        domain = ctx.translator_for(ctx.language, domain=text.domain or ctx.domain)
        return domain.gettext(text.message, **text.params)
    return text


def problem(ctx: Context, exc: Exception) -> str:
    """An error's message in the actor's language (when it was written to be translated)."""
    first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return actor_text(ctx, first)


def stored(reason: str) -> str | dict[str, Any]:
    """A reason for a match as kept in the store: its message and parameters (so each reader
    gets it in their language later), or plain text."""
    if isinstance(reason, LazyText):
        return {"message": reason.message, "params": dict(reason.params)}
    return reason


def from_store(value: object) -> str:
    """A stored reason back as text: a ``LazyText`` (reads as English, ``shown`` translates
    it), or the plain English text kept by rounds before mentoring was translated."""
    if isinstance(value, dict) and isinstance(value.get("message"), str):
        params = value.get("params")
        return LazyText(value["message"], **(params if isinstance(params, dict) else {}))
    return str(value)
