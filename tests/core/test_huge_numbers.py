"""A number too large for the store, typed where a command takes an id, is a friendly refusal
for every such command, never an error (found by feeding the console hostile input)."""

from __future__ import annotations

import pytest

from bot.core.commands import Param, ParamKind
from bot.core.roles import Role
from bot.core.skills import load_registry
from tests.support.console import Chat

HUGE = "99999999999999999999"


def filler(param: Param) -> str:
    if param.kind is ParamKind.INT:
        return str(param.minimum or 1)
    if param.kind is ParamKind.CHOICE:
        return param.choices[0]
    if param.kind is ParamKind.MENTION:
        return "me"
    if param.kind is ParamKind.CHANNEL:
        return "#general"
    return "x"


def commands_taking_an_id() -> list[str]:
    lines = []
    for command in load_registry().commands(include_hidden=True):
        params = command.spec.params
        if params and params[0].kind is ParamKind.INT and params[0].maximum is None:
            rest = [filler(p) for p in params[1:] if p.required]
            lines.append(" ".join([command.name, HUGE, *rest]))
    return lines


@pytest.mark.parametrize("line", commands_taking_an_id())
async def test_a_huge_id_is_refused_politely(chat: Chat, line: str) -> None:
    await chat(f"/role {Role.ADMIN.label}")
    answer = await chat(line)
    assert "far too large: nothing here has a number that big" in answer
    assert "error id" not in answer
