from __future__ import annotations

from bot.app import App
from tests.support.console import Chat


async def test_remind_me_later_and_tomorrow(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone New York")
    out = await chat("remind me in 2h call the parents")
    # 12:00 UTC is 07:00 in New York.
    assert "Reminder #1: I'll remind you on Mon 02 Mar 09:00 (America/New_York)" in out
    out = await chat("remind me tomorrow 8:00 bring the lab goggles")
    assert "Reminder #2: I'll remind you on Tue 03 Mar 08:00" in out
    out = await chat("remind list")
    assert "#1 next Mon 02 Mar 09:00 (2026-03-02 09:00): call the parents" in out
    out = await chat("/clock +2h")
    assert "── DM from Staffroom ──\n⏰ Reminder: call the parents" in out
    out = await chat("/clock +1d")
    assert "⏰ Reminder: bring the lab goggles" in out
    assert "You have no reminders" in await chat("remind list")


async def test_channel_reminders_repeat_and_need_a_moderator(chat: Chat, app: App) -> None:
    out = await chat("/as ana", "remind #staff every friday 15:00 submit attendance")
    assert "Only moderators and admins can set reminders for a channel" in out
    out = await chat("/as mo moderator", "remind #staff every friday 15:00 submit attendance")
    assert "I'll remind #staff on Fri 06 Mar 15:00 (UTC) (every friday 15:00)" in out
    out = await chat("/clock +14d")
    assert out.count("── in #staff ──\n⏰ Reminder: submit attendance") == 2
    out = await chat("/as ana", "remind cancel 1")
    assert "You have no reminder #1" in out
    out = await chat("/as mo", "remind cancel 1", "/clock +7d")
    assert "Reminder #1 is cancelled" in out and "⏰" not in out


async def test_bad_times_are_answered_clearly(chat: Chat) -> None:
    out = await chat("/as ana", "remind me whenever you like")
    assert "I couldn't find a time at the start" in out and "Try `every monday 09:00`" in out
    out = await chat("remind me 25:00 lunch")
    assert "I couldn't find a time" in out
    out = await chat("remind me tomorrow 25:00 lunch")
    assert "25:00 is not a time of day" in out
    out = await chat("remind me 2026-01-01 09:00 old news")
    assert "That time has already passed" in out
    out = await chat("remind me in 2h")
    assert "Tell me when, then what" in out or "couldn't find a time" in out
    out = await chat("remind them in 2h nope")
    assert "Say who to remind: `me` or a #channel" in out


async def test_reminders_are_exported_and_erased(chat: Chat) -> None:
    await chat("/as ana", "remind me every monday 9:00 plan the week")
    out = await chat("privacy show")
    assert "plan the week" in out
    out = await chat("privacy forget")
    assert "reminders" in out
    assert "Staffroom has forgotten you" in await chat("1")
    assert "⏰" not in await chat("/clock +7d")
