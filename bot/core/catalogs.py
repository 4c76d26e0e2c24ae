"""Extracting, updating, compiling and checking gettext catalogs (``make messages`` and the
catalog tests; a third-party skill can run the same on its own package).

Each domain keeps ``<locales>/<domain>.pot`` (the template, extracted from its sources) and,
per language, ``<locales>/<lang>/LC_MESSAGES/<domain>.po`` with the compiled ``.mo`` beside it.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from bot.core.i18n import CORE_DOMAIN, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, Domain
from bot.core.skills import Skill

KEYWORDS = {"gettext": None, "ngettext": (1, 2), "N_": None, "lazy": None, "LazyText": None}
"""The calls ``pybabel extract`` looks for (``-k gettext -k ngettext:1,2 -k N_ -k lazy``)."""
COMMENT_TAGS = ("Translators:",)
TRANSLATED_LANGUAGES = tuple(lang for lang in SUPPORTED_LANGUAGES if lang != SOURCE_LANGUAGE)
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
"""The usual gettext rules (CLDR adds a third form for exact millions in es, pt and fr, which
no message of ours needs); a new language's catalog starts with Babel's rule for it."""
_PROJECT = "Staffroom"
_BOT = Path(__file__).resolve().parent.parent
_HEADER = """\
# {language} words of Staffroom's {domain!r} domain (docs/translating.md).
# This file is distributed under the same license as the Staffroom project.
#"""


@dataclass(frozen=True, kw_only=True, slots=True)
class DomainSources:
    """A domain, where its catalogs live and the directories its strings are extracted from."""

    domain: Domain
    sources: tuple[Path, ...]

    @property
    def template(self) -> Path:
        return self.domain.directory / f"{self.domain.name}.pot"

    def po(self, language: str) -> Path:
        return self.domain.directory / language / "LC_MESSAGES" / f"{self.domain.name}.po"

    def mo(self, language: str) -> Path:
        return self.po(language).with_suffix(".mo")


def core_sources(bot_dir: Path) -> DomainSources:
    """The core domain: every package of ``bot`` but the skills."""
    sources = tuple(
        sorted(p for p in bot_dir.iterdir() if p.is_dir() and p.name not in {"skills", "locales"})
    )
    return DomainSources(
        domain=Domain(name=CORE_DOMAIN, directory=bot_dir / "locales"), sources=sources
    )


def skill_sources(domain: Domain) -> DomainSources:
    """A skill's domain: its package (the directory holding ``locales``)."""
    return DomainSources(domain=domain, sources=(domain.directory.parent,))


def built_in_domains(skills: Iterable[Skill]) -> list[DomainSources]:
    """The core's domain and that of each built-in skill (of ``skills``) declaring catalogs."""
    found = [core_sources(_BOT)]
    for skill in skills:
        if skill.locales is not None and skill.locales.resolve().is_relative_to(_BOT):
            found.append(skill_sources(Domain(name=skill.name, directory=skill.locales)))
    return found


def extract(sources: DomainSources) -> Catalog:
    """The template: every marked string of the domain's sources."""
    template = Catalog(project=_PROJECT, domain=sources.domain.name, fuzzy=False)
    for directory in sources.sources:
        root = directory.parent
        for filename, lineno, message, comments, context in extract_from_dir(
            directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            where = (directory / filename).relative_to(root).as_posix()
            template.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return template


def update(sources: DomainSources) -> list[Path]:
    """Write the template, bring every language's catalog up to date with it (new ids come in
    untranslated, gone ones leave) and compile them; returns the files written."""
    template = extract(sources)
    written = [sources.template]
    sources.template.parent.mkdir(parents=True, exist_ok=True)
    if not sources.template.exists() or _body(sources.template) != _body_of(template):
        _write_po(sources.template, template)
    for language in TRANSLATED_LANGUAGES:
        po = sources.po(language)
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=sources.domain.name)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = new_catalog(sources.domain.name, language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        _write_po(po, catalog)
        with sources.mo(language).open("wb") as handle:
            write_mo(handle, catalog)
        written += [po, sources.mo(language)]
    return written


def new_catalog(domain: str, language: str) -> Catalog:
    """An empty catalog for a language, with a header saying what it is."""
    catalog = Catalog(
        locale=language,
        domain=domain,
        project=_PROJECT,
        fuzzy=False,
        header_comment=_HEADER.format(language=Locale.parse(language).english_name, domain=domain),
    )
    if language in PLURAL_FORMS:
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[language])]
    return catalog


