"""Mentoring in each member's language: replies, proposals, introductions and reports."""

from __future__ import annotations

from bot.app import App
from tests.skills.mentoring.helpers import mentee, mentor
from tests.support.console import Chat
from tests.support.i18n import untranslated_replies

SCHEDULE_WORDS = (
    *("every", "Monday", "Tuesday", "at", "next", "first", "of", "the", "month", "on"),
    *("Mon", "Tue", "Mar", "Apr", "May", "Europe", "Lisbon"),
)
"""The schedule as ``bot.scheduling`` describes it (the core's words, not mentoring's)."""
PARAMETERS = (
    *("subjects", "capacity", "goals", "subject", "partner", "feedback", "text", "when"),
    *("mentor", "mentee"),
)
"""Parameter names shown by `help` (command words, kept in English)."""
CONSOLE = ("DM", "to", "from")
"""The console's own lines around a DM."""


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo", "subject:science")
    await chat("/as ana")
    problems = await untranslated_replies(
        app,
        chat,
        "mentoring",
        setup=["/as bo", "/role admin", "pair preview", "mentor status", "/as ana"],
        lines=["pair list", "mentor status", "pair preview", "pair run", "pair auto"],
        allowed=["Ana", "Bo", "science", *PARAMETERS, *SCHEDULE_WORDS, *CONSOLE],
    )
    assert problems == []


async def test_each_member_reads_mentoring_in_their_own_language(chat: Chat) -> None:
    await mentor(chat, "ana")
    out = await mentee(chat, "bo", "subject:science help planning labs")
    assert "Got it: you're looking for a mentor in science." in out
    out = await chat("/as bo", "me language es", "mentor request subject:science more labs")
    assert "Entendido: buscas un mentor en science." in out

    sent = await chat("/as mod moderator", "pair run")
    assert (
        "Mentoring round sent" in sent and "1 match, total score 6.8; 0 mentees unmatched." in sent
    )
    to_ana, to_bo = sent.split("── DM to @bo ──")
    assert "Would you mentor @bo?" in to_ana
    assert "Why we suggest it: both teach grade 7 science; 3 shared working hours." in to_ana
    assert "[1] Accept   [2] Decline" in to_ana
    assert "¿Te gustaría tener a @ana como mentor?" in to_bo
    assert (
        "Por qué lo proponemos: los dos enseñan science en el nivel 7; "
        "3 horas de trabajo en común." in to_bo
    )
    assert "Responde antes del jue 5 mar 07:00 (tu hora); haré las presentaciones" in to_bo
    assert "[1] Aceptar   [2] Rechazar" in to_bo

    assert "¡Gracias! Te presentaré a @ana en cuanto acepte también." in await chat("/as bo", "1")
    met = await chat("/as ana", "1")
    assert "@ana, meet @bo: @ana will mentor @bo." in met
    assert "@ana, te presento a @bo: @ana será mentor de @bo." in met
    assert "Why we matched you: both teach grade 7 science; 3 shared working hours." in met
    assert (
        "Motivo del emparejamiento: los dos enseñan science en el nivel 7; "
        "3 horas de trabajo en común." in met
    )
    assert "• mar 3 mar 15:00 para @ana = mar 3 mar 10:00 para @bo" in met
    assert "3 horarios dentro de la jornada de los dos para una primera reunión:" in met

    status = await chat("/as bo", "mentor status")
    assert "Mentorado por @ana desde el 02 mar" in status
    assert "Mentored by" not in status
    assert "Mentoring @bo since 02 Mar" in await chat("/as ana", "mentor status")


async def test_a_scheduled_expiry_reaches_each_side_in_their_language(chat: Chat) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as bo", "me language fr")
    await chat("/as mod moderator", "pair run")
    expired = await chat("/clock +4d")
    to_ana, to_bo = expired.split("── DM to @bo ──")
    assert "The mentoring match with @bo expired before you both accepted." in to_ana
    assert (
        "La proposition de mentorat avec @ana a expiré avant que vous ayez tous deux accepté."
        in to_bo
    )
