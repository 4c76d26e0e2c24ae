from __future__ import annotations

from tests.support.console import Chat


async def test_meta_commands(chat: Chat) -> None:
    assert "You are now @bea (moderator)." in await chat("/as bea moderator")
    assert "@bea now has the admin role here." in await chat("/role admin")
    assert "You are in #staffroom." in await chat("/in #staffroom")
    assert chat.session.prompt == "bea@demo #staffroom> "
    assert "direct message" in await chat("/dm")
    assert chat.session.prompt == "bea@demo DM> "
    assert "community 'north'" in await chat("/tenant north")
    out = await chat("/whoami")
    assert "You are @bea (admin) in 'north', in a DM with Staffroom." in out
    assert "Unknown console command /teleport" in await chat("/teleport")
    assert "/as NAME" in await chat("/help")
    assert "There's no form to cancel." in await chat("/cancel")


async def test_bad_meta_arguments(chat: Chat) -> None:
    assert "Usage: /as NAME" in await chat("/as")
    assert "Names are one word" in await chat("/as bad*name")
    assert "Unknown role 'king'" in await chat("/as ana king")
    assert "Usage: /in #channel" in await chat("/in #bad channel!")
    assert "Usage: /say TEXT" in await chat("/say")
    assert "Usage: /tenant NAME" in await chat("/tenant")


async def test_clock_moves_forward_only(chat: Chat) -> None:
    assert "It is now Monday 2026-03-02 12:00 UTC." in await chat("/clock")
    assert "Monday 2026-03-02 14:00" in await chat("/clock +2h")
    assert "Thursday 2026-03-05 14:00" in await chat("/clock +3d")
    assert "Thursday 2026-03-12 14:00" in await chat("/clock +1w")
    assert "Friday 2026-03-13 09:00" in await chat("/clock 2026-03-13 09:00")
    assert "only moves forward" in await chat("/clock 2020-01-01 00:00")
    assert "can't read 'soon'" in await chat("/clock soon")


async def test_numbered_options(chat: Chat) -> None:
    out = await chat("whois me")
    assert "[1] Introduce myself" in out
    assert "There's no option 7 (you have 1–1)." in await chat("7")
    assert "── Introduce yourself ──" in await chat("1")


async def test_unaddressed_messages_get_no_reply(chat: Chat) -> None:
    assert await chat("/say hello everyone") == ""


async def test_required_form_fields_are_insisted_on(chat: Chat) -> None:
    await chat("intro")
    assert "Display name is needed." in await chat("-")
