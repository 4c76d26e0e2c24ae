"""Arguments that pass each parameter's own checks, to call any declared command in tests."""

from __future__ import annotations

from bot.core.commands import Command, Param, ParamKind


def sample(param: Param, *, member: str = "@bea") -> str:
    """A value the parser accepts for ``param`` (``member`` for member mentions)."""
    if param.kind is ParamKind.CHOICE:
        return param.choices[0]
    if param.kind is ParamKind.INT:
        return str(param.minimum if param.minimum is not None else 1)
    return {
        ParamKind.MENTION: member,
        ParamKind.CHANNEL: "#general",
        ParamKind.URL: "https://example.org/a",
        ParamKind.QUOTED: '"a title"',
        ParamKind.TEXT: "some words",
    }.get(param.kind, "word")


def typed(cmd: Command, *, member: str = "@bea", optional: bool = False) -> str:
    """The command as a line of text, with its required (or all) parameters filled in."""
    params = [p for p in cmd.spec.params if p.required or optional]
    return " ".join([cmd.name, *(sample(p, member=member) for p in params)])
