"""Slash (application) commands generated from the command registry.

Each command's first word is a top-level slash command and the rest its subcommand
(``resource share`` → ``/resource share``), so slash commands read like typed ones. Discord
cannot run a command that has subcommands, so where a one-word command also heads a group
(``intro`` and ``intro set``) the others become top-level commands of their own
(``/intro``, ``/intro-set``). Parameters become typed options (a member is a user option, a
channel a channel option, a number an integer option, a choice a string with choices), filters
and ``#tags`` become string options. Hidden commands (reached only by buttons and forms) are
left out.

No command is ever dropped to fit Discord's limits: a group of more than 25 subcommands is
split, in order, into ``/name``, ``/name-2``…, and a tree that cannot fit at all (more than
100 top-level commands, more than 25 options to one command) fails loudly at start-up.
Commands only moderators and admins can use are registered with Discord's default permission
Manage Server, so members don't see them in their list; a group that mixes members' and
moderators' commands stays visible (the dispatcher checks each role anyway).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.commands import Command, Param, ParamKind, Registry
from bot.core.events import Invocation
from bot.core.i18n import CORE_DOMAIN, N_, Catalogs
from bot.core.roles import Role

# Discord's option types and limits.
SUB_COMMAND = 1
STRING = 3
INTEGER = 4
USER = 6
CHANNEL = 7
CHAT_INPUT = 1
GUILD_CONTEXT = 0
GUILD_INSTALL = 0
_DESCRIPTION_LIMIT = 100
_STRING_LIMIT = 6000
_MAX_OPTIONS = 25
_MAX_CHOICES = 25
_MAX_COMMANDS = 100
MANAGE_GUILD = 1 << 5
"""The Manage Server permission: what ``default_member_permissions`` asks of moderators'
commands (a server can grant them to a role under Server Settings → Integrations)."""

Path = tuple[str, ...]

DISCORD_LOCALES = {"es": ("es-ES", "es-419"), "pt": ("pt-BR",), "fr": ("fr",)}
"""Discord's locales for each language we speak (Discord has no Portugal Portuguese)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class _Words:
    """Descriptions in every language: English, and Discord's ``description_localizations``."""

    catalogs: Catalogs

    def describe(self, text: str, domain: str) -> dict[str, Any]:
        english = _fit(text)
        localised: dict[str, str] = {}
        for language, locales in DISCORD_LOCALES.items():
            translated = _fit(self.catalogs.translator(domain, language).gettext(text))
            if translated != english:
                localised |= {locale: translated for locale in locales}
        described: dict[str, Any] = {"description": english}
        if localised:
            described["description_localizations"] = localised
        return described


