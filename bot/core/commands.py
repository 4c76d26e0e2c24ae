"""Command and listener declarations, and the registry they are collected into at start-up.

A skill declares each command once with ``@command``; help, usage lines, argument errors and
the platforms' slash-command definitions are all generated from these declarations.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.core.events import EventKind, Invocation
from bot.core.i18n import CORE_DOMAIN, Domain
from bot.core.privacy import MemberDataEraser, MemberDataExporter
from bot.core.roles import Role
from bot.core.skills import ChannelPurpose, Housekeeping, Skill
from bot.core.stats import StatsProvider
from bot.core.tenant_config import TenantSettingSpec

if TYPE_CHECKING:
    from bot.core.context import Context
    from bot.core.parsing import Args
    from bot.core.prompts import PromptFinder
    from bot.core.replies import Reply

CommandHandler = Callable[["Context", "Args"], Awaitable["Reply | None"]]
Prepare = Callable[["NetworkAccess", "Args"], Awaitable[Mapping[str, str]]]
"""Network work a command needs, done before its event's transaction opens (no store, no
connection held): its result reaches the handler as ``Context.prepared``."""
JobHandler = Callable[["Context", "JobRun"], Awaitable[None]]
"""A scheduled job: runs with a system actor in one transaction with the claim."""
ListenerHandler = Callable[["Context"], Awaitable[bool]]
"""A listener returns True when it handled the event (for messages: consumed it)."""

_H = TypeVar("_H", bound=Callable[..., Any])
_COMMAND_ATTR = "__staffroom_command__"
_LISTENER_ATTR = "__staffroom_listener__"
_JOB_ATTR = "__staffroom_job__"
_SCHEDULE_ARG = "__schedule_id"
_DUE_ARG = "__due_at"


@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkAccess:
    """What a command's ``prepare`` step may reach on the network (the operator decides)."""

    private_addresses: bool = False
    """Private, loopback and link-local addresses too (closed networks and tests)."""


class ParamKind(StrEnum):
    WORD = "word"
    """One word, or one "quoted phrase"."""
    QUOTED = "quoted"
    """Only a "quoted phrase"; an optional one is skipped when the next word is not quoted."""
    TEXT = "text"
    """Everything that is left (must be the last parameter)."""
    INT = "int"
    MENTION = "mention"
    """A member: @name, a platform mention, or ``me``."""
    CHANNEL = "channel"
    """A channel: #name or a platform channel mention."""
    CHOICE = "choice"
    URL = "url"
    """An http(s) link."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Param:
    name: str
    kind: ParamKind = ParamKind.WORD
    required: bool = True
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 1000

    @property
    def placeholder(self) -> str:
        if self.kind is ParamKind.CHOICE:
            shown = "|".join(self.choices)
        elif self.kind is ParamKind.QUOTED:
            shown = f'"{self.name}"'
        elif self.kind in (ParamKind.MENTION, ParamKind.CHANNEL):
            # Written bare: "<@member>" would read as a platform mention.
            shown = ("@" if self.kind is ParamKind.MENTION else "#") + self.name
            return shown if self.required else f"[{shown}]"
        elif self.kind is ParamKind.INT and self.minimum is not None and self.maximum is not None:
            shown = f"{self.name} {self.minimum}-{self.maximum}"
        else:
            shown = self.name
        return f"<{shown}>" if self.required else f"[{shown}]"


@dataclass(frozen=True, kw_only=True, slots=True)
class Filter:
    """A ``key:value`` option such as ``subject:science``."""

    key: str
    help: str = ""
    placeholder: str = "…"


@dataclass(frozen=True, kw_only=True, slots=True)
class CommandSpec:
    name: str
    summary: str
    params: tuple[Param, ...] = ()
    filters: tuple[Filter, ...] = ()
    tags: bool = False
    role: Role = Role.MEMBER
    examples: tuple[str, ...] = ()
    details: str = ""
    hidden: bool = False
    """Hidden commands are reached through buttons and forms and are not listed by ``help``."""
    open_to_blocked: bool = False
    """Blocked members may still use it (a member's privacy rights outlast a block)."""
    prepare: Prepare | None = field(default=None, compare=False)

    def usage(self) -> str:
        parts = [self.name]
        parts += [p.placeholder for p in self.params if p.kind is not ParamKind.TEXT]
        parts += [f"[{f.key}:{f.placeholder}]" for f in self.filters]
        if self.tags:
            parts.append("[#tag …]")
        parts += [p.placeholder for p in self.params if p.kind is ParamKind.TEXT]
        return " ".join(parts)

    def filter_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.filters)


@dataclass(frozen=True, kw_only=True, slots=True)
class Command:
    spec: CommandSpec
    handler: CommandHandler
    skill: str

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True, kw_only=True, slots=True)
class Listener:
    kind: EventKind
    handler: ListenerHandler
    skill: str


