"""Words in the member's language: gettext catalogs per skill (one domain each), loaded lazily.

English is the source language: message ids are the English text, so English needs no
catalog. Each skill package ships ``locales/<lang>/LC_MESSAGES/<domain>.po`` and the compiled
``.mo`` next to it (``make messages`` extracts, updates and compiles; a test fails when a
``.mo`` is stale), so a pip-installed skill brings its own words. Core strings (the dispatcher,
parser errors, forms' buttons, adapters' fixed texts) are the ``staffroom`` domain in
``bot/locales``.

Messages use ``str.format`` placeholders (``{name}``); ``gettext(msg, name=...)`` fills them
after translating, so a translation may reorder them. Nothing here is global: a ``Catalogs``
is built once at start-up and reaches skills through their ``Context``.
"""

from __future__ import annotations

import gettext as _gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any, Final, Literal

from babel import Locale, dates, numbers
from babel.lists import format_list

SOURCE_LANGUAGE: Final = "en"
SUPPORTED_LANGUAGES: Final = ("en", "es", "pt", "fr")
"""Languages with catalogs (and English, the source). Brazil and Portugal share ``pt``."""
CORE_DOMAIN: Final = "staffroom"
CORE_LOCALES: Final = Path(__file__).resolve().parent.parent / "locales"
PSEUDO_LANGUAGE: Final = "qps"
"""A pseudo-locale for tests: every translated string comes back visibly transformed."""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (command summaries, help):
    it is translated where it is shown, in the reader's language."""
    return message


class LazyText(str):
    """Text translated where it is shown, for code that has no translator at hand (argument
    parsers, settings' ``parse``, ``ValueError`` messages): it reads as its English text
    anywhere a ``str`` is expected, and ``Translator.text`` (or the dispatcher, for a
    ``UserFacingError``) puts it into the reader's language.

    ``domain`` is the gettext domain of ``message`` (None: the running skill's).
    """

    message: str
    params: Mapping[str, Any]
    domain: str | None

    def __new__(cls, message: str, /, *, domain: str | None = None, **params: Any) -> LazyText:
        made = super().__new__(cls, message.format(**params) if params else message)
        made.message = message
        made.params = params
        made.domain = domain
        return made


def lazy(message: str, /, **params: Any) -> LazyText:
    """``message`` (with ``params``) translated later, in the running skill's domain."""
    return LazyText(message, **params)


def supported_language(code: str | None) -> str | None:
    """A language tag (``pt-BR``, ``es_MX``, ``fr``) → the supported language it maps to."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else None


class Translator:
    """One domain in one language: translated text, plural forms, and Babel formats."""

    def __init__(self, language: str, translations: _gettext.NullTranslations) -> None:
        self.language = language
        self._translations = translations
        self._locale: Locale | None = None

    @property
    def locale(self) -> Locale:
        if self._locale is None:
            self._locale = Locale.parse(
                SOURCE_LANGUAGE if self.language == PSEUDO_LANGUAGE else self.language
            )
        return self._locale

    def gettext(self, message: str, /, **params: Any) -> str:
        """``message`` translated, then its ``{placeholders}`` filled from ``params``."""
        text = self._translations.gettext(message)
        return text.format(**params) if params else text

    def text(self, text: str) -> str:
        """``text`` in this language when it is a ``LazyText``; other text as it is."""
        if isinstance(text, LazyText):
            return self.gettext(text.message, **text.params)
        return text

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        """The plural form for ``n`` in this language; ``{n}`` and ``params`` are filled."""
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=self.format_number(n), **params)

    def format_number(self, value: float) -> str:
        """``1,234.5`` / ``1.234,5`` / ``1 234,5``."""
        return numbers.format_decimal(value, locale=self.locale)

    def format_date(self, value: date, *, format: str = "medium") -> str:
        """``Dec 4, 2026`` / ``4 dic 2026``; ``format`` is short, medium, long, full or a
        Babel pattern."""
        return self._formatted(dates.format_date(value, format=format, locale=self.locale))

    def format_time(
        self, value: time | datetime, *, format: str = "short", tz: tzinfo | None = None
    ) -> str:
        """``3:30 PM`` / ``15:30``, in ``tz`` when given."""
        return self._formatted(
            dates.format_time(value, format=format, tzinfo=tz, locale=self.locale)
        )

    def format_datetime(
        self, value: datetime, *, format: str = "medium", tz: tzinfo | None = None
    ) -> str:
        return self._formatted(
            dates.format_datetime(value, format=format, tzinfo=tz, locale=self.locale)
        )

    def format_weekday(self, value: date, *, width: str = "wide") -> str:
        """``Monday`` / ``lunes``."""
        pattern = "EEEE" if width == "wide" else "EEE"
        return self._formatted(dates.format_date(value, pattern, locale=self.locale))

    def and_list(self, items: Iterable[str]) -> str:
        """``math, art and music`` with this language's conjunction."""
        return self._list(list(items), "standard")

    def or_list(self, items: Iterable[str]) -> str:
        return self._list(list(items), "or")

    def _list(self, items: list[str], style: Literal["standard", "or"]) -> str:
        if not items:
            return ""
        slots = [f"{{{i}}}" for i in range(len(items))]
        return self._formatted(format_list(slots, style=style, locale=self.locale)).format(*items)

    def _formatted(self, text: str) -> str:
        """What Babel wrote (the pseudo-locale marks it as translated)."""
        return text


@dataclass(frozen=True, kw_only=True, slots=True)
class Domain:
    """A gettext domain and the directory of its catalogs (``<dir>/<lang>/LC_MESSAGES``)."""

    name: str
    directory: Path


class Catalogs:
    """Every domain's catalogs, each loaded on first use per (domain, language)."""

    def __init__(self, domains: Iterable[Domain] = ()) -> None:
        self._domains: dict[str, Domain] = {
            CORE_DOMAIN: Domain(name=CORE_DOMAIN, directory=CORE_LOCALES)
        }
        for domain in domains:
            self._domains[domain.name] = domain
        self._loaded: dict[tuple[str, str], Translator] = {}

    @property
    def domains(self) -> Mapping[str, Domain]:
        return self._domains

    def translator(self, domain: str, language: str) -> Translator:
        key = (domain, language)
        found = self._loaded.get(key)
        if found is None:
            found = self._loaded[key] = Translator(language, self._load(domain, language))
        return found

    def _load(self, domain: str, language: str) -> _gettext.NullTranslations:
        where = self._domains.get(domain)
        if where is None or language == SOURCE_LANGUAGE:
            return _gettext.NullTranslations()
        return _gettext.translation(
            domain, localedir=where.directory, languages=[language], fallback=True
        )


_KEPT = re.compile(r"(\{[^{}]*\}|`[^`]*`|<[@#][^>]*>|https?://\S+)")
_PSEUDO = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ",
)


def pseudo(text: str) -> str:
    """Letters swapped for look-alikes, keeping ``{placeholders}``, `code`, mentions and links."""
    return "".join(
        part if i % 2 else part.translate(_PSEUDO) for i, part in enumerate(_KEPT.split(text))
    )


class _Pseudo(_gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


class _PseudoTranslator(Translator):
    def _formatted(self, text: str) -> str:
        return pseudo(text)


class PseudoCatalogs(Catalogs):
    """Catalogs whose every language is the pseudo-locale (the untranslated-text check)."""

    def translator(self, domain: str, language: str) -> Translator:
        return _PseudoTranslator(PSEUDO_LANGUAGE, _Pseudo())
