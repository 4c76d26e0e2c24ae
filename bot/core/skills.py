"""A skill's manifest — the one thing the rest of Staffroom may import from a skill — and how
skills are found: the entry-point group ``staffroom.skills``, built-in skills included.

A skill is a package ``<name>/`` whose ``manifest.py`` holds one ``Skill``; its distribution
names it in ``pyproject.toml``::

    [project.entry-points."staffroom.skills"]
    kudos = "staffroom_kudos.manifest:SKILL"
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.privacy import MemberDataEraser, MemberDataExporter
from bot.core.stats import StatsProvider
from bot.core.tenant_config import TenantSettingSpec
from bot.storage.errors import StartupError

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.commands import Registry
    from bot.core.prompts import PromptFinder
    from bot.storage.engine import Store

_log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "staffroom.skills"

Housekeeping = Callable[["Store", "Clock", "Registry"], Awaitable[object]]
"""A periodic clean-up (the privacy skill's retention), run every few hours by the scheduler."""
CliRun = Callable[[argparse.Namespace, "Store", "Clock"], Awaitable[int]]
"""An operator command's work, run with the store open and its schema current."""


@dataclass(frozen=True, kw_only=True, slots=True)
class CliCommand:
    """An operator command a skill adds to ``staffroom``: ``name`` is one or two words
    (``resources import`` runs as ``staffroom resources import FILE``)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: CliRun


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelPurpose:
    """A channel a moderator assigns with ``admin channel <name> #channel``; the skill reads it
    with ``bot.storage.tenant_settings.channel_for``."""

    name: str
    summary: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Skill:
    """Everything a skill adds to Staffroom, declared once.

    ``commands``, ``listeners`` and ``jobs`` are functions decorated with ``@command``,
    ``@listener`` and ``@scheduled``; ``help`` lists the commands in this order.
    """

    name: str
    help_position: int = 100
    """Skills are listed by ``help`` in this order (then by name); built-ins use 10–90."""
    commands: tuple[Callable[..., Any], ...] = ()
    listeners: tuple[Callable[..., Any], ...] = ()
    jobs: tuple[Callable[..., Any], ...] = ()
    exporters: tuple[MemberDataExporter, ...] = ()
    """What it holds about one member, for ``privacy export`` (see ``bot.core.privacy``)."""
    erasers: tuple[MemberDataEraser, ...] = ()
    """How to forget one member, for ``privacy forget`` and retention."""
    stats: tuple[StatsProvider, ...] = ()
    """Sections of ``admin stats``."""
    prompts: tuple[PromptFinder, ...] = ()
    """Open prompts whose answer a member's free text in a DM may be (``bot.core.prompts``)."""
    settings: tuple[TenantSettingSpec, ...] = ()
    """Community settings moderators change with ``admin config``."""
    channel_purposes: tuple[ChannelPurpose, ...] = ()
    housekeeping: tuple[Housekeeping, ...] = ()
    cli: tuple[CliCommand, ...] = ()
    """Operator commands it adds to ``staffroom``."""
    locales: Path | None = None
    """The directory of its gettext catalogs (``<lang>/LC_MESSAGES/<name>.po`` and ``.mo``);
    the skill's name is its domain (docs/translating.md)."""
    migrations: Path | None = None
    """A third-party skill's own Alembic versions directory (its own branch, applied by
    ``staffroom db upgrade``); built-in skills share the one chain in ``bot/storage``."""


class SkillLoadError(StartupError):
    """An installed skill cannot be loaded; the message names it and says what to do."""


def discover_skills() -> list[Skill]:
    """Every installed skill, in ``help`` order. Two skills of one name fail loudly."""
    found: dict[str, Skill] = {}
    seen: set[tuple[str, str]] = set()
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if (point.name, point.value) in seen:
            continue  # one distribution seen twice on sys.path (an editable install)
        seen.add((point.name, point.value))
        skill = _load(point)
        if skill.name in found:
            raise SkillLoadError(f"two installed skills are called {skill.name!r}")
        found[skill.name] = skill
    return sorted(found.values(), key=lambda s: (s.help_position, s.name))


def _load(point: EntryPoint) -> Skill:
    try:
        skill = point.load()
    except Exception as exc:
        raise SkillLoadError(
            f"The installed skill {point.name!r} ({point.value}) cannot be loaded "
            f"({type(exc).__name__}: {exc}); fix or uninstall it."
        ) from exc
    if not isinstance(skill, Skill):
        raise SkillLoadError(f"entry point {point.value} of {ENTRY_POINT_GROUP} is not a Skill")
    if skill.name != point.name:
        raise SkillLoadError(f"entry point {point.name!r} leads to the skill {skill.name!r}")
    _log.debug("loaded skill %s from %s", skill.name, point.value)
    return skill


def migration_branches(skills: Iterable[Skill]) -> list[Path]:
    """The Alembic versions directories third-party skills ship (``Skill.migrations``)."""
    return [skill.migrations for skill in skills if skill.migrations is not None]


def load_registry(skills: Iterable[Skill] | None = None) -> Registry:
    """Collect the commands, listeners, jobs and hooks of ``skills`` (default: every installed
    one); a duplicate command name fails here."""
    from bot.core.commands import Registry

    return Registry.from_skills(discover_skills() if skills is None else skills)