def command(
    name: str,
    *,
    summary: str,
    params: Iterable[Param] = (),
    filters: Iterable[Filter] = (),
    tags: bool = False,
    role: Role = Role.MEMBER,
    examples: Iterable[str] = (),
    details: str = "",
    hidden: bool = False,
    open_to_blocked: bool = False,
    prepare: Prepare | None = None,
) -> Callable[[_H], _H]:
    """Declare a command; the decorator only attaches the declaration and returns the function."""
    spec = CommandSpec(
        name=" ".join(name.lower().split()),
        summary=summary,
        params=tuple(params),
        filters=tuple(filters),
        tags=tags,
        role=role,
        examples=tuple(examples),
        details=details,
        hidden=hidden,
        open_to_blocked=open_to_blocked,
        prepare=prepare,
    )
    _check_spec(spec)

    def attach(handler: _H) -> _H:
        setattr(handler, _COMMAND_ATTR, spec)
        return handler

    return attach


def listener(kind: EventKind) -> Callable[[_H], _H]:
    """Declare a handler for non-command events (member joins, messages not meant as commands)."""

    def attach(handler: _H) -> _H:
        setattr(handler, _LISTENER_ATTR, kind)
        return handler

    return attach


@dataclass(frozen=True, kw_only=True, slots=True)
class Job:
    name: str
    handler: JobHandler
    skill: str


@dataclass(frozen=True, kw_only=True, slots=True)
class JobRun:
    """One due occurrence of a schedule, as its job sees it (ids, not objects)."""

    job: str
    schedule_id: int
    due_at: datetime
    payload: Mapping[str, str]

    def invocation(self) -> Invocation:
        """How the run travels in a ``SCHEDULED`` event."""
        return Invocation(
            command=self.job,
            args={
                **self.payload,
                _SCHEDULE_ARG: str(self.schedule_id),
                _DUE_ARG: self.due_at.isoformat(),
            },
        )

    @classmethod
    def from_invocation(cls, invocation: Invocation) -> JobRun:
        payload = dict(invocation.args)
        schedule_id = int(payload.pop(_SCHEDULE_ARG))
        due_at = datetime.fromisoformat(payload.pop(_DUE_ARG))
        return cls(job=invocation.command, schedule_id=schedule_id, due_at=due_at, payload=payload)


def scheduled(name: str) -> Callable[[_H], _H]:
    """Declare the handler of a scheduled job (``checkins.send``); schedules name it."""

    def attach(handler: _H) -> _H:
        setattr(handler, _JOB_ATTR, name)
        return handler

    return attach


def _check_spec(spec: CommandSpec) -> None:
    names = [p.name for p in spec.params]
    if len(set(names)) != len(names):
        raise ValueError(f"command {spec.name!r} declares a parameter twice")
    texts = [i for i, p in enumerate(spec.params) if p.kind is ParamKind.TEXT]
    if texts and texts != [len(spec.params) - 1]:
        raise ValueError(f"command {spec.name!r}: a TEXT parameter must be the last one")
    if any(p.kind is ParamKind.CHOICE and not p.choices for p in spec.params):
        raise ValueError(f"command {spec.name!r}: a CHOICE parameter needs choices")
    if set(names) & spec.filter_keys():
        raise ValueError(f"command {spec.name!r}: a filter and a parameter share a name")


class DuplicateCommandError(ValueError):
    """Two skills declared the same command name; we fail loudly rather than rename one."""


