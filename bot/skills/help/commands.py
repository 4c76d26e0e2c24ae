"""``help``: generated from the command declarations and filtered by the actor's role."""

from __future__ import annotations

from functools import lru_cache

from bot.core.commands import Command, Param, ParamKind, Registry, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role


@command(
    "help",
    summary="List what I can do, or explain one command.",
    params=[Param(name="command", kind=ParamKind.TEXT, required=False, max_length=100)],
    examples=("help", "help people find", "help intro"),
)
async def help_command(ctx: Context, args: Args) -> Reply:
    topic = " ".join((args.text("command") or "").lower().split())
    if not topic:
        return _overview(ctx.registry, ctx.role)
    found = ctx.registry.get(topic)
    if found is not None and not found.spec.hidden:
        if found.spec.role > ctx.role:
            raise UserFacingError(f"`{found.name}` is for {_role_plural(found.spec.role)} only.")
        return _details(found, ctx.registry.group(topic, ctx.role))
    group = ctx.registry.group(topic, ctx.role)
    if group:
        lines = [f"`{cmd.spec.usage()}` — {cmd.spec.summary}" for cmd in group]
        return Reply(title=f"{topic} commands", text="\n".join(lines), private=True)
    suggestions = ctx.registry.suggest(topic.split(), ctx.role)
    hint = f" Did you mean {' or '.join(f'`{s}`' for s in suggestions)}?" if suggestions else ""
    raise UserFacingError(f"I don't have a command called `{topic[:40]}`.{hint}")


HEADINGS = {"checkins": "Check-ins"}
"""Skill names whose capitalised form is not how people write them."""


@lru_cache(maxsize=64)
def _overview(registry: Registry, role: Role) -> Reply:
    """The same for every call with one registry (fixed at start) and role: built once."""
    lines: list[str] = []
    for skill, commands in registry.skills().items():
        visible = [c for c in commands if not c.spec.hidden and c.spec.role <= role]
        if not visible:
            continue
        lines.append("\n" + HEADINGS.get(skill, skill.replace("_", " ").capitalize()))
        for cmd in visible:
            badge = f" ({cmd.spec.role.label})" if cmd.spec.role > Role.MEMBER else ""
            shown = " ".join([cmd.name, *(p.placeholder for p in cmd.spec.params if p.required)])
            lines.append(f"  `{shown}` — {cmd.spec.summary}{badge}")
    lines.append("\nType `help <command>` for details, for example `help people find`.")
    return Reply(
        title=f"What I can do for you ({role.label})",
        text="\n".join(lines).strip("\n"),
        private=True,
    )


def _details(cmd: Command, related: list[Command]) -> Reply:
    spec = cmd.spec
    lines = [spec.summary]
    if spec.details:
        lines.append(spec.details)
    lines.append(f"Usage: `{spec.usage()}`")
    described = [p for p in spec.params if p.help or p.choices]
    for param in described:
        extra = param.help or ", ".join(param.choices)
        lines.append(f"  {param.name}: {extra}")
    for flt in spec.filters:
        lines.append(f"  {flt.key}: {flt.help}")
    if spec.tags:
        lines.append("  #tag: any number of tags")
    if spec.examples:
        lines.append("Examples:")
        lines += [f"  `{example}`" for example in spec.examples]
    others = [c for c in related if c.name != cmd.name]
    if others:
        lines.append("Related: " + ", ".join(f"`{c.name}`" for c in others))
    if spec.role > Role.MEMBER:
        lines.append(f"For {_role_plural(spec.role)}.")
    return Reply(title=f"help: {cmd.name}", text="\n".join(lines), private=True)


def _role_plural(role: Role) -> str:
    return "admins" if role is Role.ADMIN else "moderators and admins"
