"""Moderation, administration and privacy on Discord, end to end."""

from __future__ import annotations

import io
import json
import zipfile

from bot.app import App
from tests.adapters.discord.test_introductions import introduce, only
from tests.support.discord_bot import DiscordBot


async def test_a_member_is_refused_moderator_commands(bot: DiscordBot) -> None:
    refused = only(await bot.slash(bot.world.ana, "admin stats"))
    assert refused.ephemeral
    assert (
        refused.content == "Only moderators and admins can use `admin stats`. Nothing was changed."
    )


async def test_the_moderator_role_and_the_server_owner(bot: DiscordBot) -> None:
    mo, olga, ana = bot.world.mo, bot.world.olga, bot.world.ana
    stats = only(await bot.slash(mo, "admin stats", period="7d"))
    assert stats.ephemeral
    assert stats.embeds[0]["title"].startswith("Community stats, last 7 days")
    refused = only(await bot.slash(mo, "admin moderator add", member=ana.id))
    assert refused.content == "Only admins can use `admin moderator add`. Nothing was changed."
    made = only(await bot.slash(olga, "admin moderator add", member=ana.id))
    assert made.content == f"<@{ana.id}> is now a moderator."
    granted = only(await bot.slash(ana, "admin stats"))  # a moderator now, from the store
    assert granted.embeds[0]["title"].startswith("Community stats, last 30 days")
    audit = only(await bot.slash(olga, "admin audit"))
    assert "admin moderator add" in audit.text


async def test_config_by_text_and_by_slash_command(bot: DiscordBot) -> None:
    mo = bot.world.mo
    listed = only(await bot.say(mo, "!sr admin config"))
    assert bot.fake.dm_channels[listed.channel_id] == mo.id
    assert "resources.page_size" in listed.text
    changed = only(await bot.slash(mo, "admin config", key="resources.page_size", value="10"))
    assert "10" in changed.text
    refused = only(await bot.slash(mo, "admin config", key="resources.page_size", value="99"))
    assert "The page size is a whole number from 1 to 20." in refused.text
    reset = only(await bot.slash(mo, "admin config reset", key="resources.page_size"))
    assert "resources.page_size" in reset.text


async def test_export_arrives_as_a_zip_file_by_dm(bot: DiscordBot, app: App) -> None:
    mo = bot.world.mo
    await introduce(app, bot.world.north, bot.world.ana)
    dm, answer = await bot.slash(mo, "admin export")
    assert answer.ephemeral
    assert answer.content == "I've sent you the export in a direct message."
    assert bot.fake.dm_channels[dm.channel_id] == mo.id
    [(filename, content)] = dm.files
    assert filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = json.loads(archive.read("staffroom.json"))
    assert any(row.get("display_name") == "Ana" for row in data["tables"]["profiles"])


async def test_privacy_show_export_and_forget_with_its_button(bot: DiscordBot, app: App) -> None:
    ana, bea = bot.world.ana, bot.world.bea
    await introduce(app, bot.world.north, ana, region="Porto")
    shown = only(await bot.slash(ana, "privacy show"))
    assert shown.ephemeral
    assert "Porto" in shown.text
    assert "`privacy forget` erases it." in shown.text  # the footer
    dm, answer = await bot.slash(ana, "privacy export")
    assert answer.content == "I've sent you your data as a file in a direct message."
    [(filename, content)] = dm.files
    assert filename.endswith(".json")
    assert "Porto" in content.decode()
    ask = only(await bot.slash(ana, "privacy forget"))
    assert ask.ephemeral
    assert ask.embeds[0]["title"] == "Erase everything about you?"
    confirm = ask.button("Yes, forget me")
    assert confirm["style"] == 4  # danger
    assert confirm["custom_id"].startswith("sr:s:")  # the member and the time: kept in the store
    others = only(await bot.click(bea, ask, "Yes, forget me"))
    assert "That button was for someone else." in others.content
    done = only(await bot.click(ana, ask, "Yes, forget me"))
    assert done.content.startswith("Done: Staffroom has forgotten you in Northside Teachers.")
    gone = only(await bot.slash(ana, "whois", member=ana.id))
    assert "You haven't introduced yourself yet." in gone.content
    stale = only(await bot.click(ana, ask, "Yes, forget me"))
    assert (
        stale.content == "That button no longer works. Type the command again (`/help` lists them)."
    )
