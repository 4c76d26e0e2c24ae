from __future__ import annotations

from bot.app import App
from bot.community.languages import spoken_languages
from tests.support.console import Chat
from tests.support.i18n import untranslated_replies


async def test_a_member_chooses_their_language_by_code_or_name(chat: Chat) -> None:
    out = await chat("me language")
    assert "I write to you in English (it is the community's language)." in out
    assert "español (es)" in out
    assert "Listo: a partir de ahora te escribiré en español." in await chat("me language es")
    assert "Te escribo en español (lo elegiste tú)." in await chat("me language")
    assert "désormais, je vous écrirai en français" in await chat("me language français")
    assert "escreverei em português" in await chat("me language pt-BR")
    assert "from now on I'll write to you in English" in await chat("me language Inglés")


async def test_an_unsupported_language_lists_the_supported_ones(chat: Chat) -> None:
    out = await chat("me language klingon")
    assert "I can't write in klingon yet. I speak English (en), español (es)" in out
    await chat("me language es")
    out = await chat("me language Deutsch")
    assert (
        "Todavía no sé escribir en Deutsch. Hablo English (en), español (es), "
        "português (pt) y français (fr)." in out
    )


async def test_each_member_gets_their_own_language(chat: Chat) -> None:
    await chat("/as ana", "me language español")
    assert "Te escribo en español" in await chat("me language")
    assert "I write to you in English" in await chat("/as bob", "me language")
    assert "Te escribo en español" in await chat("/as ana", "me language")


async def test_the_community_language_is_the_default(chat: Chat) -> None:
    await chat("/role admin", "admin config language fr")
    out = await chat("/as zoe", "me language")
    assert "Je vous écris en français (c’est la langue de la communauté)." in out
    await chat("me language en")
    assert "I write to you in English (you chose it)." in await chat("me language")
    out = await chat("me language default")
    assert "celle de la communauté (français)" in out


async def test_every_reply_of_the_skill_is_translated(app: App, chat: Chat) -> None:
    names = [word for pair in spoken_languages() for word in pair]
    assert await untranslated_replies(app, chat, "me", allowed=names) == []
