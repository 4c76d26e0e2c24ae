"""Per-community settings a skill lets moderators change (``admin config <key> <value>``).

A skill lists them in its manifest (``Skill(settings=...)``); the registry collects them,
and the skill reads a value with ``bot.storage.tenant_settings.get_setting``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True, slots=True)
class TenantSettingSpec:
    key: str
    """Dotted and lower case, skill first: ``mentoring.weight.subjects``."""
    summary: str
    default: Any
    parse: Callable[[str], Any]
    """Reads what a moderator typed; raises ``ValueError`` with a sentence saying what works."""
