from __future__ import annotations

from bot.app import App
from bot.skills.resources.vocabulary import KINDS
from tests.support.console import Chat
from tests.support.i18n import untranslated_replies

PIZZA = (
    'resource share https://example.org/pizza "Pizza fractions" subject:math grade:3-5 '
    "type:lesson-plan #fractions Slices"
)


PARAMETERS = ("id", "url", "subject", "grade", "type", "tag", "words", "by", "rating", "page")
PARAMETERS += ("field", "value", "lesson", "plan", *KINDS)
"""What members type (``help`` lists parameters by name; types are values)."""
CONSOLE = ("in", "alex", "Enter", "keeps", "the", "value", "brackets", "clears", "it", "cancel")
CONSOLE += ("stops", "library")
"""The console's transcript (``── in #library ──``, the member's name) and form hint: the
core's words, not this skill's."""


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    problems = await untranslated_replies(
        app,
        chat,
        "resources",
        setup=(
            "/as ana",
            "resource recent",
            "/as alex admin",
            "admin channel resources #library",
            PIZZA,
        ),
        lines=(
            "resource show 1",
            "resource find pizza",
            "resource find pizza subject:art",
            "resource find pizza page:2",
            "resource find rating:9",
            "resource recent",
            "resource top",
            "resource top math",
            "resource save 1",
            "resource save 1",
            "resource saved",
            "resource unsave 1",
            "resource unsave 1",
            "resource rate 1 4",
            "resource share https://example.org/pizza #games",
            "resource share https://example.org/cake grade:3-5 type:poster",
            "resource edit 1 colour red",
            "resource edit 1 tags #slices",
            "resource feature 1",
            "resource feature 1",
            "resource remove 1 broken",
            "resource remove 1",
        ),
        allowed=(*PARAMETERS, *CONSOLE, "example", "org", "pizza", "fractions", "math", "Slices"),
    )
    assert problems == []


async def test_each_member_reads_the_library_in_their_own_language(chat: Chat) -> None:
    await chat("/as mod moderator", "admin channel resources #library", "admin config language fr")
    await chat("/as ana", "me language es")
    out = await chat(PIZZA)
    assert (
        "¡Gracias! #1 “Pizza fractions” ya está en la biblioteca. Lo publiqué en #library." in out
    )
    # The announcement in the channel is in the community's language (French).
    assert "📚 Nouvelle ressource : Pizza fractions" in out
    assert "@ana a partagé https://example.org/pizza" in out
    assert "Type: séquence pédagogique" in out
    assert "Note: pas encore noté" in out
    out = await chat("/as bob", "me language en", "resource rate 1 4")
    assert "Thanks! You rated #1 “Pizza fractions” 4/5. It now has ★ 4.0 from 1 rating." in out
    await chat("/as carla", "me language pt", "resource rate 1 5")
    out = await chat("/as ana", "resource find pizza")
    assert "Recursos para «pizza»" in out
    assert "plan de clase · math · grados 3–5 · ★ 4,5 (2 valoraciones) · compartido por @ana" in out
    out = await chat("/as bob", "resource find pizza")
    assert "lesson plan · math · grades 3–5 · ★ 4.5 (2 ratings) · shared by @ana" in out
    out = await chat("/as zoe", "resource find pizza")  # no choice: the community's language
    assert "séquence pédagogique · math · niveaux 3–5 · ★ 4,5 (2 notes) · partagé par @ana" in out
    out = await chat("/as carla", "resource rate 1 3")
    assert (
        "Obrigado! #1 “Pizza fractions” recebeu 3/5 (antes 5). Agora tem ★ 3,5 com 2 avaliações."
        in out
    )
