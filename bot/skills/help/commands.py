"""``help``: generated from the command declarations and filtered by the actor's role."""

from __future__ import annotations

from bot.core.commands import Command, Param, ParamKind, command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.i18n import N_, Translator
from bot.core.parsing import Args
from bot.core.replies import Reply
from bot.core.roles import Role


@command(
    "help",
    summary=N_("List what I can do, or explain one command."),
    params=[
        Param(
            name="command",
            kind=ParamKind.TEXT,
            required=False,
            max_length=100,
            help=N_("A command or a group of commands, like `people find` or `intro`."),
        )
    ],
    examples=("help", "help people find", "help intro"),
)
async def help_command(ctx: Context, args: Args) -> Reply:
    topic = " ".join((args.text("command") or "").lower().split())
    if not topic:
        return _overview(ctx)
    found = ctx.registry.get(topic)
    if found is not None and not found.spec.hidden:
        if found.spec.role > ctx.role:
            raise UserFacingError(
                ctx.gettext(
                    "`{command}` is for {role} only.",
                    command=found.name,
                    role=_role_plural(ctx, found.spec.role),
                )
            )
        return _details(ctx, found, ctx.registry.group(topic, ctx.role))
    group = ctx.registry.group(topic, ctx.role)
    if group:
        lines = [
            f"`{cmd.spec.usage()}` — {_words(ctx, cmd).gettext(cmd.spec.summary)}" for cmd in group
        ]
        return Reply(
            title=ctx.gettext("{topic} commands", topic=topic), text="\n".join(lines), private=True
        )
    suggestions = ctx.registry.suggest(topic.split(), ctx.role)
    shown = topic[:40].replace("`", "'")
    if suggestions:
        raise UserFacingError(
            ctx.gettext(
                "I don't have a command called `{topic}`. Did you mean {suggestions}?",
                topic=shown,
                suggestions=ctx.translator.or_list([f"`{s}`" for s in suggestions]),
            )
        )
    raise UserFacingError(ctx.gettext("I don't have a command called `{topic}`.", topic=shown))


HEADINGS = {
    "checkins": N_("Check-ins"),
    "introductions": N_("Introductions"),
    "resources": N_("Resources"),
    "mentoring": N_("Mentoring"),
    "reminders": N_("Reminders"),
    "admin": N_("Admin"),
    "privacy": N_("Privacy"),
    "help": N_("Help"),
    "me": N_("Preferences"),
}
"""Headings of the built-in skills; another skill's heading is its name, capitalised."""


def _words(ctx: Context, cmd: Command) -> Translator:
    """The reader's language in the words of the skill that declared ``cmd``."""
    return ctx.translator_for(ctx.language, domain=cmd.skill)


def _role_label(ctx: Context, role: Role) -> str:
    labels = {Role.MEMBER: N_("member"), Role.MODERATOR: N_("moderator"), Role.ADMIN: N_("admin")}
    return ctx.gettext(labels[role])


def _overview(ctx: Context) -> Reply:
    lines: list[str] = []
    for skill, commands in ctx.registry.skills().items():
        visible = [c for c in commands if not c.spec.hidden and c.spec.role <= ctx.role]
        if not visible:
            continue
        heading = HEADINGS.get(skill)
        lines.append(
            "\n" + (ctx.gettext(heading) if heading else skill.replace("_", " ").capitalize())
        )
        for cmd in visible:
            badge = f" ({_role_label(ctx, cmd.spec.role)})" if cmd.spec.role > Role.MEMBER else ""
            shown = " ".join([cmd.name, *(p.placeholder for p in cmd.spec.params if p.required)])
            summary = _words(ctx, cmd).gettext(cmd.spec.summary)
            lines.append(f"  `{shown}` — {summary}{badge}")
    lines.append(
        "\n" + ctx.gettext("Type `help <command>` for details, for example `help people find`.")
    )
    return Reply(
        title=ctx.gettext("What I can do for you ({role})", role=_role_label(ctx, ctx.role)),
        text="\n".join(lines).strip("\n"),
        private=True,
    )


def _details(ctx: Context, cmd: Command, related: list[Command]) -> Reply:
    spec = cmd.spec
    words = _words(ctx, cmd)
    lines = [words.gettext(spec.summary)]
    if spec.details:
        lines.append(words.gettext(spec.details))
    lines.append(ctx.gettext("Usage: `{usage}`", usage=spec.usage()))
    described = [p for p in spec.params if p.help or p.choices]
    for param in described:
        extra = words.gettext(param.help) if param.help else ", ".join(param.choices)
        lines.append(f"  {param.name}: {extra}")
    for flt in spec.filters:
        lines.append(f"  {flt.key}: {words.gettext(flt.help) if flt.help else ''}")
    if spec.tags:
        lines.append("  #tag: " + ctx.gettext("any number of tags"))
    if spec.examples:
        lines.append(ctx.gettext("Examples:"))
        lines += [f"  `{example}`" for example in spec.examples]
    others = [c for c in related if c.name != cmd.name]
    if others:
        lines.append(
            ctx.gettext("Related: {commands}", commands=", ".join(f"`{c.name}`" for c in others))
        )
    if spec.role > Role.MEMBER:
        lines.append(ctx.gettext("For {role}.", role=_role_plural(ctx, spec.role)))
    return Reply(
        title=ctx.gettext("help: {command}", command=cmd.name), text="\n".join(lines), private=True
    )


def _role_plural(ctx: Context, role: Role) -> str:
    return ctx.gettext("admins") if role is Role.ADMIN else ctx.gettext("moderators and admins")
