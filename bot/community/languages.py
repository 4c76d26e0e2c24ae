"""The languages Staffroom speaks, by the names members type (``es``, ``español``,
``Spanish``, ``pt-BR``), for ``me language``, the intro form and ``admin config language``."""

from __future__ import annotations

from babel import Locale

from bot.community.vocabulary import parse_language
from bot.core.i18n import SUPPORTED_LANGUAGES, supported_language


class UnsupportedLanguage(ValueError):
    """A language Staffroom does not speak (yet), or not a language at all."""


def parse_spoken_language(text: str) -> str:
    """The supported language ``text`` names; raises ``UnsupportedLanguage`` otherwise."""
    try:
        found = supported_language(parse_language(text))
    except ValueError:
        found = None
    if found is None:
        raise UnsupportedLanguage(text.strip()[:40])
    return found


def autonym(code: str) -> str:
    """A language's name in itself (``español``)."""
    return str(Locale.parse(code).get_display_name(code) or code)


def spoken_languages() -> list[tuple[str, str]]:
    """(code, name in itself) of every language Staffroom speaks."""
    return [(code, autonym(code)) for code in SUPPORTED_LANGUAGES]
