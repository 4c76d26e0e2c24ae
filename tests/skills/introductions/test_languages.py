"""Introductions speak each member's language: the form, replies and cards in the actor's,
the welcome DM in the newcomer's, the channel post in the community's."""

from __future__ import annotations

import re

from bot.app import App
from tests.skills.introductions.test_intro import ANA, FULL
from tests.support.console import Chat
from tests.support.i18n import lines_for, untranslated_replies


async def test_the_form_replies_and_cards_are_in_the_members_language(chat: Chat) -> None:
    await chat("/as ana", "me language es")
    out = await chat("intro")
    assert "Cuéntale a la red quién eres." in out
    assert "── Preséntate ──" in out
    assert chat.session.prompt.startswith("Nombre visible* [")
    await chat("/cancel")
    out = await chat.intro(**ANA)
    assert "¡Gracias! Tu presentación está guardada." in out
    assert "Personas que quizá quieras conocer" not in out  # nobody else yet
    await chat.person("bea", **FULL)
    out = await chat("whois @ana")
    assert "Subjects: math, science" in out and "In common: " in out  # bea reads English
    out = await chat("/as ana", "whois @bea")
    assert "Asignaturas: science" in out
    assert "En común: " in out and "misma zona horaria" not in out
    out = await chat("people find subject:science")
    assert "== 1 miembro encontrado ==" in out
    out = await chat("/as cy", "people find subject:science")
    assert "== 2 members found ==" in out
    out = await chat("/as ana", "intro set colour blue")
    assert "No hay ningún campo de presentación llamado 'colour'." in out


async def test_the_welcome_is_in_the_newcomers_language(chat: Chat) -> None:
    await chat("/as admin admin", "admin config language fr", "me language en")
    out = await chat("/join eli")
    assert "== Bienvenue dans demo ! ==" in out
    assert "Je suis Staffroom, l’assistant de ce réseau." in out
    assert "[1] Me présenter" in out
    await chat("admin config welcome_text Hello from the staffroom team")
    out = await chat("/join flo")
    assert "Hello from the staffroom team" in out  # what a moderator wrote stays as written


async def test_the_channel_post_is_in_the_communitys_language(chat: Chat) -> None:
    await chat("/as admin admin", "admin channel introductions #intros")
    await chat("admin config language pt")
    await chat("/as ana", "me language en")
    out = await chat.intro(**ANA)
    assert "I've shared it in #intros." in out
    assert "👋 Boas-vindas a Ana Lopez!" in out
    assert "Disciplinas: math, science" in out


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    ours = [cmd for cmd in app.registry if cmd.skill == "introductions"]
    # Parameter and filter names are command words; cards show what the examples typed.
    names = [p.name for cmd in ours for p in cmd.spec.params]
    names += [f.key for cmd in ours for f in cmd.spec.filters]
    typed = [w for line in lines_for(app, "introductions") for w in re.findall(r"\w+", line)]
    typed.append(chat.session.user.display_name)
    # How a time zone reads ("UTC+00:00, 12:00 now") is bot.core.timezones' words.
    allowed = [*names, *typed, "now"]
    setup = ["/as ana", "intro set name Ana", "/as alex"]
    assert (
        await untranslated_replies(app, chat, "introductions", setup=setup, allowed=allowed) == []
    )
