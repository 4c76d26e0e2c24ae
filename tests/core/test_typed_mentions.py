"""Mentions a member typed are repeated as plain ``@name``; Staffroom's own stay live."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.app import App
from bot.core.mentions import inert_mentions
from bot.core.replies import Reply
from bot.core.roles import Role
from bot.skills.reminders.models import Reminder
from bot.skills.resources.models import Resource
from tests.support.events import RecordingPort, message
from tests.support.rows import snapshot


def test_inert_mentions_names_who_was_meant() -> None:
    names = {"U1": "Ana", "123": "Bo"}
    text = "hi <@U1>, <@!123>, <@U9|carl>, <@U404> and <@&55>"
    assert inert_mentions(text, names) == "hi @Ana, @Bo, @carl, @someone and @role"


async def _say(app: App, text: str, user: str = "ana", role: Role = Role.MEMBER) -> list[Reply]:
    return await app.dispatcher.handle(message(text, user=user, role=role))


async def test_typed_mentions_are_stored_and_posted_as_plain_names(app: App) -> None:
    port = RecordingPort()
    app.dispatcher.attach("test", port)
    await _say(app, "help", user="U999")  # Bo, a member the others will try to ping
    await _say(app, "admin channel resources #library", role=Role.ADMIN)
    await _say(app, "resource share https://example.org/f \"Fractions\" thanks <@U999>!")
    await _say(app, "intro set interests chess with <@U999>")
    await _say(app, "remind me in 2h ping <@U999> and <@U404>")
    await _say(app, "admin config welcome_text Welcome! Ask <@U999>.", role=Role.ADMIN)

    async with app.store.transaction() as session:
        description = await session.scalar(select(Resource.description))
        reminder = await session.scalar(select(Reminder.text))
    assert description == "thanks @U999!"
    assert reminder == "ping @U999 and @someone"
    stored = json.dumps(await snapshot(app.store))
    assert "chess with @u999" in stored and "Ask @U999." in stored
    assert "<@U999>" not in stored and "<@u999>" not in stored

    [(_, channel, post)] = port.posts
    assert channel == "library"
    assert "<@ana> shared https://example.org/f" in post.text  # the sharer, named by Staffroom
    assert "<@U999>" not in post.text
