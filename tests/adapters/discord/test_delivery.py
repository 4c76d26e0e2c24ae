"""Delivery on Discord: rate limits, closed DMs, group DMs, two servers kept apart, a gateway
reconnect, and interactions deferred past the 3-second window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.context import Outgoing, OutgoingKind
from bot.core.errors import CapabilityUnavailable, DeliveryError
from bot.core.events import TenantRef
from bot.core.members import TenantDirectory
from bot.core.replies import Reply
from tests.adapters.discord.test_introductions import introduce, only
from tests.fakes.discord_api import FakeDiscord, FakeGuild
from tests.support.discord_bot import DiscordBot, discord_bot
from tests.support.slow import answer_after_a_few_turns

MESSAGES = r"^/channels/\d+/messages$"


def tenant(guild: FakeGuild) -> TenantRef:
    return TenantRef(platform="discord", external_id=guild.id, name=guild.name)


async def test_a_rate_limited_message_is_delivered_once(bot: DiscordBot) -> None:
    bot.fake.rate_limit("POST", MESSAGES, retry_after=0.05)
    answer = only(await bot.say(bot.world.ana, "!sr nonsense"))
    assert "I don't know `nonsense`" in answer.content
    assert [c.status for c in bot.fake.calls_to("POST", MESSAGES)] == [429, 200]


async def test_a_long_rate_limit_becomes_a_retry_after(bot: DiscordBot) -> None:
    north = bot.world.north
    bot.fake.rate_limit("POST", MESSAGES, retry_after=120)
    with pytest.raises(DeliveryError) as caught:
        await bot.adapter.port.post(tenant(north), north.channel("general"), Reply(text="Hi"))
    assert caught.value.retry_after == 120
    assert not caught.value.permanent
    assert [s.content for s in bot.fake.sent] == []


async def test_closed_dms_fall_back_to_the_channel_and_are_recorded(bot: DiscordBot) -> None:
    eli = bot.fake.add_user("eli")
    bot.fake.closed_dms.add(eli.id)
    fallback = only(await bot.join(eli))
    assert fallback.channel_id == bot.world.north.channel("staffroom")
    assert fallback.content.startswith(
        f"<@{eli.id}> I couldn't send you a direct message (your DMs are closed)"
    )
    assert fallback.embeds[0]["title"] == "Welcome to Northside Teachers!"
    assert fallback.button("Introduce myself")
    assert [c.status for c in bot.fake.calls_to("POST", MESSAGES)] == [403, 200]
    audit = only(await bot.slash(bot.world.olga, "admin audit"))
    assert f"dm fallback · <@{eli.id}>" in audit.text


async def test_files_never_go_to_the_fallback_channel(bot: DiscordBot) -> None:
    mo = bot.world.mo
    bot.fake.closed_dms.add(mo.id)
    fallback, answer = await bot.slash(mo, "admin export")
    assert answer.content == "I've sent you the export in a direct message."
    assert fallback.channel_id == bot.world.north.channel("staffroom")
    assert fallback.files == []
    assert "It came with a file, which I only send by direct message" in fallback.content


async def test_without_a_fallback_channel_the_member_is_told(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_bot(app, monkeypatch, settings={"fallback_channel": None}) as bot:
        mo = bot.world.mo
        bot.fake.closed_dms.add(mo.id)
        answer, note = await bot.slash(mo, "admin export")
        assert answer.content == "I've sent you the export in a direct message."
        assert note.ephemeral
        assert note.content == f"(I couldn't deliver a message to <@{mo.id}>.)"


async def test_a_private_answer_to_a_closed_dm_is_a_note_in_the_channel(bot: DiscordBot) -> None:
    ana = bot.world.ana
    bot.fake.closed_dms.add(ana.id)
    note = only(await bot.say(ana, "!sr privacy show"))
    assert note.channel_id == bot.world.north.channel("general")
    assert note.content.startswith(f"<@{ana.id}> I have a private answer for you")
    assert "Staffroom stores" not in note.text  # nothing private in the channel


async def test_group_dms_become_one_dm_each(bot: DiscordBot, app: App) -> None:
    ana, bea, north = bot.world.ana, bot.world.bea, bot.world.north
    with pytest.raises(CapabilityUnavailable):
        await bot.adapter.port.send_group_dm(tenant(north), [ana.id, bea.id], Reply(text="Hi"))
    group = Outgoing(
        kind=OutgoingKind.GROUP_DM,
        tenant=tenant(north),
        target="",
        members=(ana.id, bea.id),
        reply=Reply(text="Meet your mentoring partner!"),
    )
    async with app.store.transaction() as session:
        info = await TenantDirectory().ensure(session, tenant(north), app.clock.now())
        queued = await app.dispatcher.outbox.enqueue(
            session, info.id, [group], "test", app.clock.now()
        )
    assert await app.dispatcher.outbox.send_now(queued) == []
    delivered = {bot.fake.dm_channels[s.channel_id]: s.content for s in bot.fake.sent}
    assert delivered == {
        ana.id: "Meet your mentoring partner!",
        bea.id: "Meet your mentoring partner!",
    }


async def test_two_servers_are_kept_apart(bot: DiscordBot, app: App) -> None:
    ana, north, south = bot.world.ana, bot.world.north, bot.world.south
    await introduce(app, north, ana, region="Porto")
    here = only(await bot.slash(ana, "whois", member=ana.id))
    assert "Region: Porto" in here.text
    there = only(await bot.slash(ana, "whois", member=ana.id, guild=south))
    assert "You haven't introduced yourself yet." in there.content
    await bot.slash(ana, "resource share", url="https://192.0.2.7/pizza", title="Pizza")
    found = only(await bot.slash(ana, "resource find", words="pizza", guild=south))
    assert found.text.startswith("Nothing in the library matches that yet.")
    welcome = only(await bot.join(bot.fake.add_user("eli"), south))
    button = welcome.button("Introduce myself")["custom_id"]
    refused = only(await bot.press(ana, button, guild=north))
    assert refused.content.startswith("That button no longer works.")


async def test_a_post_into_another_servers_channel_is_refused(bot: DiscordBot) -> None:
    elsewhere = bot.world.south.channel("resources")
    await bot.slash(bot.world.mo, "admin channel", purpose="resources", channel=elsewhere)
    answer, note = await bot.slash(
        bot.world.ana, "resource share", url="https://192.0.2.7/pizza", title="Pizza"
    )
    assert "Thanks! #1 “Pizza” is in the library." in answer.text
    assert note.content == f"(I couldn't deliver a message to <#{elsewhere}>.)"
    assert all(s.channel_id != elsewhere for s in bot.fake.sent)


async def test_the_client_resumes_after_the_gateway_drops_it(bot: DiscordBot) -> None:
    north, ana = bot.world.north, bot.world.ana
    [session] = [i for i in bot.fake.identified]
    await bot.fake.drop_connection()
    missed = bot.fake.message_payload(north, north.channel("general"), ana, "!sr nonsense")
    await bot.fake.dispatch("MESSAGE_CREATE", missed, guild_id=north.id)  # while disconnected
    await bot.fake.wait_connected()
    await bot.settle()
    [resume] = bot.fake.resumed
    assert resume["session_id"]
    assert len(bot.fake.identified) == 1  # resumed, not identified again
    assert session["token"] == resume["token"]
    [answer] = bot.fake.sent
    assert "I don't know `nonsense`" in answer.content


async def test_slow_answers_are_deferred_then_sent(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_after_a_few_turns(monkeypatch, app.dispatcher)
    async with discord_bot(app, monkeypatch, ack_budget=0) as bot:
        ana = bot.world.ana
        edited = only(await bot.slash(ana, "help"))
        [callback] = bot.fake.calls_to("POST", r"/callback$")
        assert callback.body == {"type": 5, "data": {"flags": 64}}
        assert edited.route == "edit"
        assert "What I can do for you" in edited.text
        form = only(await bot.slash(ana, "intro"))  # too late for a modal: a button opens it
        assert form.route == "edit"
        modal = only(await bot.click(ana, form, "Open the form"))
        assert modal.is_modal  # opening a page needs no dispatch, so it is never deferred
        ask = only(await bot.slash(ana, "privacy forget"))
        assert ask.route == "edit"
        done = only(await bot.click(ana, ask, "Yes, forget me"))
        assert bot.fake.calls_to("POST", r"/callback$")[-1].body == {"type": 6}
        assert done.route == "followup"
        assert done.ephemeral
        assert done.content.startswith("Done: Staffroom has forgotten you")


async def test_an_interaction_without_replies_is_still_answered(bot: DiscordBot) -> None:
    """Discord reports "this interaction failed" for any interaction left unanswered; one the
    dispatcher drops (a duplicate) gets a quiet answer."""
    ana, north = bot.world.ana, bot.world.north
    command = bot.fake.interaction_payload(
        2,
        bot.command_data("help", {}),
        user=ana,
        guild=north,
        channel_id=north.channel("general"),
    )
    for _ in range(2):
        await bot.fake.dispatch("INTERACTION_CREATE", command, guild_id=north.id)
    await bot.settle()
    # On PostgreSQL the duplicate waits for the first one's transaction, and its quiet
    # answer can overtake the first one's reply on the way out: compare without order.
    first, second = sorted(bot.fake.sent, key=lambda sent: sent.content == "Done.")
    assert "What I can do for you" in first.text
    assert (second.content, second.ephemeral) == ("Done.", True)
    custom_id = f'sr:i:{north.id}:["help",{{}}]'
    button = {**command, "id": "77", "type": 3}
    button["data"] = {"custom_id": custom_id, "component_type": 2}
    for _ in range(2):
        await bot.fake.dispatch("INTERACTION_CREATE", button, guild_id=north.id)
    await bot.settle()
    assert sorted(c.body["type"] for c in bot.fake.calls_to("POST", r"/callback$")[-2:]) == [4, 6]


async def test_a_keyed_message_sent_again_arrives_once(bot: DiscordBot) -> None:
    """The outbox sends an in-doubt message again on Discord; its nonce makes that harmless."""
    north, ana = bot.world.north, bot.world.ana
    keyed = Reply(text="Check-in time!", delivery_key="outbox-41")
    await bot.adapter.port.send_dm(tenant(north), ana.id, keyed)
    await bot.adapter.port.send_dm(tenant(north), ana.id, keyed)
    await bot.adapter.port.send_dm(tenant(north), ana.id, Reply(text="Check-in time!"))
    assert [s.content for s in bot.fake.sent] == ["Check-in time!", "Check-in time!"]
    bodies = [c.body for c in bot.fake.calls_to("POST", MESSAGES)]
    assert bodies[0]["nonce"] == "outbox-41.0" and bodies[0]["enforce_nonce"] is True
    assert bodies[2]["nonce"] != "outbox-41.0"  # discord.py picks a random one
    with pytest.raises(CapabilityUnavailable):
        await bot.adapter.port.find_delivery(
            tenant(north), key="outbox-41", since=datetime.now(UTC), user_id=ana.id
        )


async def test_a_welcome_dm_rate_limited_for_long_is_kept_and_sent_when_allowed(
    bot: DiscordBot, app: App, clock: ManualClock
) -> None:
    bot.fake.rate_limit("POST", r"^/users/@me/channels$", retry_after=45)
    eli = bot.fake.add_user("eli")
    assert await bot.join(eli) == []  # longer than discord.py waits: not sent now
    outbox = app.scheduler.outbox
    assert await outbox.depth() == 1
    assert outbox.metrics.rate_limit_waits["discord"] == 1
    await app.scheduler.tick()
    assert bot.fake.sent == []  # not before Discord allows it
    clock.advance(timedelta(seconds=45))
    await app.scheduler.tick()
    welcome = only(bot.fake.sent)
    assert bot.fake.dm_channels[welcome.channel_id] == eli.id
    assert welcome.embeds[0]["title"] == "Welcome to Northside Teachers!"
    assert await outbox.depth() == 0


async def test_schedules_pause_while_a_server_has_removed_the_bot(
    bot: DiscordBot, app: App, clock: ManualClock
) -> None:
    north = bot.world.north
    set_up = only(await bot.say(bot.world.ana, "!sr remind me every day 13:00 water the plants"))
    assert "I'll remind you" in set_up.content

    def reminders() -> int:
        return sum("water the plants" in s.text for s in bot.fake.sent[1:])

    await bot.fake.dispatch("GUILD_DELETE", {"id": north.id}, guild_id=north.id)
    await bot.settle()
    await app.scheduler.run_until(clock.now() + timedelta(days=2))
    assert reminders() == 0
    assert await app.scheduler.outbox.depth() == 0
    joined = {k: v for k, v in bot.fake.guild_payload(north).items() if k != "unavailable"}
    await bot.fake.dispatch("GUILD_CREATE", joined, guild_id=north.id)  # added back
    await bot.settle()
    await app.scheduler.run_until(clock.now() + timedelta(days=1))
    assert reminders() == 1  # the next one; those due while away are not sent late


async def test_a_server_that_removed_the_bot_while_staffroom_was_down_is_paused(
    app: App, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_bot(app, monkeypatch) as bot:
        south = bot.world.south
        text = "!sr remind me every day 13:00 water the plants"
        assert "I'll remind you" in only(await bot.say(bot.world.ana, text, guild=south)).content

    def removed_meanwhile(fake: FakeDiscord) -> None:
        del fake.guilds[south.id]

    async with discord_bot(app, monkeypatch, prepare=removed_meanwhile) as bot:
        await bot.settle()
        await app.scheduler.run_until(clock.now() + timedelta(days=2))
        assert not [s for s in bot.fake.sent if "water the plants" in s.text]
        assert await app.scheduler.outbox.depth() == 0
