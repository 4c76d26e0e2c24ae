"""A check-in on Discord: delivered by the scheduler through the outbox as DMs with buttons,
answered by a DM reply and with the Answer form, summarised in the staff channel."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.events import Actor, Event, EventKind, Invocation, Place, TenantRef
from bot.core.roles import Role
from tests.fakes.discord_api import Sent
from tests.support.discord_bot import DiscordBot


async def create_checkin(app: App, bot: DiscordBot) -> None:
    """What the moderator's check-in form submits (the form itself is tested elsewhere)."""
    north, mo = bot.world.north, bot.world.mo
    values = {
        "title": "Weekly pulse",
        "questions": "How was your week?",
        "schedule": "every tuesday 09:00",
        "timezone": "UTC",
        "audience": f"<@{bot.world.ana.id}> <@{bot.world.bea.id}>",
        "summary_channel": f"<#{north.channel('staffroom')}>",
        "reminder_hours": "4",
        "deadline_hours": "24",
    }
    event = Event(
        kind=EventKind.INVOCATION,
        event_id="setup-checkin",
        tenant=TenantRef(platform="discord", external_id=north.id, name=north.name),
        actor=Actor(user_id=mo.id, display_name="Mo", platform_role=Role.MODERATOR),
        place=Place(channel_id=north.channel("general")),
        invocation=Invocation(command="checkin save", args=values),
    )
    [reply] = await app.dispatcher.handle(event)
    assert "“Weekly pulse” is set" in reply.text, reply.text


def prompt_for(bot: DiscordBot, user_id: str) -> Sent:
    (found,) = [
        s
        for s in bot.fake.sent
        if bot.fake.dm_channels.get(s.channel_id) == user_id and "check-in time!" in s.text
    ]
    return found


async def test_delivered_answered_and_summarised(
    bot: DiscordBot, app: App, clock: ManualClock
) -> None:
    ana, bea, north = bot.world.ana, bot.world.bea, bot.world.north
    for user in (ana, bea):
        await bot.say(user, "!sr help")  # known to Staffroom
    await create_checkin(app, bot)
    await app.scheduler.run_until(clock.now() + timedelta(days=1))  # Tuesday 09:00 UTC
    ana_prompt = prompt_for(bot, ana.id)
    assert prompt_for(bot, bea.id).button("Skip this time")
    assert ana_prompt.button("Answer") and ana_prompt.button("Snooze 1 h")

    answered = await bot.dm(bea, "Tiring but good")
    assert any("your answer to “Weekly pulse” is recorded" in s.text for s in answered)
    (modal,) = await bot.click(ana, ana_prompt, "Answer")
    (question,) = modal.components()
    saved = await bot.submit(ana, modal, {question["custom_id"]: "Planning went well"})
    assert any("recorded" in s.text for s in saved)

    await app.scheduler.run_until(clock.now() + timedelta(days=1))
    staff = north.channel("staffroom")
    (summary,) = [s for s in bot.fake.sent if s.channel_id == staff and "Responses" in s.text]
    assert "Responses: 2 of 2 (100%)" in summary.text
    assert "Planning went well" in summary.text and "Tiring but good" in summary.text
    assert not [s for s in bot.fake.sent if "gentle nudge" in s.text]
