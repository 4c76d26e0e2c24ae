"""Help and introductions on Discord, end to end through the real discord.py client."""

from __future__ import annotations

from bot.app import App
from bot.core.events import Actor, Event, EventKind, Invocation, Place, TenantRef
from tests.fakes.discord_api import FakeGuild, FakeUser, Sent
from tests.support.discord_bot import DiscordBot

INTRO = {
    "display_name": "",
    "role_title": "teacher",
    "subjects": "math",
    "grades": "6-8",
    "timezone": "Europe/Lisbon",
}


async def introduce(app: App, guild: FakeGuild, user: FakeUser, **fields: str) -> None:
    """Save an intro the way the intro form does (setup, not the behaviour under test)."""
    values = {**INTRO, "display_name": user.name.title(), **fields}
    event = Event(
        kind=EventKind.INVOCATION,
        event_id=f"setup-{guild.id}-{user.id}",
        tenant=TenantRef(platform="discord", external_id=guild.id, name=guild.name),
        actor=Actor(user_id=user.id, display_name=user.name.title()),
        place=Place(channel_id=guild.channel("general")),
        invocation=Invocation(command="intro save", args=values),
    )
    [reply] = await app.dispatcher.handle(event)
    assert "Your intro is saved" in reply.text, reply.text


def only(sent: list[Sent]) -> Sent:
    assert len(sent) == 1, [s.text for s in sent]
    return sent[0]


async def test_help_by_slash_command_is_private(bot: DiscordBot) -> None:
    answer = only(await bot.slash(bot.world.ana, "help"))
    assert answer.route == "callback"
    assert answer.ephemeral
    assert answer.embeds[0]["title"] == "What I can do for you (member)"
    assert "`people find` — Search the member directory." in answer.text
    assert "admin channel" not in answer.text
    details = only(await bot.slash(bot.world.mo, "help", command="admin channel"))
    assert "Usage: `admin channel <purpose> #channel`" in details.text


async def test_help_by_prefix_or_mention_arrives_by_dm(bot: DiscordBot) -> None:
    ana = bot.world.ana
    answer = only(await bot.say(ana, "!sr help"))
    assert answer.route == "channel"
    assert bot.fake.dm_channels[answer.channel_id] == ana.id
    assert "What I can do for you (member)" in answer.text
    [reaction] = bot.fake.calls_to("PUT", r"/reactions/")
    assert "📬" in reaction.path
    by_mention = only(await bot.say(ana, f"<@{bot.fake.bot.id}> help intro"))
    assert "help: intro" in by_mention.text
    assert await bot.say(ana, "just chatting about help") == []


async def test_public_answers_reply_in_the_channel(bot: DiscordBot) -> None:
    answer = only(await bot.say(bot.world.ana, "!sr nonsense words"))
    assert answer.channel_id == bot.world.north.channel("general")
    assert "I don't know `nonsense words`" in answer.content
    assert answer.body["message_reference"]["message_id"]
    assert answer.body["allowed_mentions"] == {
        "parse": ["users"],
        "replied_user": False,
    }


async def test_intro_in_two_modals_with_an_answer_to_fix(bot: DiscordBot, app: App) -> None:
    ana, mo, north = bot.world.ana, bot.world.mo, bot.world.north
    await bot.slash(
        mo, "admin channel", purpose="introductions", channel=north.channel("introductions")
    )
    first = only(await bot.slash(ana, "intro"))
    assert first.is_modal
    assert first.body["title"] == "Introduce yourself (1/2)"
    inputs = first.components()
    assert [i["custom_id"] for i in inputs] == [
        "display_name",
        "role_title",
        "subjects",
        "grades",
        "region",
    ]
    assert inputs[0]["value"] == "Ana"
    assert inputs[0]["required"] is True
    saved = only(
        await bot.submit(
            ana, first, {"role_title": "teacher", "subjects": "maths, science", "grades": "6-8"}
        )
    )
    assert saved.ephemeral
    assert saved.content == "Page 1 of 2 is saved."
    second = only(await bot.click(ana, saved, "Continue (2/2)"))
    assert second.is_modal
    assert second.body["title"] == "Introduce yourself (2/2)"
    assert [i["custom_id"] for i in second.components()] == [
        "timezone",
        "languages",
        "years_experience",
        "interests",
        "seeking",
    ]
    assert second.components()[3]["style"] == 2  # interests: a paragraph
    rejected = only(
        await bot.submit(ana, second, {"timezone": "Mars/Olympus", "years_experience": "77"})
    )
    assert rejected.ephemeral
    assert "I couldn't find the time zone 'Mars/Olympus'" in rejected.text
    assert "Years of experience should be a number from 0 to 60" in rejected.text
    fix = only(await bot.click(ana, rejected, "Fix my answers"))
    assert fix.body["title"] == "Introduce yourself"
    assert [(i["custom_id"], i["value"]) for i in fix.components()] == [
        ("timezone", "Mars/Olympus"),
        ("years_experience", "77"),
    ]
    done = await bot.submit(ana, fix, {"timezone": "Lisbon", "years_experience": "12"})
    post, reply = done  # the post is delivered before the answer
    assert reply.ephemeral
    assert "Thanks! Your intro is saved." in reply.text
    assert f"I've shared it in <#{north.channel('introductions')}>" in reply.text
    assert post.channel_id == north.channel("introductions")
    assert "Please welcome Ana!" in post.text
    assert "Subjects: math, science" in post.text
    card = only(await bot.slash(ana, "whois", member=ana.id))
    assert "Time zone: Europe/Lisbon" in card.text
    assert "Years of experience: 12 years" in card.text
    again = only(await bot.click(ana, rejected, "Fix my answers"))
    assert "That form has expired or was already sent" in again.content


