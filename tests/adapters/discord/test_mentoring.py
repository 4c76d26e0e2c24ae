"""A mentoring round on Discord: the DMs' Accept buttons, and the introduction by DM (bots
have no group DMs there, so each side gets it on their own)."""

from __future__ import annotations

from bot.app import App
from tests.adapters.discord.test_introductions import introduce, only
from tests.support.discord_bot import DiscordBot

MENTORING = {
    "subjects": "science",
    "grades": "7",
    "languages": "English",
    "years_experience": "12",
}


async def test_both_accept_with_buttons_and_each_gets_the_introduction(
    bot: DiscordBot, app: App
) -> None:
    north, ana, bea = bot.world.north, bot.world.ana, bot.world.bea
    await introduce(app, north, ana, **MENTORING)
    await introduce(app, north, bea, **(MENTORING | {"years_experience": "1"}))
    assert "offering to mentor" in only(await bot.say(ana, "!sr mentor offer")).text
    assert "looking for a mentor" in only(await bot.say(bea, "!sr mentor request")).text
    sent = await bot.slash(bot.world.mo, "pair run")
    asks = {bot.fake.dm_channels[s.channel_id]: s for s in sent if "A mentoring match" in s.text}
    assert set(asks) == {ana.id, bea.id}
    assert f"Would you mentor <@{bea.id}>?" in asks[ana.id].text

    waiting = only(await bot.click(bea, asks[bea.id], "Accept"))
    assert f"as soon as <@{ana.id}> accepts" in waiting.text
    sent = await bot.click(ana, asks[ana.id], "Accept")
    meets = [s for s in sent if "Meet your mentoring partner" in s.text]
    assert {bot.fake.dm_channels[s.channel_id] for s in meets} == {ana.id, bea.id}
    assert f"<@{ana.id}>, meet <@{bea.id}>" in meets[0].text
    again = only(await bot.click(bea, asks[bea.id], "Accept"))
    assert "You both accepted already" in again.text
