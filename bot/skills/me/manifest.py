"""The me skill's front door: everything it adds to Staffroom.

``me language``: the language Staffroom writes to you in; ``admin config language``: the
community's default (and the language of channel posts).
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.me import commands

SKILL = Skill(
    name="me",
    help_position=75,
    commands=(commands.me_language,),
    settings=(commands.COMMUNITY_LANGUAGE_SETTING,),
    locales=Path(__file__).resolve().parent / "locales",
)
