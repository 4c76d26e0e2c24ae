"""What a community can tune about mentoring (``admin config mentoring.…``), and reading it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.tenant_config import TenantSettingSpec
from bot.core.text import whole_number
from bot.skills.mentoring.matching import Weights
from bot.storage.tenant_settings import get_setting

GAP_KEY = "mentoring.experience_gap"
EXPIRY_KEY = "mentoring.proposal_expiry_hours"
WEIGHT_PREFIX = "mentoring.weight."
_DECIMAL = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,3})?")
DEFAULT_GAP = 2
DEFAULT_EXPIRY_HOURS = 72
WEIGHTED = ("subjects", "grades", "hours", "interests")
"""The ``Weights`` a moderator may change (``base`` stays fixed)."""
_WEIGHT_HELP = {
    "subjects": "subjects they share",
    "grades": "grade bands they share",
    "hours": "working hours their time zones share",
    "interests": "interests they share",
}


def _whole(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        value = whole_number(raw, minimum=low, maximum=high)
        if value is None:
            raise ValueError(f"{what} is a whole number from {low} to {high}.")
        return value

    return parse


def _weight(raw: str) -> float:
    text = raw.strip()
    value = float(text) if _DECIMAL.fullmatch(text) else -1.0
    if not 0 <= value <= 10:
        raise ValueError("A weight is a number from 0 to 10, like `2` or `1.5`.")
    return value


TENANT_SETTINGS = (
    TenantSettingSpec(
        key=GAP_KEY,
        summary="How many more years of experience a mentor needs than their mentee.",
        default=DEFAULT_GAP,
        parse=_whole(0, 30, "The experience gap"),
    ),
    TenantSettingSpec(
        key=EXPIRY_KEY,
        summary="Hours both sides have to accept a mentoring proposal before it expires.",
        default=DEFAULT_EXPIRY_HOURS,
        parse=_whole(1, 720, "The proposal expiry"),
    ),
    *(
        TenantSettingSpec(
            key=WEIGHT_PREFIX + name,
            summary=f"How much {_WEIGHT_HELP[name]} count when pairing (0–10).",
            default=getattr(Weights(), name),
            parse=_weight,
        )
        for name in WEIGHTED
    ),
)


async def _number(session: AsyncSession, tenant_id: int, key: str, default: float) -> Any:
    value = await get_setting(session, tenant_id, key, default)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else default


async def load_weights(session: AsyncSession, tenant_id: int) -> Weights:
    defaults = Weights()
    chosen = {
        name: float(
            await _number(session, tenant_id, WEIGHT_PREFIX + name, getattr(defaults, name))
        )
        for name in WEIGHTED
    }
    return Weights(**chosen)


async def experience_gap(session: AsyncSession, tenant_id: int) -> int:
    return int(await _number(session, tenant_id, GAP_KEY, DEFAULT_GAP))


async def expiry_hours(session: AsyncSession, tenant_id: int) -> int:
    return int(await _number(session, tenant_id, EXPIRY_KEY, DEFAULT_EXPIRY_HOURS))
