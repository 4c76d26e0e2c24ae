"""The reminders skill's front door: everything it adds to Staffroom.

Reminders for oneself or a channel, once or on a schedule.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.skills import Skill
from bot.skills.reminders import commands

SKILL = Skill(
    name="reminders",
    help_position=50,
    commands=(
        commands.remind,
        commands.remind_list,
        commands.remind_cancel,
    ),
    jobs=(commands.send_reminder,),
    exporters=(commands.export_reminders,),
    erasers=(commands.forget_reminders,),
    locales=Path(__file__).resolve().parent / "locales",
)