async def test_someone_elses_form_page_is_refused(bot: DiscordBot) -> None:
    first = only(await bot.slash(bot.world.ana, "intro"))
    refused = only(await bot.submit(bot.world.bea, first))
    assert refused.ephemeral
    assert refused.content == "That form belongs to someone else. Start your own with its command."


async def test_intro_typed_in_a_channel_comes_as_a_button_in_a_dm(bot: DiscordBot) -> None:
    ana = bot.world.ana
    offer = only(await bot.say(ana, "!sr intro"))
    assert bot.fake.dm_channels[offer.channel_id] == ana.id
    assert "Tell the network about yourself." in offer.content
    modal = only(await bot.click(ana, offer, "Open the form"))
    assert modal.is_modal
    assert modal.body["title"] == "Introduce yourself (1/2)"


async def test_intro_set_and_whois(bot: DiscordBot, app: App) -> None:
    ana, bea = bot.world.ana, bot.world.bea
    await introduce(app, bot.world.north, bea, subjects="math, art", interests="robotics")
    answer = only(await bot.slash(ana, "intro set", field="tz", value="Tokyo"))
    assert answer.ephemeral
    assert answer.content.startswith("Updated your time zone: Asia/Tokyo")
    assert "To finish your intro, add:" in answer.content
    typed = only(await bot.say(ana, "!sr intro set subjects art"))
    assert "Updated your subjects: art" in typed.text  # a private answer, so by DM
    card = only(await bot.slash(ana, "whois", member=bea.id))
    assert not card.ephemeral
    assert card.embeds[0]["title"] == "Bea — teacher"
    assert "In common: both teach art" in card.text
    nobody = only(await bot.slash(ana, "whois", member=bot.world.cal.id))
    assert "hasn't used Staffroom in this community yet" in nobody.content


async def test_people_find_pages_with_more(bot: DiscordBot, app: App) -> None:
    north, ana = bot.world.north, bot.world.ana
    await introduce(app, north, ana)
    for number in range(10):
        colleague = bot.fake.add_user(f"teacher{number:02d}")
        bot.fake.add_member(north, colleague)
        await introduce(app, north, colleague, interests="project based learning")
    first = only(await bot.slash(ana, "people find", subject="math"))
    assert first.ephemeral
    assert first.embeds[0]["title"] == "10 members found (page 1 of 2)"
    assert first.text.count("• Teacher") == 8
    more = first.button("More")
    assert more["custom_id"].startswith(f"sr:i:{north.id}:")
    second = only(await bot.click(ana, first, "More"))
    assert second.embeds[0]["title"] == "10 members found (page 2 of 2)"
    assert second.text.count("• Teacher") == 2
    worded = only(
        await bot.slash(ana, "people find", subject="math", words="project based learning")
    )
    stored = worded.button("More")["custom_id"]
    assert stored.startswith("sr:s:"), stored  # too long to carry: kept in the store
    again = only(await bot.click(ana, worded, "More"))
    assert again.embeds[0]["title"].endswith("(page 2 of 2)")


async def test_a_newcomer_gets_a_welcome_dm_whose_button_opens_the_intro(
    bot: DiscordBot,
) -> None:
    eli = bot.fake.add_user("eli")
    welcome = only(await bot.join(eli))
    assert bot.fake.dm_channels[welcome.channel_id] == eli.id
    assert welcome.embeds[0]["title"] == "Welcome to Northside Teachers!"
    assert welcome.button("Introduce myself")["custom_id"] == (
        f'sr:i:{bot.world.north.id}:["intro",{{}}]'
    )
    modal = only(await bot.click(eli, welcome, "Introduce myself"))
    assert modal.is_modal
    assert modal.body["title"] == "Introduce yourself (1/2)"
    assert await bot.leave(eli) == []
    gone = only(await bot.click(eli, welcome, "Introduce myself"))
    assert gone.content == (
        "That button belongs to Northside Teachers, and you're no longer a member there."
    )
