from __future__ import annotations

from dataclasses import replace

from bot.app import App
from bot.core.events import Invocation, Place
from bot.core.roles import Role
from tests.skills.resources.test_share import resource_rows
from tests.support.console import Chat
from tests.support.events import RecordingPort, message


async def test_a_link_in_the_resources_channel_gets_a_private_offer(chat: Chat, app: App) -> None:
    await chat("/as mod moderator", "admin channel resources #library", "/as ana", "/in #library")
    out = await chat("/say Look at this: https://192.0.2.7/pizza.")
    assert "Nice find! Add this to the resource library?" in out
    assert "[1] Add to the library" in out
    form = await chat("1")
    assert "── Share a resource ──" in form
    assert chat.session.form is not None
    assert chat.session.form.values["url"] == "https://192.0.2.7/pizza"
    out = await chat("", "Pizza fractions", "1", "math", "3-5", "fractions", "")
    assert "Thanks! #1 “Pizza fractions” is in the library." in out
    assert "── in #library ──" not in out  # it was shared from the channel itself
    [row] = await resource_rows(app)
    assert (row.url, row.kind, row.subject) == ("https://192.0.2.7/pizza", "lesson-plan", "math")


async def test_no_offer_elsewhere_or_for_links_already_shared(chat: Chat) -> None:
    await chat("/as mod moderator", "admin channel resources #library", "/as ana")
    assert await chat("/say https://192.0.2.7/pizza") == ""  # in #general
    await chat('resource share https://192.0.2.7/pizza "Pizza"', "/in #library")
    assert await chat("/say https://192.0.2.7/pizza/") == ""
    assert await chat("/say no links here") == ""
    out = await chat("/say https://192.0.2.7/pizza and https://192.0.2.8/cake")
    assert "[1] Add to the library" in out
    many = await chat("/say https://192.0.2.9/a https://192.0.2.10/b")
    assert "Nice finds!" in many
    assert "Add 192.0.2.9" in many
    assert "Add 192.0.2.10" in many


async def test_the_offer_is_private_to_the_poster(app: App) -> None:
    port = RecordingPort()
    app.dispatcher.attach("test", port)
    await app.dispatcher.handle(
        message("admin channel resources #library", user="mod", role=Role.MODERATOR)
    )
    posted = replace(
        message("https://192.0.2.7/x", addressed=False), place=Place(channel_id="library")
    )
    [reply] = await app.dispatcher.handle(posted)
    assert reply.private
    assert reply.buttons[0].action == Invocation(
        command="resource share form", args={"url": "https://192.0.2.7/x"}
    )
    assert port.posts == []
