from __future__ import annotations

from bot.app import App
from tests.support.console import Chat


async def test_remind_me_later_and_tomorrow(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone New York")
    out = await chat("remind me in 2h call the parents")
    # 12:00 UTC is 07:00 in New York.
    assert (
        "Reminder #1: I'll remind you once, on Mon 02 Mar 2026 at 09:00 — next Mon 02 Mar 09:00 "
        "(America/New_York)"
    ) in out
    out = await chat("remind me tomorrow 8:00 bring the lab goggles")
    assert "Reminder #2: I'll remind you once, on Tue 03 Mar 2026 at 08:00" in out
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
    assert (
        "I'll remind #staff every Friday at 15:00 — next Fri 06 Mar 15:00, Fri 13 Mar 15:00, "
        "Fri 20 Mar 15:00 (UTC)"
    ) in out
    out = await chat("/clock +14d")
    assert out.count("── in #staff ──\n⏰ Reminder: submit attendance") == 2
    out = await chat("/as ana", "remind cancel 1")
    assert "You have no reminder #1" in out
    out = await chat("/as mo", "remind cancel 1", "/clock +7d")
    assert "Reminder #1 is cancelled" in out and "⏰" not in out


async def test_bad_times_are_answered_clearly(chat: Chat) -> None:
    out = await chat("/as ana", "remind me whenever you like")
    assert "I couldn't find a time at the start" in out and "Try `mondays 9:00`" in out
    out = await chat("remind me 25:00 lunch")
    assert "25:00 is not a time of day" in out
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


async def test_a_repeating_phrase_repeats_and_says_its_next_three_times(chat: Chat) -> None:
    await chat("/as ana", "intro set timezone Lisbon")
    out = await chat("remind me mondays 9:00 plan the week")
    assert (
        "I'll remind you every Monday at 09:00 — next Mon 09 Mar 09:00, Mon 16 Mar 09:00, "
        "Mon 23 Mar 09:00 (Europe/Lisbon)"
    ) in out
    out = await chat("remind me every other tuesday 16:00 lab inventory")
    assert "every other Tuesday at 16:00 — next Tue 03 Mar 16:00, Tue 17 Mar 16:00" in out
    out = await chat("remind me on the 15th of every month report cards")
    assert "on the 15th of every month at 09:00 — next Sun 15 Mar 09:00" in out
    out = await chat("remind me noon lunch duty")
    assert "once, on Tue 03 Mar 2026 at 12:00" in out  # noon has just passed
    out = await chat("remind me dec 24 wrap the presents")
    assert "once, on Thu 24 Dec 2026 at 09:00" in out
    out = await chat("/clock +14d")
    assert out.count("⏰ Reminder: plan the week") == 2
    assert out.count("⏰ Reminder: lab inventory") == 1
    assert "(every monday 09:00)" in await chat("remind list")
