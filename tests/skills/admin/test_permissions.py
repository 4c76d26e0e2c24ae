"""Every command above the member role, whichever skill declares it, refuses anyone below it —
typed or through a button — with a clear answer, and changes nothing."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.core.commands import Command
from bot.core.events import EventKind, Invocation
from bot.core.roles import Role
from bot.core.skills import load_registry
from tests.support.console import Chat
from tests.support.events import RecordingPort, message, text_of
from tests.support.rows import snapshot
from tests.support.samples import sample, typed

PRIVILEGED = [
    cmd for cmd in load_registry().commands(include_hidden=True) if cmd.spec.role > Role.MEMBER
]


def refusal(cmd: Command) -> str:
    who = "admins" if cmd.spec.role is Role.ADMIN else "moderators and admins"
    return f"Only {who} can use `{cmd.name}`. Nothing was changed."


def test_the_admin_commands_are_all_privileged() -> None:
    names = {cmd.name for cmd in PRIVILEGED}
    assert {
        "admin channel",
        "admin moderator add",
        "admin moderator remove",
        "admin config",
        "admin config reset",
        "admin block",
        "admin unblock",
        "admin remove-profile",
        "admin stats",
        "admin audit",
        "admin export",
    } <= names


@pytest.mark.parametrize("cmd", PRIVILEGED, ids=lambda c: c.name)
async def test_a_member_is_refused_and_nothing_changes(chat: Chat, app: App, cmd: Command) -> None:
    await chat("/as bea", "help", "/as ana", "intro set name Ana")
    before = await snapshot(app.store)
    assert refusal(cmd) in await chat(typed(cmd))
    assert refusal(cmd) in await chat(cmd.name)  # refused before any remark on arguments
    assert await snapshot(app.store) == before


@pytest.mark.parametrize("cmd", PRIVILEGED, ids=lambda c: c.name)
async def test_a_button_is_refused_the_same_way(app: App, cmd: Command) -> None:
    port = RecordingPort()
    app.dispatcher.attach("test", port)
    await app.dispatcher.handle(message("help", user="bea"))
    before = await snapshot(app.store)
    args = {p.name: sample(p).strip('"') for p in cmd.spec.params}
    for role in [r for r in Role if r < cmd.spec.role]:
        event = message(
            "",
            role=role,
            kind=EventKind.INVOCATION,
            invocation=Invocation(command=cmd.name, args=args),
        )
        assert refusal(cmd) in text_of(await app.dispatcher.handle(event))
    assert await snapshot(app.store) == before
    assert port.dms == port.posts == []


@pytest.mark.parametrize(
    "cmd", [c for c in PRIVILEGED if c.spec.role is Role.ADMIN], ids=lambda c: c.name
)
async def test_a_moderator_is_refused_admin_commands(chat: Chat, app: App, cmd: Command) -> None:
    await chat("/as bea", "help", "/as mod moderator", "help")
    before = await snapshot(app.store)
    assert refusal(cmd) in await chat(typed(cmd))
    assert await snapshot(app.store) == before
