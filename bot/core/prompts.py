"""Open prompts: questions a skill asked a member and is waiting to hear back on (a check-in
today; later a rhythm prompt, a question, a feedback form).

While one waits, the member's free text in a DM is its answer — even when it starts with a
command word ("Help with report cards was what I needed"). Only a DM that is exactly a
command (every word read as an argument, none swallowed as free text) still runs as one; an
answer that looked like a command says so and offers to run it as one instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.commands import Command, ParamKind
from bot.core.events import Invocation
from bot.core.parsing import Args, ParsedCommand
from bot.core.replies import Button, Reply

if TYPE_CHECKING:
    from bot.core.context import Context


@dataclass(frozen=True, kw_only=True, slots=True)
class OpenPrompt:
    """One question waiting for this member's answer."""

    asked_at: datetime
    """The newest prompt gets the answer."""
    about: str
    """What it asked, for the member: ``the check-in “Weekly pulse”``."""
    answer: Callable[[str], Awaitable[Reply]]
    """Record ``text`` as the answer (in the event's transaction); returns the thanks."""
    domain: str = ""
    """The skill that asked (its words); ``newest_prompt`` fills it in."""


PromptFinder = Callable[["Context"], Awaitable["OpenPrompt | None"]]
"""A skill's newest open prompt for the context's member, if any (declared in its manifest)."""


async def newest_prompt(ctx: Context) -> OpenPrompt | None:
    found: list[OpenPrompt] = []
    for skill, finder in ctx.registry.prompts:
        ctx.domain = skill
        prompt = await finder(ctx)
        if prompt is not None:
            found.append(replace(prompt, domain=skill))
    return max(found, key=lambda p: p.asked_at, default=None)


def is_exactly_a_command(parsed: ParsedCommand) -> bool:
    """No free-text parameter took any words: ``checkin skip`` is, ``help with …`` is not."""
    return not any(
        p.kind is ParamKind.TEXT and parsed.args.has(p.name) for p in parsed.command.spec.params
    )


def taken_as_answer(reply: Reply, prompt: OpenPrompt, command: ParsedCommand | None) -> Reply:
    """The skill's thanks, saying the text was taken as the answer, with a button that runs
    it as the command it looked like."""
    if command is None:
        note = f"(I took that as your answer to {prompt.about}.)"
        return replace(reply, text=f"{reply.text}\n{note}")
    name = command.command.name
    note = (
        f"(I took that as your answer to {prompt.about}, not as the command `{name}`; "
        "the button runs it as a command too.)"
    )
    run = Button(
        label=f"Run {name}",
        action=Invocation(command=name, args=_raw(command.command, command.args)),
    )
    return replace(reply, text=f"{reply.text}\n{note}", buttons=(*reply.buttons, run))


def _raw(command: Command, args: Args) -> dict[str, str]:
    """The arguments as a button carries them (``bind_mapping`` reads them back)."""
    raw = {name: str(value) for name, value in args.values.items()}
    raw |= {key: values[-1] for key, values in args.filters.items()}
    if args.tags and command.spec.tags:
        raw["tags"] = " ".join(args.tags)
    return raw
