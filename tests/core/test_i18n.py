"""Words in each reader's language: the catalogs, the translator, and who reads what."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.app import App, wire
from bot.core.catalogs import built_in_domains, problems, skill_sources, update
from bot.core.commands import Command, CommandSpec, Registry
from bot.core.context import Context
from bot.core.i18n import Catalogs, Domain, PseudoCatalogs, Translator, supported_language
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.core.skills import discover_skills
from tests.support.events import RecordingPort, message, text_of
from tests.support.i18n import untranslated_words


def test_every_catalog_compiles_has_every_message_and_the_same_placeholders() -> None:
    assert [p for d in built_in_domains(discover_skills()) for p in problems(d)] == []


def _domain(tmp_path: Path, code: str) -> Domain:
    package = tmp_path / "kudos"
    package.mkdir(exist_ok=True)
    (package / "commands.py").write_text(code)
    return Domain(name="kudos", directory=package / "locales")


def _translate(domain: Domain, language: str, old: str, new: str) -> None:
    po = domain.directory / language / "LC_MESSAGES" / "kudos.po"
    po.write_text(po.read_text().replace(old, new, 1))


def test_the_catalog_check_finds_each_kind_of_problem(tmp_path: Path) -> None:
    domain = _domain(tmp_path, 'ctx.gettext("Thanks, {name}!", name=name)\n')
    sources = skill_sources(domain)
    update(sources)
    assert "kudos/es: 'Thanks, {name}!' is not translated" in list(problems(sources))
    for language, text in [("es", "¡Gracias, {name}!"), ("pt", "Obrigado, {nome}!")]:
        _translate(domain, language, 'msgstr ""\n\n', f'msgstr "{text}"\n\n')
    _translate(domain, "fr", 'msgstr ""\n\n', 'msgstr "Merci, {name} !"\n\n')
    found = list(problems(sources))
    assert "kudos/pt: 'Thanks, {name}!' fills ['nome'], not ['name']" in found
    assert "kudos/es: the .mo is stale (run `make messages`)" in found
    update(sources)
    _translate(domain, "pt", "{nome}", "{name}")
    update(sources)
    assert list(problems(sources)) == []
    (domain.directory.parent / "commands.py").write_text('ctx.gettext("Thanks!")\n')
    assert "kudos: kudos.pot is stale (run `make messages`)" in list(problems(sources))


def test_plural_forms_and_formats_follow_the_language(tmp_path: Path) -> None:
    domain = _domain(tmp_path, 'ctx.ngettext("{n} kudo", "{n} kudos", n)\n')
    update(skill_sources(domain))
    for language, forms in [
        ("es", ("{n} felicitación", "{n} felicitaciones")),
        ("fr", ("{n} bravo", "{n} bravos")),
    ]:
        _translate(domain, language, 'msgstr[0] ""', f'msgstr[0] "{forms[0]}"')
        _translate(domain, language, 'msgstr[1] ""', f'msgstr[1] "{forms[1]}"')
    update(skill_sources(domain))
    catalogs = Catalogs([domain])
    es, fr, en = (catalogs.translator("kudos", code) for code in ("es", "fr", "en"))
    assert [es.ngettext("{n} kudo", "{n} kudos", n) for n in (0, 1, 1500)] == [
        "0 felicitaciones",
        "1 felicitación",
        "1.500 felicitaciones",
    ]
    assert [fr.ngettext("{n} kudo", "{n} kudos", n) for n in (0, 1, 2)] == [
        "0 bravo",
        "1 bravo",
        "2 bravos",
    ]
    assert en.ngettext("{n} kudo", "{n} kudos", 2) == "2 kudos"
    day = date(2026, 12, 4)
    assert [t.format_date(day) for t in (en, es, fr)] == [
        "Dec 4, 2026",
        "4 dic 2026",
        "4 déc. 2026",
    ]
    assert [t.format_number(1234.5) for t in (en, es, fr)] == ["1,234.5", "1.234,5", "1\u202f234,5"]
    assert fr.and_list(["maths", "arts"]) == "maths et arts"


def test_platform_locales_map_to_the_languages_we_speak() -> None:
    assert [supported_language(c) for c in ("pt-BR", "pt_PT", "es-MX", "fr", "de", "", None)] == [
        "pt",
        "pt",
        "es",
        "fr",
        None,
        None,
        None,
    ]


def test_the_pseudo_locale_shows_what_was_not_translated() -> None:
    pseudo = PseudoCatalogs().translator("any", "es")
    text = pseudo.gettext("Saved {title}. Type `help` or see <@U1>.", title="Fractions")
    assert untranslated_words(text, ["Fractions"]) == []
    assert untranslated_words(text + "\nNothing was changed.", ["Fractions"]) == [
        "Nothing",
        "was",
        "changed",
    ]


async def _greet(ctx: Context, args: Args) -> Reply:
    def hello(t: Translator) -> str:
        return f"hello in {t.language}"

    await ctx.send_dm("bea", hello)
    await ctx.send_group_dm(["ana", "bea"], hello)
    await ctx.send_group_dm(["bea", "cy"], hello)
    await ctx.post("general", hello)
    return Reply(text=f"replied in {ctx.language}")


@pytest.fixture
async def greeting(app: App) -> tuple[App, RecordingPort]:
    port = RecordingPort()
    app.dispatcher.attach("test", port)
    for user, language in [("bea", "es"), ("cy", "es")]:
        await app.dispatcher.handle(message(f"me language {language}", user=user))
    return app, port


async def test_messages_to_others_are_written_in_each_readers_language(
    greeting: tuple[App, RecordingPort],
) -> None:
    app, port = greeting
    await app.dispatcher.handle(message("admin config language fr", role=Role.ADMIN, user="mod"))
    registry = Registry(
        [Command(spec=CommandSpec(name="greet", summary="g"), handler=_greet, skill="t")]
    )
    dispatcher, _ = wire(app.store, registry, app.clock, app.settings)
    dispatcher.attach("test", port)
    port.dms.clear()
    port.group_dms.clear()
    port.posts.clear()
    assert text_of(await dispatcher.handle(message("greet", user="ana"))) == "replied in fr"
    assert [(u, r.text) for _, u, r in port.dms] == [
        ("bea", "hello in es"),
        ("ana", "hello in fr"),
        ("bea", "hello in es"),
    ]
    assert [(u, r.text) for _, u, r in port.group_dms] == [(("bea", "cy"), "hello in es")]
    assert [(c, r.text) for _, c, r in port.posts] == [("general", "hello in fr")]


async def test_the_platform_locale_counts_until_the_member_chooses(app: App) -> None:
    handle = app.dispatcher.handle
    out = text_of(await handle(message("me language", user="rui", locale="pt-BR")))
    assert "Escrevo em português (é o da sua plataforma de chat)." in out
    assert "te escribiré en español" in text_of(await handle(message("me language es", user="rui")))
    out = text_of(await handle(message("me language", user="rui", locale="fr")))
    assert "Te escribo en español (lo elegiste tú)." in out
    out = text_of(await handle(message("me language default", user="rui")))
    assert "la langue de votre application de discussion" in out
    out = text_of(await handle(message("me language", user="kim", locale="de-DE")))
    assert "I write to you in English (it is the community's language)." in out
