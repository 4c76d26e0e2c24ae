"""Every command a member can type works as a slash command."""

from __future__ import annotations

from bot.app import App
from bot.core.commands import Param, ParamKind
from tests.adapters.discord.test_introductions import introduce
from tests.support.discord_bot import DiscordBot
from tests.support.samples import sample


def slash_value(param: Param, bot: DiscordBot) -> str | int:
    """What Discord sends for an option: ids for members and channels, numbers as numbers."""
    if param.kind is ParamKind.MENTION:
        return bot.world.bea.id
    if param.kind is ParamKind.CHANNEL:
        return bot.world.north.channel("resources")
    if param.kind is ParamKind.INT:
        return int(sample(param))
    if param.kind is ParamKind.URL:
        return "https://192.0.2.7/a"
    return sample(param).strip('"')


async def test_every_command_answers_as_a_slash_command(bot: DiscordBot, app: App) -> None:
    olga = bot.world.olga
    await introduce(app, bot.world.north, bot.world.bea)
    await bot.say(olga, '!sr resource share https://192.0.2.7/b "Shared first"')
    for cmd in app.registry.commands():
        options = {p.name: slash_value(p, bot) for p in cmd.spec.params}
        answers = await bot.slash(olga, cmd.name, **options)
        assert answers, cmd.name
        for answer in answers:
            assert "something went wrong" not in answer.text, (cmd.name, answer.text)
            assert answer.text or answer.is_modal, cmd.name
