"""The resource library on Discord, end to end through the real discord.py client."""

from __future__ import annotations

from tests.adapters.discord.test_introductions import only
from tests.support.discord_bot import DiscordBot

LONG_LINK = "https://192.0.2.7/lessons/fractions-with-pizza-and-other-delicious-things"


async def set_resources_channel(bot: DiscordBot) -> str:
    channel = bot.world.north.channel("resources")
    [done] = await bot.slash(bot.world.mo, "admin channel", purpose="resources", channel=channel)
    assert done.content == f"Done: resources go to <#{channel}>."
    return channel


async def test_share_by_slash_command_posts_a_card_to_save_and_rate(bot: DiscordBot) -> None:
    channel = await set_resources_channel(bot)
    ana, bea = bot.world.ana, bot.world.bea
    post, thanks = await bot.slash(
        ana,
        "resource share",
        url="https://192.0.2.7/pizza",
        title="Pizza fractions",
        subject="maths",
        grade="3-5",
        type="lesson",
        tags="fractions, games",
        description="A hands-on intro",
    )
    assert thanks.ephemeral
    assert "Thanks! #1 “Pizza fractions” is in the library." in thanks.text
    assert post.channel_id == channel
    assert post.embeds[0]["title"] == "📚 New resource: Pizza fractions"
    assert "Tags: #fractions #games" in post.text
    assert "Subject: math" in post.text
    saved = only(await bot.click(bea, post, "Save"))
    assert saved.ephemeral
    assert saved.content == "Saved #1 “Pizza fractions”. `resource saved` lists what you saved."
    rate = post.select()
    assert rate["placeholder"] == "Rate it"
    assert [o["value"] for o in rate["options"]] == ["5", "4", "3", "2", "1"]
    rated = only(await bot.choose(bea, post, "4"))
    assert rated.ephemeral
    assert rated.content.startswith("Thanks! You rated #1 “Pizza fractions” 4/5.")
    own = only(await bot.choose(ana, post, "5"))
    assert own.content == "You can't rate a resource you shared. Nothing was changed."
    listed = only(await bot.slash(bea, "resource saved"))
    assert "#1 Pizza fractions — https://192.0.2.7/pizza" in listed.text


async def test_find_pages_with_more(bot: DiscordBot) -> None:
    ana, bea = bot.world.ana, bot.world.bea
    for number in range(7):
        await bot.say(
            ana, f'!sr resource share https://192.0.2.7/f{number} "Fractions game {number}" #maths'
        )
    first = only(await bot.slash(bea, "resource find", words="fractions"))
    assert first.ephemeral
    assert first.text.count("Fractions game") == 5
    second = only(await bot.click(bea, first, "More"))
    assert second.text.count("Fractions game") == 2
    assert second.embeds[0]["title"].endswith("(page 2)")
    tagged = only(await bot.slash(bea, "resource find", tags="maths"))
    assert tagged.text.count("Fractions game") == 5
    nothing = only(await bot.say(bea, "!sr resource find volcanoes"))
    assert nothing.text.startswith("Nothing in the library matches that yet.")


async def test_a_link_posted_in_the_resources_channel_is_offered_by_dm(bot: DiscordBot) -> None:
    channel = await set_resources_channel(bot)
    ana = bot.world.ana
    offer = only(await bot.say(ana, f"Loved this one: {LONG_LINK}", where="resources"))
    assert bot.fake.dm_channels[offer.channel_id] == ana.id
    assert offer.content == "Nice find! Add this to the resource library?"
    add = offer.button("Add to the library")
    assert add["custom_id"].startswith("sr:s:")  # the link makes it too long to carry
    assert bot.fake.calls_to("PUT", r"/reactions/") == []  # the post itself stays untouched
    first = only(await bot.click(ana, offer, "Add to the library"))
    assert first.is_modal
    assert first.body["title"] == "Share a resource (1/2)"
    inputs = {i["custom_id"]: i for i in first.components()}
    assert inputs["url"]["value"] == LONG_LINK
    assert inputs["type"]["value"] == "other"
    assert inputs["type"]["placeholder"].startswith("One of: lesson-plan, article, video")
    saved = only(await bot.submit(ana, first, {"title": "Pizza!", "type": "lesson-plan"}))
    second = only(await bot.click(ana, saved, "Continue (2/2)"))
    assert [i["custom_id"] for i in second.components()] == ["tags", "description"]
    post, thanks = await bot.submit(ana, second, {"tags": "fractions", "description": "Yum"})
    assert "Thanks! #1 “Pizza!” is in the library." in thanks.text
    assert post.channel_id == channel
    assert await bot.say(ana, LONG_LINK, where="resources") == []  # already in the library


async def test_the_share_form_reopens_just_the_link_to_fix(bot: DiscordBot) -> None:
    ana = bot.world.ana
    first = only(await bot.slash(ana, "resource share"))
    assert first.is_modal
    saved = only(await bot.submit(ana, first, {"url": "not a link", "title": "Mystery"}))
    second = only(await bot.click(ana, saved, "Continue (2/2)"))
    rejected = only(await bot.submit(ana, second))
    assert rejected.ephemeral
    assert "url:" in rejected.text
    fix = only(await bot.click(ana, rejected, "Fix my answers"))
    assert [(i["custom_id"], i["value"]) for i in fix.components()] == [("url", "not a link")]
    done = only(await bot.submit(ana, fix, {"url": "https://192.0.2.9/mystery"}))
    assert "Thanks! #1 “Mystery” is in the library." in done.text


async def test_a_moderator_imports_an_attached_csv(bot: DiscordBot) -> None:
    csv = b"url,title,type\nhttps://192.0.2.7/a,Cells,video\nhttps://192.0.2.7/b,Bingo,game\n"
    refused = only(await bot.say(bot.world.ana, "!sr resource import", files=(("l.csv", csv),)))
    assert "moderator" in refused.text
    done = only(await bot.say(bot.world.mo, "!sr resource import", files=(("l.csv", csv),)))
    assert "Imported 2 resources into the library." in done.text
    assert "tagged #game" in done.text
