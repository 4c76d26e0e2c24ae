"""Discord in each member's language: the client's locale, and localised slash commands."""

from __future__ import annotations

from dataclasses import replace

from bot.adapters.discord.slash import SlashCommands
from bot.core.skills import load_registry
from tests.adapters.discord.test_introductions import only
from tests.support.discord_bot import DiscordBot


async def test_a_member_is_answered_in_their_discord_language(bot: DiscordBot) -> None:
    ana = bot.world.ana
    answer = only(await bot.slash(replace(ana, locale="es-ES"), "me language"))
    assert "Te escribo en español (es el de tu aplicación de chat)." in answer.text
    # Messages carry no locale: the one seen on her last interaction is remembered.
    said = only(await bot.say(ana, f"<@{bot.fake.bot.id}> teleport"))
    assert "No conozco `teleport`" in said.text
    answer = only(await bot.slash(bot.world.bea, "me language"))
    assert "I write to you in English" in answer.text


async def test_a_chosen_language_wins_over_the_client_language(bot: DiscordBot) -> None:
    ana = replace(bot.world.ana, locale="pt-BR")
    answer = only(await bot.slash(ana, "me language", language="français"))
    assert "désormais, je vous écrirai en français" in answer.text
    assert "Je vous écris en français" in only(await bot.slash(ana, "me language")).text


def test_slash_descriptions_are_localised_and_names_stay_english() -> None:
    slash = SlashCommands.from_registry(load_registry())
    help_command = next(c for c in slash.payload if c["name"] == "help")
    assert help_command["description"] == "List what I can do, or explain one command."
    assert help_command["description_localizations"] == {
        "es-ES": "Muestra lo que sé hacer o explica un comando.",
        "es-419": "Muestra lo que sé hacer o explica un comando.",
        "pt-BR": "Mostra o que sei fazer ou explica um comando.",
        "fr": "Affiche ce que je sais faire ou explique une commande.",
    }
    (option,) = help_command["options"]
    assert option["name"] == "command"
    assert option["description_localizations"]["fr"].startswith("Une commande ou un groupe")
