"""The help skill's front door: everything it adds to Staffroom.

``help``: every command, from the declarations.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.help import commands

SKILL = Skill(
    name="help",
    help_position=80,
    commands=(commands.help_command,),
    locales=Path(__file__).resolve().parent / "locales",
)
