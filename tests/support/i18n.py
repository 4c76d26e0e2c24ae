"""The untranslated-text check: run a skill's commands in the pseudo-locale and list every
English word left in what Staffroom answered.

The pseudo-locale (``bot.core.i18n.PseudoCatalogs``) turns every string that went through
gettext into look-alike letters (``Ħḗŀŀǿ``), keeping placeholders, `code`, mentions and links;
so any run of plain ASCII letters left in a reply came from a string that did not. What the
member typed, command words in backticks, names and links are not counted.

A skill's converter runs it for their skill::

    async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
        assert await untranslated_replies(app, chat, "checkins") == []
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.app import App
from bot.core.i18n import PseudoCatalogs
from tests.support.console import Chat

_KEPT = re.compile(r"`[^`]*`|<[@#!][^>]*>|https?://\S+|[\w.-]+\.(?:json|csv|txt)\b")
_ENGLISH = re.compile(r"(?<![^\W\d_])[A-Za-z]{2,}(?![^\W\d_])")
_CONSOLE_LINES = re.compile(r"^(?:\[console\]|\(.*as .* in .*\)$)")
ALWAYS_ALLOWED = frozenset({"Staffroom", "OK", "ID", "URL", "UTC", "JSON", "CSV"})
"""Words that are the same in every language we speak (names, units, formats)."""


def untranslated_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """Plain ASCII words in ``text`` that no translation touched, outside what is kept."""
    keep = ALWAYS_ALLOWED | {word.lower() for word in allowed} | set(allowed)
    found: list[str] = []
    for line in text.splitlines():
        if _CONSOLE_LINES.match(line.strip()):
            continue
        for word in _ENGLISH.findall(_KEPT.sub(" ", line)):
            if word not in keep and word.lower() not in keep and word not in found:
                found.append(word)
    return found


def lines_for(app: App, skill: str) -> list[str]:
    """Every example of every command of ``skill`` (hidden ones too), and ``help`` for each."""
    lines: list[str] = []
    for cmd in app.registry:
        if cmd.skill != skill:
            continue
        lines += cmd.spec.examples
        if not cmd.spec.hidden:
            lines.append(f"help {cmd.name}")
    return lines


async def untranslated_replies(
    app: App,
    chat: Chat,
    skill: str,
    *,
    setup: Iterable[str] = (),
    lines: Iterable[str] = (),
    allowed: Iterable[str] = (),
) -> list[str]:
    """Run ``skill``'s command examples (after ``setup``, with extra ``lines``) as an admin in
    the pseudo-locale; returns ``"<line>: <word>"`` for every untranslated word answered."""
    app.dispatcher.catalogs = PseudoCatalogs(app.registry.domains)
    allowed = [*allowed]
    await chat("/role admin", *setup)
    problems: list[str] = []
    for line in [*lines_for(app, skill), *lines]:
        out = await chat(line)
        typed = re.findall(r"[A-Za-z]+", line)
        for word in untranslated_words(out, [*allowed, *typed]):
            problems.append(f"{line}: {word}")
    return problems
