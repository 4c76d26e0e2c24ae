"""Both sides pressing Accept at the same moment (separate transactions on PostgreSQL)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import App
from bot.community.models import MentorPair
from bot.core.events import EventKind, Invocation
from bot.skills.mentoring.models import MentorProposal
from tests.skills.mentoring.helpers import mentee, mentor
from tests.support.console import Chat
from tests.support.events import message


async def test_both_accepting_at_once_makes_one_pair(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "pair run")
    await asyncio.gather(
        *(
            app.dispatcher.handle(
                message(
                    "",
                    user=user,
                    tenant="demo",
                    platform="console",
                    kind=EventKind.INVOCATION,
                    invocation=Invocation(command="mentor accept", args={"proposal": "1"}),
                )
            )
            for user in ("ana", "bo")
        )
    )
    assert "\n".join(chat.session.take_output()).count("Meet your mentoring partner") == 1
    async with app.store.transaction() as session:
        (proposal,) = await session.scalars(select(MentorProposal))
        assert proposal.status == "accepted"
        assert await session.scalar(select(func.count()).select_from(MentorPair)) == 1
