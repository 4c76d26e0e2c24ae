"""An event through the real discord.py client: announced with Discord timestamps (each
reader's app shows them in their own zone) and Going / Maybe / Not going buttons that record
the answer; Add to calendar sends the .ics file."""

from __future__ import annotations

from icalendar import Calendar

from tests.support.discord_bot import DiscordBot

# Thursday 2026-03-05 16:00 in London is 16:00 UTC: 1772726400.
WEBINAR = '!sr event create "Formative assessment webinar" 2026-03-05 16:00 Europe/London 60m'


async def test_announcement_shows_discord_timestamps_and_buttons_record_answers(
    bot: DiscordBot,
) -> None:
    bea, mo = bot.world.bea, bot.world.mo
    (card,) = await bot.say(mo, WEBINAR)
    assert card.embeds[0]["title"] == "Formative assessment webinar"
    assert "🗓 <t:1772726400:F> · 60 min" in card.embeds[0]["description"]
    assert "Europe/London" not in card.embeds[0]["description"]
    assert [card.button(label)["label"] for label in ("Going", "Maybe", "Not going")]

    await bot.say(bea, "!sr intro set timezone New York")
    (answer,) = await bot.click(bea, card, "Going")
    assert answer.ephemeral
    assert "You're going to Formative assessment webinar on <t:1772726400:F>." in answer.text
    (listed,) = await bot.say(bea, "!sr event list")
    assert "(1 going) · you: going" in listed.text

    (calendar_file,) = await bot.click(bea, card, "Add to calendar")
    [(name, content)] = calendar_file.files
    assert name == "event-1.ics"
    [item] = Calendar.from_ical(content).walk("VEVENT")
    assert item.decoded("dtstart").isoformat() == "2026-03-05T16:00:00+00:00"