def _write_po(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as handle:
        handle.write(_po_bytes(catalog, omit_header=False))


def _po_bytes(catalog: Catalog, *, omit_header: bool) -> bytes:
    out = BytesIO()
    write_po(
        out,
        catalog,
        width=96,
        omit_header=omit_header,
        ignore_obsolete=True,
        include_previous=False,
        include_lineno=False,
    )
    return out.getvalue()


def _body(path: Path) -> bytes:
    with path.open("rb") as handle:
        return _body_of(read_po(handle))


def _body_of(catalog: Catalog) -> bytes:
    return _po_bytes(catalog, omit_header=True)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message fills in."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def problems(sources: DomainSources) -> Iterator[str]:
    """Everything wrong with a domain's catalogs: a stale template, a missing, untranslated or
    fuzzy message, different placeholders, a catalog that does not compile, a stale ``.mo``."""
    name = sources.domain.name
    extracted = extract(sources)
    wanted = {m.id for m in extracted if m.id}
    if not sources.template.exists():
        yield f"{name}: no template {sources.template} (run `make messages`)"
        return
    with sources.template.open("rb") as handle:
        template = read_po(handle)
    if {m.id for m in template if m.id} != wanted:
        yield f"{name}: {sources.template.name} is stale (run `make messages`)"
    for language in TRANSLATED_LANGUAGES:
        yield from _language_problems(sources, language, wanted)


def _language_problems(
    sources: DomainSources, language: str, wanted: Iterable[object]
) -> Iterator[str]:
    where = f"{sources.domain.name}/{language}"
    po_path = sources.po(language)
    if not po_path.exists():
        yield f"{where}: no catalog {po_path} (run `make messages`)"
        return
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message, errors in catalog.check():
        for error in errors:
            yield f"{where}: {_shown(message)} does not compile: {error}"
    for msgid in wanted:
        found = catalog.get(msgid)  # type: ignore[arg-type]
        if found is None:
            yield f"{where}: {_shown_id(msgid)} is missing (run `make messages`)"
            continue
        yield from _message_problems(where, found, catalog.num_plurals)
    if not sources.mo(language).exists():
        yield f"{where}: not compiled (run `make messages`)"
        return
    with sources.mo(language).open("rb") as handle:
        compiled = read_mo(handle)
    expected = BytesIO()
    write_mo(expected, catalog)
    if _entries(compiled) != _entries(read_mo(BytesIO(expected.getvalue()))):
        yield f"{where}: the .mo is stale (run `make messages`)"


def _message_problems(where: str, message: Message, num_plurals: int) -> Iterator[str]:
    if message.fuzzy:
        yield f"{where}: {_shown(message)} is marked fuzzy"
    ids = [str(i) for i in _texts(message.id)]
    strings = [str(s) for s in _texts(message.string)]
    if not all(strings):
        yield f"{where}: {_shown(message)} is not translated"
        return
    if isinstance(message.id, tuple) and len(strings) != num_plurals:
        yield f"{where}: {_shown(message)} needs {num_plurals} plural forms"
    expected = set().union(*(placeholders(i) for i in ids))
    for text in strings:
        try:
            found = placeholders(text)
        except ValueError as exc:
            yield f"{where}: {_shown(message)} has a broken placeholder: {exc}"
            continue
        if found - expected or (not isinstance(message.id, tuple) and found != expected):
            yield f"{where}: {_shown(message)} fills {sorted(found)}, not {sorted(expected)}"


def _texts(value: object) -> tuple[object, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value or "",)


def _entries(catalog: Catalog) -> dict[object, object]:
    return {m.id: m.string for m in catalog if m.id}


def _shown(message: Message) -> str:
    return _shown_id(message.id)


def _shown_id(msgid: object) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else str(msgid)
    return repr(text if len(text) < 60 else text[:57] + "…")