@dataclass(frozen=True, kw_only=True, slots=True)
class SlashCommands:
    """The command tree to register with Discord, and how to read an invocation back."""

    payload: list[dict[str, Any]]
    commands: Mapping[Path, str]
    """Slash path (top-level name, subcommand name…) → Staffroom command name."""

    @classmethod
    def from_registry(cls, registry: Registry, catalogs: Catalogs | None = None) -> SlashCommands:
        """Names stay English; descriptions carry a localisation per language we speak."""
        words = _Words(catalogs=catalogs or Catalogs(registry.domains))
        visible = registry.commands(include_hidden=False)
        heads: dict[str, list[Command]] = {}
        for cmd in visible:
            heads.setdefault(cmd.name.split()[0], []).append(cmd)
        payload: list[dict[str, Any]] = []
        paths: dict[Path, str] = {}
        for head, members in heads.items():
            bare = [cmd for cmd in members if cmd.name == head]
            if len(members) == 1 and bare:
                payload.append(_top_level(head, bare[0], words))
                paths[(head,)] = head
            elif bare:
                for cmd in members:
                    name = "-".join(cmd.name.split())
                    payload.append(_top_level(name, cmd, words))
                    paths[(name,)] = cmd.name
            else:
                for number, start in enumerate(range(0, len(members), _MAX_OPTIONS), start=1):
                    name = head if number == 1 else f"{head}-{number}"
                    chunk = members[start : start + _MAX_OPTIONS]
                    payload.append(_group(name, chunk, words))
                    for cmd in chunk:
                        paths[(name, _sub_name(cmd))] = cmd.name
        if len(payload) > _MAX_COMMANDS:
            raise ValueError(
                f"{len(payload)} slash commands: Discord allows {_MAX_COMMANDS}; group the "
                "commands under fewer first words."
            )
        return cls(payload=payload, commands=paths)

    def tree_hash(self) -> str:
        """A fingerprint of the tree: sync again only when it changes."""
        canonical = json.dumps(self.payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def invocation(self, data: Mapping[str, Any]) -> Invocation | None:
        """The invocation an application command's ``data`` calls; None if it is not ours."""
        path: list[str] = [str(data.get("name", ""))]
        options: list[Mapping[str, Any]] = list(data.get("options") or ())
        while len(options) == 1 and options[0].get("type") == SUB_COMMAND:
            path.append(str(options[0].get("name", "")))
            options = list(options[0].get("options") or ())
        command = self.commands.get(tuple(path))
        if command is None:
            return None
        return Invocation(command=command, args={str(o["name"]): _value(o) for o in options})


def _top_level(name: str, cmd: Command, words: _Words) -> dict[str, Any]:
    return {
        "type": CHAT_INPUT,
        **_option_command(name, cmd, words),
        **_visibility([cmd]),
        "contexts": [GUILD_CONTEXT],
        "integration_types": [GUILD_INSTALL],
    }


def _group(name: str, members: list[Command], words: _Words) -> dict[str, Any]:
    subcommands = [
        {"type": SUB_COMMAND, **_option_command(_sub_name(c), c, words)} for c in members
    ]
    names = ", ".join(str(s["name"]) for s in subcommands)
    return {
        "type": CHAT_INPUT,
        "name": name,
        "description": _fit(f"{name.capitalize()}: {names}"),
        "options": subcommands,
        **_visibility(members),
        "contexts": [GUILD_CONTEXT],
        "integration_types": [GUILD_INSTALL],
    }


def _sub_name(cmd: Command) -> str:
    return "-".join(cmd.name.split()[1:])


def _visibility(commands: list[Command]) -> dict[str, Any]:
    """Manage Server by default when only moderators and admins can use every command."""
    if all(cmd.spec.role >= Role.MODERATOR for cmd in commands):
        return {"default_member_permissions": str(MANAGE_GUILD)}
    return {}


def _option_command(name: str, cmd: Command, words: _Words) -> dict[str, Any]:
    spec = cmd.spec
    options = [_param_option(p, cmd.skill, words) for p in spec.params]
    taken = {p.name for p in spec.params}
    options += [
        {
            "type": STRING,
            "name": f.key,
            **(words.describe(f.help, cmd.skill) if f.help else {"description": _fit(f.key)}),
            "required": False,
        }
        for f in spec.filters
        if f.key not in taken
    ]
    if spec.tags and "tags" not in taken:
        options.append(
            {
                "type": STRING,
                "name": "tags",
                **words.describe(N_("Tags, separated by spaces or commas"), CORE_DOMAIN),
                "required": False,
            }
        )
    # Discord wants the required options first.
    options.sort(key=lambda o: not o["required"])
    if len(options) > _MAX_OPTIONS:
        raise ValueError(
            f"Command {cmd.name!r} has {len(options)} options: Discord allows {_MAX_OPTIONS}."
        )
    return {"name": name, **words.describe(spec.summary, cmd.skill), "options": options}


def _param_option(param: Param, domain: str, words: _Words) -> dict[str, Any]:
    described = (
        words.describe(param.help, domain)
        if param.help
        else words.describe(_default_help(param), CORE_DOMAIN)
    )
    option: dict[str, Any] = {"name": param.name, **described, "required": param.required}
    if param.kind is ParamKind.MENTION:
        option["type"] = USER
    elif param.kind is ParamKind.CHANNEL:
        option["type"] = CHANNEL
    elif param.kind is ParamKind.INT:
        option["type"] = INTEGER
        if param.minimum is not None:
            option["min_value"] = param.minimum
        if param.maximum is not None:
            option["max_value"] = param.maximum
    else:
        option["type"] = STRING
        option["max_length"] = max(1, min(param.max_length, _STRING_LIMIT))
        # More choices than Discord lists stay a free string; the parser checks the word.
        if param.kind is ParamKind.CHOICE and len(param.choices) <= _MAX_CHOICES:
            option["choices"] = [{"name": c, "value": c} for c in param.choices]
    return option


def _default_help(param: Param) -> str:
    return {
        ParamKind.MENTION: N_("A member"),
        ParamKind.CHANNEL: N_("A channel"),
        ParamKind.URL: N_("A link (http:// or https://)"),
        ParamKind.INT: N_("A number"),
    }.get(param.kind, param.name.replace("_", " ").capitalize())


def _value(option: Mapping[str, Any]) -> str:
    """An option's value as the text a typed command would carry."""
    value = option.get("value")
    kind = option.get("type")
    if kind == USER:
        return f"<@{value}>"
    if kind == CHANNEL:
        return f"<#{value}>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fit(text: str) -> str:
    text = " ".join(text.split()) or "—"
    text = text[0].upper() + text[1:]
    return text if len(text) <= _DESCRIPTION_LIMIT else text[: _DESCRIPTION_LIMIT - 1] + "…"
