from __future__ import annotations

from tests.support.console import Chat


async def test_moderators_choose_channels(chat: Chat) -> None:
    refused = await chat("admin channel resources #library")
    assert "Only moderators and admins can use `admin channel`. Nothing was changed." in refused
    out = await chat("/role moderator", "admin channel resources #library")
    assert "Done: resources go to #library." in out
    assert "must be one of" in await chat("admin channel lunch #food")
    assert "should be a channel" in await chat("admin channel resources library")


async def test_admins_grant_and_take_moderator_rights(chat: Chat) -> None:
    await chat("/as bea", "help", "/as root admin")
    assert "@bea is now a moderator." in await chat("admin moderator add @bea")
    assert "@bea is already a moderator." in await chat("admin moderator add @bea")
    assert "Done" in await chat("/as bea", "admin channel summaries #weekly")
    assert "Only admins" in await chat("admin moderator add @cai")
    assert "@bea is no longer a moderator." in await chat("/as root", "admin moderator remove @bea")
    assert "can't change your own role" in await chat("admin moderator remove @root")
    assert "I don't know anyone called @ghost" in await chat("admin moderator add @ghost")