class Registry:
    """Every command, listener, privacy hook, stats provider and tenant setting, collected once
    at start-up."""

    def __init__(
        self,
        commands: Iterable[Command],
        listeners: Iterable[Listener] = (),
        *,
        exporters: Iterable[MemberDataExporter] = (),
        erasers: Iterable[MemberDataEraser] = (),
        tenant_settings: Iterable[TenantSettingSpec] = (),
        stats_providers: Iterable[StatsProvider] = (),
        jobs: Iterable[Job] = (),
        channel_purposes: Iterable[ChannelPurpose] = (),
        housekeeping: Iterable[Housekeeping] = (),
        prompts: Iterable[tuple[str, PromptFinder]] = (),
        migrations: Iterable[Path] = (),
        domains: Iterable[Domain] = (),
    ) -> None:
        self._commands: dict[str, Command] = {}
        for cmd in commands:
            if cmd.name in self._commands:
                other = self._commands[cmd.name]
                raise DuplicateCommandError(
                    f"command {cmd.name!r} is declared by both {other.skill} and {cmd.skill}"
                )
            self._commands[cmd.name] = cmd
        self._max_words = max((len(name.split()) for name in self._commands), default=1)
        self._listeners: dict[EventKind, list[Listener]] = {}
        for item in listeners:
            self._listeners.setdefault(item.kind, []).append(item)
        self.exporters = tuple(exporters)
        self.erasers = tuple(erasers)
        self.stats_providers = tuple(stats_providers)
        self.jobs: dict[str, Job] = {}
        for job in jobs:
            if job.name in self.jobs:
                raise ValueError(f"scheduled job {job.name!r} is declared twice")
            self.jobs[job.name] = job
        self.channel_purposes: dict[str, ChannelPurpose] = {}
        for purpose in channel_purposes:
            if purpose.name in self.channel_purposes:
                raise ValueError(f"channel purpose {purpose.name!r} is declared twice")
            self.channel_purposes[purpose.name] = purpose
        self.housekeeping = tuple(housekeeping)
        self.prompts = tuple(prompts)
        """(skill, finder) pairs: the skill's name is the domain its prompt speaks in."""
        self.domains = tuple(domains)
        """Skills' gettext catalogs (``Skill.locales``); the domain is the skill's name."""
        if any(domain.name == CORE_DOMAIN for domain in self.domains):
            raise ValueError(f"a skill may not be called {CORE_DOMAIN!r} (the core's domain)")
        self.migrations = tuple(migrations)
        """Third-party skills' own Alembic branches (``staffroom db upgrade`` applies them)."""
        self.tenant_settings: dict[str, TenantSettingSpec] = {}
        for spec in tenant_settings:
            if spec.key in self.tenant_settings:
                raise ValueError(f"tenant setting {spec.key!r} is declared twice")
            self.tenant_settings[spec.key] = spec

    @classmethod
    def from_skills(cls, skills: Iterable[Skill]) -> Registry:
        """Collect what each manifest declares; a function without its decorator fails here."""
        commands: list[Command] = []
        listeners: list[Listener] = []
        jobs: list[Job] = []
        skills = list(skills)
        for skill in skills:
            for fn in skill.commands:
                spec = _declared(fn, _COMMAND_ATTR, CommandSpec, skill, "@command")
                commands.append(Command(spec=spec, handler=fn, skill=skill.name))
            for fn in skill.listeners:
                kind = _declared(fn, _LISTENER_ATTR, EventKind, skill, "@listener")
                listeners.append(Listener(kind=kind, handler=fn, skill=skill.name))
            for fn in skill.jobs:
                name = _declared(fn, _JOB_ATTR, str, skill, "@scheduled")
                jobs.append(Job(name=name, handler=fn, skill=skill.name))
        return cls(
            commands,
            listeners,
            exporters=[fn for skill in skills for fn in skill.exporters],
            erasers=[fn for skill in skills for fn in skill.erasers],
            tenant_settings=[spec for skill in skills for spec in skill.settings],
            stats_providers=[fn for skill in skills for fn in skill.stats],
            jobs=jobs,
            channel_purposes=[p for skill in skills for p in skill.channel_purposes],
            prompts=[(skill.name, finder) for skill in skills for finder in skill.prompts],
            migrations=[skill.migrations for skill in skills if skill.migrations is not None],
            housekeeping=[task for skill in skills for task in skill.housekeeping],
            domains=[
                Domain(name=skill.name, directory=skill.locales)
                for skill in skills
                if skill.locales is not None
            ],
        )

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(" ".join(name.lower().split()))

    def match(self, words: list[str]) -> tuple[Command, int] | None:
        """The longest command whose name starts ``words``, and how many words it used."""
        lowered = [w.lower() for w in words[: self._max_words]]
        for size in range(len(lowered), 0, -1):
            cmd = self._commands.get(" ".join(lowered[:size]))
            if cmd is not None:
                return cmd, size
        return None

    def commands(self, *, role: Role | None = None, include_hidden: bool = False) -> list[Command]:
        return [
            cmd
            for cmd in self._commands.values()
            if (include_hidden or not cmd.spec.hidden) and (role is None or cmd.spec.role <= role)
        ]

    def group(self, prefix: str, role: Role) -> list[Command]:
        """Visible commands whose name starts with ``prefix`` as whole words (``resource`` …)."""
        prefix = " ".join(prefix.lower().split())
        return [
            cmd
            for cmd in self.commands(role=role)
            if cmd.name == prefix or cmd.name.startswith(prefix + " ")
        ]

    def suggest(self, words: list[str], role: Role) -> list[str]:
        """Close matches for an unknown command, best first (for "did you mean …")."""
        names = [cmd.name for cmd in self.commands(role=role)]
        groups = sorted({name.split()[0] for name in names})
        found: list[str] = []
        for size in range(min(len(words), self._max_words), 0, -1):
            typed = " ".join(w.lower() for w in words[:size])
            pool = names if size > 1 else sorted(set(names) | set(groups))
            for match in difflib.get_close_matches(typed, pool, n=3, cutoff=0.6):
                if match not in found:
                    found.append(match)
        return found[:3]

    def listeners(self, kind: EventKind) -> list[Listener]:
        return self._listeners.get(kind, [])

    def skills(self) -> Mapping[str, list[Command]]:
        grouped: dict[str, list[Command]] = {}
        for cmd in self._commands.values():
            grouped.setdefault(cmd.skill, []).append(cmd)
        return grouped


_T = TypeVar("_T")


def _declared(fn: Callable[..., Any], attr: str, kind: type[_T], skill: Skill, how: str) -> _T:
    value = getattr(fn, attr, None)
    if not isinstance(value, kind):
        name = getattr(fn, "__qualname__", repr(fn))
        raise ValueError(f"skill {skill.name!r} lists {name}, which is not declared with {how}")
    return value
