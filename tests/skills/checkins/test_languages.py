"""Check-ins speak each member's language: replies in the actor's, each round's DM and nudge
in the recipient's, the summary in the community's."""

from __future__ import annotations

from bot.app import App
from tests.skills.checkins.test_flow import form
from tests.support.console import Chat
from tests.support.i18n import untranslated_replies


def dm_to(out: str, who: str) -> str:
    """The first DM to ``who`` in ``out``."""
    start = out.index(f"── DM to @{who} ──")
    end = out.find("── ", start + 10)
    return out[start : end if end != -1 else None]


async def test_each_member_gets_the_round_and_the_nudge_in_their_language(chat: Chat) -> None:
    await chat("/as ana", "me language es")
    await chat("/as ben", "me language fr")
    await chat("/as cy", "help")
    out = await chat("/as ana", "/role moderator", "checkin create", *form())
    assert "El check-in #1 «Weekly pulse» está listo" in out
    assert "en tu hora (UTC): lun 09 mar 09:00, lun 16 mar 09:00, lun 23 mar 09:00" in out
    week = await chat("/as mo", "/clock +7d")
    assert "¡Es hora del check-in!\n1. How was your week?\nResponde aquí con tu respuesta" in (
        dm_to(week, "ana")
    )
    assert "[1] Responder   [2] Saltar esta vez   [3] Posponer 1 h" in dm_to(week, "ana")
    assert "C’est l’heure du check-in !" in dm_to(week, "ben")
    assert "check-in time!\n1. How was your week?\nReply here with your answer" in (
        dm_to(week, "cy")
    )
    out = await chat("/as ana", "/dm", "Todo bien")
    assert "Gracias: tu respuesta a «Weekly pulse» está guardada." in out
    later = await chat("/as mo", "/clock +1d")
    assert "Petite relance : c’est l’heure du check-in !" in dm_to(later, "ben")
    assert "A gentle nudge — check-in time!" in dm_to(later, "cy")
    assert "── DM to @ana ──" not in later  # she answered
    # The summary goes to the channel in the community's language (English here).
    assert "Responses: 1 of 3 (33%)" in later


async def test_several_questions_ask_for_one_line_each_in_the_readers_language(
    chat: Chat,
) -> None:
    await chat("/as ana", "me language pt")
    questions = "What went well?\nWhat was hard?"
    fields = form()
    fields[1] = questions
    await chat("/as mo moderator", "checkin create", *fields)
    week = await chat("/as zed", "/clock +7d")
    assert "Responda aqui com uma linha por pergunta (2 linhas)" in dm_to(week, "ana")
    assert "Reply here with one line per question (2 lines)" in dm_to(week, "mo")


async def test_the_community_language_writes_the_summary(chat: Chat) -> None:
    await chat("/as admin admin", "admin config language es", "me language en")
    await chat("/as mo moderator", "checkin create", *form())
    week = await chat("/as zed", "/clock +8d")
    assert "Respuestas: 0 de 2 (0%)" in week  # the summary, in #staff
    assert "check-in time!" in dm_to(week, "admin")  # who chose English
    assert "¡Es hora del check-in!" in dm_to(week, "mo")  # the community's language


async def test_errors_and_lists_are_in_the_members_language(chat: Chat) -> None:
    await chat("/as mo moderator", "me language fr")
    out = await chat("checkin pause 7")
    assert "Il n’y a pas de check-in n° 7 ici." in out
    out = await chat("checkin create", *form(zone="Mars/Olympus"))
    assert "Je ne connais pas le fuseau horaire `Mars/Olympus`" in out
    await chat("/cancel", "checkin create", *form())
    out = await chat("checkin pause 1", "checkin list")
    assert "Le check-in n° 1 est en pause." in out
    assert "n° 1 Weekly pulse (en pause) — every monday 09:00 (heure locale des membres)" in out


def parameter_names(app: App, skill: str) -> list[str]:
    """What ``help`` shows before each parameter's help: its name, a command word."""
    return [p.name for cmd in app.registry if cmd.skill == skill for p in cmd.spec.params]


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    names = parameter_names(app, "checkins")
    assert await untranslated_replies(app, chat, "checkins", allowed=names) == []
